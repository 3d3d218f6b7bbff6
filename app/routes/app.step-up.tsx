import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { passThroughHeaders } from "~/security/route-headers";
import { safeRedirect } from "~/security/safe-redirect.server";
import { requireStaff } from "~/http/guards.server";
import { stepUp } from "~/staff/sign-in.server";

const stepUpSchema = z.object({
  code: z
    .string({ message: "Enter the 6-digit code your app shows." })
    // A secret field reaches the schema as typed; a pasted code may bring spaces around it.
    .trim()
    .regex(/^\d{3} ?\d{3}$/, "Enter the 6 digits your app shows."),
  redirectTo: z.string().optional(),
});

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    return { redirectTo: safeRedirect(new URL(args.request.url).searchParams.get("redirectTo")) };
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context });
      const { code, redirectTo } = parseForm(form, stepUpSchema, { secretFields: ["code"] });
      await stepUp({ session, code, ip: context.clientIp, userAgent: request.headers.get("User-Agent") });
      return redirect(safeRedirect(redirectTo));
    },
    { request, secretFields: ["code"] },
  );

export default function StepUp() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow">
      <section className="card">
        <h1>Confirm it’s you</h1>
        <p className="muted">
          Sensitive changes (staff accounts, the MSP profile, recovery codes) need a fresh 6-digit code from your
          authenticator app. The confirmation lasts ten minutes.
        </p>
        <FormError feedback={feedback} />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field
            label="6-digit code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            autoFocus
            required
            feedback={feedback}
          />
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Confirm"}
            </button>
            <Link to={redirectTo}>Cancel</Link>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm it’s you · Handover" }];
