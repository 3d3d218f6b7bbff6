import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/forms/parse.server";
import { tooManyAttempts } from "~/security/rate-limit.server";
import { passThroughHeaders } from "~/security/route-headers";
import { safeRedirect } from "~/security/safe-redirect.server";
import { requireStaff } from "~/http/guards.server";
import { stepUp } from "~/staff/sign-in.server";

const stepUpSchema = z.object({
  code: z
    .string({ message: "Enter the 6-digit code your app shows." })
    .regex(/^\d{3} ?\d{3}$/, "Enter the 6 digits your app shows."),
  redirectTo: z.string().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  return { redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context });
  const form = parseForm(await request.formData(), stepUpSchema, { omitFromValues: ["code"] });
  if (!form.ok) return data({ errors: form.errors, values: {} }, { status: 400 });
  const result = await stepUp({
    session,
    code: form.data.code,
    ip: context.clientIp,
    userAgent: request.headers.get("User-Agent"),
  });
  if (result.outcome === "blocked") return tooManyAttempts(result.retryAt);
  if (result.outcome === "failed") {
    return data({ errors: { code: "That code is not right, or it was already used. Wait for the next one." }, values: {} }, { status: 401 });
  }
  return redirect(safeRedirect(form.data.redirectTo));
}

export default function StepUp() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const feedback = result && "errors" in result ? result : null;
  return (
    <div className="narrow">
      <section className="card">
        <h1>Confirm it’s you</h1>
        <p className="muted">
          Sensitive changes (staff accounts, the MSP profile, recovery codes) need a fresh 6-digit code from your
          authenticator app. The confirmation lasts ten minutes.
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
