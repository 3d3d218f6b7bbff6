import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { PortalShell } from "~/portal/ui/portal-shell";
import { useBranding } from "~/components/use-branding";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { requestSignInLinks } from "~/portal/magic-link.server";
import { admitLinkRequest } from "~/portal/throttle.server";
import { passThroughHeaders } from "~/security/route-headers";

const requestLinkSchema = z.object({
  email: z.email({ message: "Enter the email address your invitation was sent to." }).max(320),
});

// A refusal for too many requests must not be cached, or the page would keep refusing.
const NO_STORE = { "Cache-Control": "no-store" };

export const loader = ({ request }: LoaderFunctionArgs) =>
  handle(async () => {
    const url = new URL(request.url);
    return {
      notice: url.searchParams.has("signedOut") ? "You are signed out." : url.searchParams.has("expired") ? "That link has expired or was already used. Ask for a new one below." : null,
    };
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const { email } = parseForm(form, requestLinkSchema);
      // Past the address's share nothing is sent, but the answer stays the same (see admitLinkRequest).
      if (await admitLinkRequest({ email, ip: context.clientIp })) {
        await requestSignInLinks({
          email,
          actor: { type: "system", id: null, label: "sign-in page", ip: context.clientIp, userAgent: request.headers.get("User-Agent") },
        });
      }
      // The same answer whether or not the address is known, so the page reveals nobody's involvement.
      return { sent: true as const, email };
    },
    { request, headers: NO_STORE },
  );

export default function SignIn() {
  const { notice } = useLoaderData<typeof loader>();
  const branding = useBranding();
  const mspName = branding?.legalName ?? "";
  const hasLogo = branding?.hasLogo ?? false;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const feedback = result && "errors" in result ? result : null;
  return (
    <PortalShell mspName={mspName} hasLogo={hasLogo}>
      <div className="page-narrow">
        <div className="card">
          <h1>Sign in to your handover</h1>
          {notice ? <p className="alert alert-info">{notice}</p> : null}
          {result && "sent" in result ? (
            <div className="alert alert-ok" role="status">
              If <strong>{result.email}</strong> belongs to a contact of an open handover, a sign-in link is on its way.
              It works once and expires in 15 minutes.
            </div>
          ) : (
            <p className="muted">
              {mspName} uses this portal to hand over your IT services. Enter your email address and we will send you a
              sign-in link.
            </p>
          )}
          <Form method="post" className="stack">
            <FormError feedback={feedback} />
            <Field label="Email address" name="email" type="email" autoComplete="email" required feedback={feedback} />
            <div className="form-actions">
              <button type="submit" disabled={busy}>
                Email me a sign-in link
              </button>
            </div>
          </Form>
          <p className="small muted">
            MSP staff sign in at <a href="/staff/sign-in">the staff sign-in page</a>.
          </p>
        </div>
      </div>
    </PortalShell>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in" }];
