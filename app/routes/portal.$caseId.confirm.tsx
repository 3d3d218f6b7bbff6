import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { sendStepUpCode, verifyStepUpCode } from "~/portal/step-up.server";
import { throttleStepUpChecks, throttleStepUpCodes } from "~/portal/throttle.server";
import { safeRedirect } from "~/security/safe-redirect.server";
import { passThroughHeaders } from "~/security/route-headers";

const verifySchema = z.object({
  intent: z.literal("verify"),
  // A secret field reaches the schema as typed: a pasted code's stray spaces are not part of it.
  code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from the email."),
});

/** Back to a page of this case only: an open redirect would send a freshly confirmed person anywhere. */
function returnPath(value: string | null, caseId: string) {
  const home = `/portal/${caseId}`;
  const path = safeRedirect(value, home);
  return path === home || path.startsWith(`${home}/`) || path.startsWith(`${home}?`) ? path : home;
}

// A refusal for too many attempts must not be cached, or the page would keep refusing.
const NO_STORE = { "Cache-Control": "no-store" };

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const redirectTo = returnPath(new URL(args.request.url).searchParams.get("redirectTo"), session.case.id);
    return { email: session.contact.email, redirectTo, alreadyConfirmed: hasFreshContactStepUp(session) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId });
      const redirectTo = returnPath(new URL(request.url).searchParams.get("redirectTo"), session.case.id);
      const actor = contactActor(session, request, context.clientIp);
      if (form.get("intent") === "send") {
        await throttleStepUpCodes({ sessionIdHash: session.idHash });
        await sendStepUpCode({ session, actor });
        return { sent: true as const };
      }
      const { code } = parseForm(form, verifySchema, { secretFields: ["code"] });
      await throttleStepUpChecks({ sessionIdHash: session.idHash });
      await verifyStepUpCode({ session, code, actor });
      return redirect(redirectTo);
    },
    { request, secretFields: ["code"], headers: NO_STORE },
  );

export default function ConfirmIdentity() {
  const { email, redirectTo, alreadyConfirmed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const feedback = result && "errors" in result ? result : null;
  return (
    <div className="page-narrow">
      <div className="card">
        <h1>Confirm it is you</h1>
        {alreadyConfirmed ? (
          <p className="alert alert-ok">
            You confirmed recently. <a href={redirectTo}>Continue</a>
          </p>
        ) : null}
        <p>
          Before you see passwords or sign anything, we email a 6-digit code to <strong>{email}</strong>. It is valid for
          10 minutes; your confirmation then holds for 15 minutes.
        </p>
        {result && "sent" in result ? (
          <p className="alert alert-ok" role="status">
            We sent a new code to {email}.
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="send" />
          <button type="submit" className="button-secondary" disabled={busy}>
            Email me a code
          </button>
        </Form>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="verify" />
          <FormError feedback={feedback} />
          <Field
            label="6-digit code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            feedback={feedback}
          />
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Confirm
            </button>
          </div>
        </Form>
      </div>
    </div>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm it is you" }];
