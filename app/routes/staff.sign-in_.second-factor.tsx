import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/forms/parse.server";
import { tooManyAttempts } from "~/security/rate-limit.server";
import { passThroughHeaders } from "~/security/route-headers";
import { safeRedirect } from "~/security/safe-redirect.server";
import type { RequestArgs } from "~/http/load-context";
import { type StaffSession, getStaffSession } from "~/staff/session.server";
import { completeSignIn } from "~/staff/sign-in.server";

const codeSchema = z.object({
  code: z.string({ message: "Enter the code." }).min(1, "Enter the code.").max(64, "That is not a valid code."),
  redirectTo: z.string().optional(),
});

const NO_STORE = { "Cache-Control": "no-store" };

/** Only a session whose password step succeeded belongs here; anyone else goes where they fit. */
async function pendingSession(args: RequestArgs, redirectTo: string): Promise<StaffSession> {
  const session = await getStaffSession(args);
  if (!session) throw redirect("/staff/sign-in");
  if (session.secondFactorDone) throw redirect(redirectTo);
  if (!session.user.totpEnrolled) throw redirect("/staff/enrol");
  return session;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const session = await pendingSession({ request, context }, redirectTo);
  return data({ redirectTo, name: session.user.name }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(await request.formData(), codeSchema, { omitFromValues: ["code"] });
  const redirectTo = safeRedirect(form.ok ? form.data.redirectTo : undefined);
  const session = await pendingSession({ request, context }, redirectTo);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400, headers: NO_STORE });
  const result = await completeSignIn({
    session,
    code: form.data.code,
    ip: context.clientIp,
    userAgent: request.headers.get("User-Agent"),
  });
  if (result.outcome === "blocked") return tooManyAttempts(result.retryAt);
  if (result.outcome === "failed") {
    return data(
      { errors: { code: "That code is not right, or it was already used. Try the next code your app shows." }, values: {} },
      { status: 401, headers: NO_STORE },
    );
  }
  return redirect(redirectTo, { headers: { "Set-Cookie": result.cookie } });
}

export default function SecondFactor() {
  const { redirectTo, name } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const feedback = result && "errors" in result ? result : null;
  return (
    <>
      <h1>Confirm it’s you</h1>
      <p className="muted">
        Hello {name}. Enter the 6-digit code from your authenticator app. If you do not have your phone, enter one of
        your recovery codes instead.
      </p>
      {result && "throttled" in result ? (
        <div className="alert alert-warn" role="alert">
          {result.throttled}
        </div>
      ) : null}
      <FormError feedback={feedback} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="Code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          required
          hint="6 digits, or a recovery code such as abcde-fghjk"
          feedback={feedback}
        />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Sign in"}
          </button>
          <Link to="/staff/sign-in">Start again</Link>
        </div>
      </Form>
    </>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm it’s you · Handover" }];
