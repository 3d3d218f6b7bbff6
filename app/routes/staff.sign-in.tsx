import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/forms/parse.server";
import { tooManyAttempts } from "~/security/rate-limit.server";
import { passThroughHeaders } from "~/security/route-headers";
import { safeRedirect } from "~/security/safe-redirect.server";
import { PASSWORD_MAX_LENGTH } from "~/staff/rules";
import { getStaffSession } from "~/staff/session.server";
import { signInWithPassword } from "~/staff/sign-in.server";

const signInSchema = z.object({
  email: z.email({ message: "Enter your email address." }).max(254, "That email address is too long."),
  password: z
    .string({ message: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX_LENGTH, "That password is too long."),
  redirectTo: z.string().optional(),
});

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const session = await getStaffSession({ request, context });
  if (session?.secondFactorDone) throw redirect(redirectTo);
  return data({ redirectTo }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(await request.formData(), signInSchema, { omitFromValues: ["password"] });
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400, headers: NO_STORE });
  const { email, password } = form.data;
  const result = await signInWithPassword({
    email,
    password,
    ip: context.clientIp,
    userAgent: request.headers.get("User-Agent"),
  });
  if (result.outcome === "blocked") return tooManyAttempts(result.retryAt);
  if (result.outcome === "failed") {
    // One message for unknown address and wrong password alike: the form must not reveal who has an account.
    return data(
      { errors: { form: "That email address and password do not match an active account." }, values: { email } },
      { status: 401, headers: NO_STORE },
    );
  }
  const redirectTo = safeRedirect(form.data.redirectTo);
  const next = result.enrolled
    ? `/staff/sign-in/second-factor?redirectTo=${encodeURIComponent(redirectTo)}`
    : "/staff/enrol";
  return redirect(next, { headers: { "Set-Cookie": result.cookie } });
}

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const feedback = result && "errors" in result ? result : null;
  return (
    <>
      <h1>Sign in</h1>
      <p className="muted">Staff sign-in with your email address, password and authenticator app.</p>
      {result && "throttled" in result ? (
        <div className="alert alert-warn" role="alert">
          {result.throttled}
        </div>
      ) : null}
      <FormError feedback={feedback} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label="Email address" name="email" type="email" autoComplete="username" required feedback={feedback} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required feedback={feedback} />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Continue"}
          </button>
        </div>
      </Form>
      <p className="small muted auth-note">
        New here or locked out? An admin of your team can send you a set-up link.
      </p>
    </>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · Handover" }];
