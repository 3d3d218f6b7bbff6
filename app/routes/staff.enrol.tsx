import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { passThroughHeaders } from "~/security/route-headers";
import { getStaffSession } from "~/staff/session.server";
import { confirmTotpEnrolment } from "~/staff/sign-in.server";
import { pendingEnrolment } from "~/staff/totp.server";

const codeSchema = z.object({
  code: z
    .string({ message: "Enter the 6-digit code your app shows." })
    // A secret field reaches the schema as typed; a pasted code may bring spaces around it.
    .trim()
    .regex(/^\d{3} ?\d{3}$/, "Enter the 6 digits your app shows."),
});

const NO_STORE = { "Cache-Control": "no-store" };

/*
 * The loader does not redirect a visitor without a session: after a successful confirmation the
 * page is rendered once more with the request's old cookie, and that render must still show the
 * recovery codes returned by the action.
 */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await getStaffSession({ request, context });
    if (!session) return data({ stage: "signed-out" as const }, { headers: NO_STORE });
    if (session.secondFactorDone) return data({ stage: "done" as const }, { headers: NO_STORE });
    if (session.user.totpEnrolled) throw redirect("/staff/sign-in/second-factor");
    const enrolment = await pendingEnrolment({ userId: session.user.id, email: session.user.email });
    if (!enrolment) throw redirect("/staff/sign-in/second-factor");
    return data({ stage: "enrol" as const, ...enrolment }, { headers: NO_STORE });
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await getStaffSession({ request, context });
      if (!session || session.secondFactorDone || session.user.totpEnrolled) throw redirect("/staff/enrol");
      const { code } = parseForm(form, codeSchema, { secretFields: ["code"] });
      const { cookie, recoveryCodes } = await confirmTotpEnrolment({
        session,
        code,
        ip: context.clientIp,
        userAgent: request.headers.get("User-Agent"),
      });
      // Shown once, in this response only: just their hashes are stored.
      return data({ recoveryCodes }, { headers: { "Set-Cookie": cookie, ...NO_STORE } });
    },
    { request, secretFields: ["code"], headers: NO_STORE },
  );

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <>
      <h1>Save your recovery codes</h1>
      <div className="alert alert-ok" role="status">
        Two-step sign-in is on.
      </div>
      <p>
        If you lose your phone, each of these codes lets you sign in once instead of an authenticator code. Store them
        somewhere safe, such as your password manager. <strong>They will not be shown again.</strong>
      </p>
      <ul className="codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <p>
        <a className="button" href="/app">
          I have saved them — continue
        </a>
      </p>
    </>
  );
}

export default function Enrol() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result && "recoveryCodes" in result) return <RecoveryCodes codes={result.recoveryCodes} />;
  if (page.stage === "signed-out") {
    return (
      <>
        <h1>Sign in to continue</h1>
        <p>Your set-up session has ended. Sign in with your email address and password to finish setting up.</p>
        <p>
          <Link className="button" to="/staff/sign-in">
            Sign in
          </Link>
        </p>
      </>
    );
  }
  if (page.stage === "done") {
    return (
      <>
        <h1>You are all set</h1>
        <p>Two-step sign-in is on for your account.</p>
        <p>
          <a className="button" href="/app">
            Continue to Handover
          </a>
        </p>
      </>
    );
  }
  const feedback = result && "errors" in result ? result : null;
  return (
    <>
      <h1>Connect an authenticator app</h1>
      <ol className="steps">
        <li>Open an authenticator app on your phone (for example Microsoft Authenticator, Google Authenticator or 1Password).</li>
        <li>Add an account and scan this code.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <figure className="qr-figure">
        <img className="qr" src={page.qrDataUrl} width={200} height={200} alt="QR code to add Handover to your authenticator app" />
        <figcaption className="small muted">
          Cannot scan? Enter this key in the app instead:
          <br />
          <code className="mono">{page.manualKey}</code>
        </figcaption>
      </figure>
      <FormError feedback={feedback} />
      <Form method="post" className="stack" noValidate>
        <Field
          label="6-digit code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          required
          feedback={feedback}
        />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Turn on two-step sign-in"}
          </button>
        </div>
      </Form>
    </>
  );
}

// After the codes are shown, reloading the loader data must not replace the page they are on.
export function shouldRevalidate({ actionResult, defaultShouldRevalidate }: { actionResult?: unknown; defaultShouldRevalidate: boolean }) {
  if (actionResult && typeof actionResult === "object" && "recoveryCodes" in actionResult) return false;
  return defaultShouldRevalidate;
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Two-step sign-in · Handover" }];
