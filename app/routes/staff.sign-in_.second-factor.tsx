import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
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

export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
    const session = await pendingSession({ request, context }, redirectTo);
    return data({ redirectTo, name: session.user.name }, { headers: NO_STORE });
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      // Where to go next is needed before the form is checked: a finished session goes there at once.
      const redirectTo = safeRedirect(form.get("redirectTo")?.toString().trim());
      const session = await pendingSession({ request, context }, redirectTo);
      const { code } = parseForm(form, codeSchema, { secretFields: ["code"] });
      const { cookie } = await completeSignIn({ session, code, ip: context.clientIp, userAgent: request.headers.get("User-Agent") });
      return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
    },
    { request, secretFields: ["code"], headers: NO_STORE },
  );

export default function SecondFactor() {
  const { redirectTo, name } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>Confirm it’s you</h1>
      <p className="muted">
        Hello {name}. Enter the 6-digit code from your authenticator app. If you do not have your phone, enter one of
        your recovery codes instead.
      </p>
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
