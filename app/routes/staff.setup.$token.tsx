import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { passThroughHeaders } from "~/security/route-headers";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, SETUP_LINK_SPENT } from "~/staff/rules";
import { createStaffSession } from "~/staff/session.server";
import { completeSetup, findSetupLink } from "~/staff/setup-link.server";

const passwordSchema = z
  .object({
    password: z
      .string({ message: "Choose a password." })
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    confirmPassword: z.string({ message: "Enter the password again." }),
  })
  .refine((form) => form.password === form.confirmPassword, {
    message: "The two passwords differ.",
    path: ["confirmPassword"],
  });

// The token is in the address: it must not leak to other sites in a Referer, nor sit in a cache.
const TOKEN_PAGE_HEADERS = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };
const PASSWORD_FIELDS = ["password", "confirmPassword"];

// Opening the link (GET, also done by mail scanners) only shows the form; only the POST spends it.
export const loader = ({ params }: LoaderFunctionArgs) =>
  handle(async () => {
    const link = await findSetupLink({ token: params.token ?? "" });
    if (!link) return data({ link: null }, { status: 404, headers: TOKEN_PAGE_HEADERS });
    return data({ link: { name: link.name, email: link.email } }, { headers: TOKEN_PAGE_HEADERS });
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const { password } = parseForm(form, passwordSchema, { secretFields: PASSWORD_FIELDS });
      const ip = context.clientIp;
      const userAgent = request.headers.get("User-Agent");
      const { userId } = await completeSetup({ token: params.token ?? "", password, ip, userAgent });
      // The password is set: the second factor comes next, on the enrolment page.
      const cookie = await createStaffSession({ userId, ip, userAgent });
      return redirect("/staff/enrol", { headers: { "Set-Cookie": cookie, ...TOKEN_PAGE_HEADERS } });
    },
    { request, secretFields: PASSWORD_FIELDS, headers: TOKEN_PAGE_HEADERS },
  );

export default function StaffSetup() {
  const { link } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!link) {
    return (
      <>
        <h1>Link no longer valid</h1>
        <p>{SETUP_LINK_SPENT}</p>
        <p>
          <Link to="/staff/sign-in">Go to sign-in</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Set up your account</h1>
      <p className="muted">
        Welcome, {link.name}. Choose a password for <strong>{link.email}</strong>. Next you will connect an
        authenticator app.
      </p>
      <FormError feedback={result} />
      <Form method="post" className="stack" noValidate>
        {/* Lets password managers store the new password under the right account. */}
        <input type="hidden" name="username" value={link.email} autoComplete="username" />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words work well.`}
          feedback={result}
        />
        <Field
          label="Repeat the password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          feedback={result}
        />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Set password and continue"}
          </button>
        </div>
      </Form>
    </>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Set up your account · Handover" }];
