import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { FormError } from "~/components/form";
import { type InvalidForm, invalid, parseForm } from "~/forms/parse.server";
import { formatLongDate } from "~/cases/format";
import { attempt } from "~/cases/http.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { describeAuthentication, getSigningStep, signWaiver } from "~/waiver/ceremony.server";
import { SealingFailedError } from "~/waiver/errors.server";
import { ceremonyGuarded } from "~/waiver/http.server";
import { portalWaiverUrl } from "~/waiver/paths";
import { signInput } from "~/waiver/schemas";
import { SignatureField, TimeZoneField } from "~/waiver/signature-pad";
import styles from "~/waiver/waiver.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// Steps 3 and 4 of the ceremony. The order is enforced here: consent first (the domain refuses and
// we send the person there), then the emailed code (the step-up guard), then the signature.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
  const step = await ceremonyGuarded(session.case.id, () => getSigningStep({ caseId: session.case.id, contactId: session.contact.id }));
  if (step.signingInProgress) throw redirect(portalWaiverUrl(session.case.id, "?signing"));
  requireContactStepUp(request, session);
  return { caseId: session.case.id, contactName: session.contact.name, ...step };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
  const caseId = session.case.id;
  // Signing is a sensitive act: a confirmation older than 15 minutes sends the person to confirm
  // again and back to this page (their entries are not kept: they sign afresh).
  if (!hasFreshContactStepUp(session)) {
    throw redirect(`/portal/${caseId}/confirm?redirectTo=${encodeURIComponent(portalWaiverUrl(caseId, "/sign"))}`);
  }
  requireContactStepUp(request, session);
  const form = parseForm(await request.formData(), signInput, { omitFromValues: ["signatureImage"] });
  if (!form.ok) return invalid(form.errors, form.values);
  const actor = contactActor(session, request, context.clientIp);
  try {
    const result = await attempt(() =>
      ceremonyGuarded(caseId, () =>
        signWaiver({
          actor,
          caseId,
          contactId: session.contact.id,
          authentication: describeAuthentication({ email: session.contact.email, steppedUpAt: session.steppedUpAt! }),
          steppedUpAt: session.steppedUpAt!,
          input: form.data,
        }),
      ),
    );
    if (!result.ok) return invalid(result.errors, { fullName: form.data.fullName });
    return redirect(portalWaiverUrl(caseId, result.value.status === "signed" ? "?signed" : "?signing"));
  } catch (error) {
    if (!(error instanceof SealingFailedError)) throw error;
    return data<InvalidForm>(
      {
        errors: { form: "We could not complete your signature, and nothing was signed. Please try again in a few minutes; the MSP has been alerted." },
        values: { fullName: form.data.fullName },
      },
      { status: 503 },
    );
  }
}

export default function SignWaiver() {
  const step = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [fullName, setFullName] = useState(feedback?.values?.fullName ?? "");
  const base = portalWaiverUrl(step.caseId);
  const errors: Record<string, string | undefined> = feedback?.errors ?? {};
  return (
    <div className="page-narrow">
      <p className="small breadcrumbs">
        <Link to={base}>Backup release</Link> <span aria-hidden="true">/</span> Sign
      </p>
      <section className="card" aria-labelledby="sign-heading">
        <h1 id="sign-heading">Sign the backup release</h1>
        <p>
          You are signing for <strong>{step.customerName}</strong> the release that lets {step.mspName} stop{" "}
          {step.jobCount === 1 ? "one backup job" : `${step.jobCount} backup jobs`} after {formatLongDate(step.backupsStopAfter)}.{" "}
          <Link to={base}>Read it again</Link>.
        </p>
        <p className="small muted">
          Document <span className="fingerprint">{step.waiverId}</span>, SHA-256 of the version you read:{" "}
          <span className="fingerprint">{step.documentSha256}</span>
        </p>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <input type="hidden" name="waiverId" value={step.waiverId} />
          <input type="hidden" name="documentSha256" value={step.documentSha256} />
          <TimeZoneField />
          <div className="field">
            <label htmlFor="fullName">Your full name</label>
            <input
              id="fullName"
              name="fullName"
              autoComplete="name"
              required
              value={fullName}
              onChange={(event) => setFullName(event.target.value)}
              aria-invalid={errors.fullName ? true : undefined}
              aria-describedby={errors.fullName ? "fullName-error" : "fullName-hint"}
            />
            <span className="hint" id="fullName-hint">
              As it should appear on the signed document{step.signerName ? ` (we have ${step.signerName})` : ""}.
            </span>
            {errors.fullName ? (
              <span className="field-error" id="fullName-error" role="alert">
                {errors.fullName}
              </span>
            ) : null}
          </div>
          <SignatureField fullName={fullName} error={errors.signatureImage ?? errors.method} />
          <div className="intent">
            <input type="checkbox" id="intent" name="intent" aria-describedby={errors.intent ? "intent-error" : undefined} />
            <label htmlFor="intent">{step.intentStatement}</label>
          </div>
          {errors.intent ? (
            <span className="field-error" id="intent-error" role="alert">
              {errors.intent}
            </span>
          ) : null}
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? "Signing…" : "Sign the backup release"}
            </button>
            <Link to={`${base}/decline`}>Decline instead</Link>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign the backup release" }];
