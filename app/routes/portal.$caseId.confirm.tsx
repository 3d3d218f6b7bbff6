import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { invalid, parseForm } from "~/forms/parse.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { requireContact } from "~/http/guards.server";
import { sendStepUpCode, verifyStepUpCode } from "~/portal/step-up.server";
import { safeRedirect } from "~/security/safe-redirect.server";
import { throttleStepUpChecks, throttleStepUpCodes } from "~/portal/throttle.server";

const verifySchema = z.object({
  intent: z.literal("verify"),
  code: z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the email."),
});

/** Back to a page of this case only: an open redirect would send a freshly confirmed person anywhere. */
function returnPath(value: string | null, caseId: string) {
  const home = `/portal/${caseId}`;
  const path = safeRedirect(value, home);
  return path === home || path.startsWith(`${home}/`) || path.startsWith(`${home}?`) ? path : home;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const redirectTo = returnPath(new URL(request.url).searchParams.get("redirectTo"), session.case.id);
  return { email: session.contact.email, redirectTo, alreadyConfirmed: hasFreshContactStepUp(session) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const formData = await request.formData();
  const redirectTo = returnPath(new URL(request.url).searchParams.get("redirectTo"), session.case.id);
  const actor = contactActor(session, request, context.clientIp);
  if (formData.get("intent") === "send") {
    await throttleStepUpCodes({ sessionIdHash: session.idHash });
    await sendStepUpCode({ session, actor });
    return { sent: true as const };
  }
  const form = parseForm(formData, verifySchema, { omitFromValues: ["code"] });
  if (!form.ok) return invalid(form.errors, form.values);
  await throttleStepUpChecks({ sessionIdHash: session.idHash });
  const result = await verifyStepUpCode({ session, code: form.data.code, actor });
  if (result.ok) return redirect(redirectTo);
  const message = {
    no_code: "Request a code first.",
    expired: "That code has expired. Request a new one.",
    too_many_attempts: "Too many wrong codes. Request a new code.",
    wrong_code: `That code is not right. ${result.attemptsLeft} ${result.attemptsLeft === 1 ? "attempt" : "attempts"} left.`,
  }[result.reason];
  return invalid({ code: message });
}

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

export const meta: MetaFunction = () => [{ title: "Confirm it is you" }];
