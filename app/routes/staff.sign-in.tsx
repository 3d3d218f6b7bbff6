import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
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

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
    const session = await getStaffSession({ request, context });
    if (session?.secondFactorDone) throw redirect(redirectTo);
    return data({ redirectTo }, { headers: NO_STORE });
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const { email, password, redirectTo } = parseForm(form, signInSchema, { secretFields: ["password"] });
      const { cookie, enrolled } = await signInWithPassword({
        email,
        password,
        ip: context.clientIp,
        userAgent: request.headers.get("User-Agent"),
      });
      const next = enrolled
        ? `/staff/sign-in/second-factor?redirectTo=${encodeURIComponent(safeRedirect(redirectTo))}`
        : "/staff/enrol";
      return redirect(next, { headers: { "Set-Cookie": cookie } });
    },
    { request, secretFields: ["password"], headers: NO_STORE },
  );

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>Sign in</h1>
      <p className="muted">Staff sign-in with your email address, password and authenticator app.</p>
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
