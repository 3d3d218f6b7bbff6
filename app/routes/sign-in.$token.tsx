import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { PortalShell } from "~/portal/ui/portal-shell";
import { useBranding } from "~/components/use-branding";
import { handle } from "~/http/handle.server";
import { consumeSignInLink, describeSignInLink } from "~/portal/magic-link.server";
import { throttleSignIn } from "~/portal/throttle.server";
import { passThroughHeaders } from "~/security/route-headers";

// The token is in this page's URL: never let it leak to another site through the Referer header.
const noReferrer = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

// GET and HEAD only look: mail scanners open links, and must neither use nor burn them.
export const loader = ({ params }: LoaderFunctionArgs) =>
  handle(async () => {
    const link = await describeSignInLink({ token: params.token ?? "" });
    return data(
      { link: link ? { caseLabel: `${link.customerLegalName} (${link.reference})`, contactName: link.contactName } : null },
      { headers: noReferrer },
    );
  });

// Only this POST, sent by the person pressing "Continue", uses the link. It carries no fields, so
// its refusals (too many sign-ins, a used link) are answers of their own, not a form shown again.
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(async () => {
    await throttleSignIn({ ip: context.clientIp });
    const { caseId, setCookie } = await consumeSignInLink({
      token: params.token ?? "",
      ip: context.clientIp,
      userAgent: request.headers.get("User-Agent"),
    });
    return redirect(`/portal/${caseId}`, { headers: { ...noReferrer, "Set-Cookie": setCookie } });
    // The refusals' answers (the redirect for a used link included) leave from the token's URL too.
  }, { headers: noReferrer });

export default function ContinueWithLink() {
  const branding = useBranding();
  const mspName = branding?.legalName ?? "";
  const hasLogo = branding?.hasLogo ?? false;
  const { link } = useLoaderData<typeof loader>();
  return (
    <PortalShell mspName={mspName} hasLogo={hasLogo}>
      <div className="page-narrow">
        <div className="card">
          {link ? (
            <>
              <h1>{`Continue to ${link.caseLabel}`}</h1>
              <p>
                Hello {link.contactName}. Press the button to sign in. The link works once.
              </p>
              <Form method="post">
                <button type="submit">Continue</button>
              </Form>
            </>
          ) : (
            <>
              <h1>This link can no longer be used</h1>
              <p>Sign-in links work once and expire. Ask for a new one and we will email it to you.</p>
              <a className="button" href="/sign-in">
                Get a new sign-in link
              </a>
            </>
          )}
        </div>
      </div>
    </PortalShell>
  );
}

// Every answer of this page keeps the token out of Referer headers; a refusal also keeps its Retry-After.
export const headers: HeadersFunction = (args) => {
  const headers = new Headers(passThroughHeaders(args));
  for (const [name, value] of Object.entries(noReferrer)) headers.set(name, value);
  return headers;
};

export const meta: MetaFunction = () => [{ title: "Continue" }, { name: "referrer", content: "no-referrer" }];
