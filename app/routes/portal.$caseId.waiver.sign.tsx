import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { formatLongDate } from "~/cases/format";
import { CheckboxField, Field, FormError } from "~/components/form";
import { type BodyLimit, largeFormLimit } from "~/http/body-limit";
import { parseForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { type InvalidForm, handle } from "~/http/handle.server";
import { SendTo } from "~/http/refusals.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { describeAuthentication, getSigningStep, signWaiver } from "~/waiver/ceremony.server";
import { SealingFailedError } from "~/waiver/errors.server";
import { portalWaiverUrl } from "~/waiver/paths";
import { SIGNATURE_IMAGE_MAX_CHARS, SIGNATURE_TOO_LARGE, signInput } from "~/waiver/schemas";
import { SignatureField, TimeZoneField } from "~/waiver/ui/signature-pad";
import styles from "~/waiver/ui/waiver.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// The drawn signature is not echoed back with a refused form: it is large, and it is drawn afresh.
const SIGNATURE_FIELDS = ["signatureImage"];
export const bodyLimit: BodyLimit = largeFormLimit(SIGNATURE_IMAGE_MAX_CHARS, SIGNATURE_TOO_LARGE, "signatureImage");

// Steps 3 and 4 of the ceremony. The order is enforced here: consent first (the domain refuses and
// we send the person there), then the emailed code (the step-up guard), then the signature.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
    const step = await getSigningStep({ caseId: session.case.id, contactId: session.contact.id });
    if (step.signingInProgress) throw new SendTo(portalWaiverUrl(session.case.id, "?signing"));
    requireContactStepUp(request, session);
    return { caseId: session.case.id, contactName: session.contact.name, ...step };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
      const caseId = session.case.id;
      // Signing is a sensitive act: a confirmation older than 15 minutes sends the person to confirm
      // again and back to this page (their entries are not kept: they sign afresh).
      if (!hasFreshContactStepUp(session)) {
        throw new SendTo(`/portal/${caseId}/confirm?redirectTo=${encodeURIComponent(portalWaiverUrl(caseId, "/sign"))}`);
      }
      requireContactStepUp(request, session);
      const input = parseForm(form, signInput, { secretFields: SIGNATURE_FIELDS });
      try {
        const signed = await signWaiver({
          actor: contactActor(session, request, context.clientIp),
          caseId,
          contactId: session.contact.id,
          authentication: describeAuthentication({ email: session.contact.email, steppedUpAt: session.steppedUpAt! }),
          steppedUpAt: session.steppedUpAt!,
          input,
        });
        return redirect(portalWaiverUrl(caseId, signed.status === "signed" ? "?signed" : "?signing"));
      } catch (error) {
        // Our fault, not the person's: 503 (try again), with the name they typed kept.
        if (!(error instanceof SealingFailedError)) throw error;
        return data<InvalidForm>(
          {
            errors: { form: "We could not complete your signature, and nothing was signed. Please try again in a few minutes; the MSP has been alerted." },
            values: { fullName: input.fullName },
          },
          { status: 503 },
        );
      }
    },
    { request, secretFields: SIGNATURE_FIELDS },
  );

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
          {/* Controlled, because the typed signature is drawn from it: the kept value seeds the state. */}
          <Field
            label="Your full name"
            name="fullName"
            autoComplete="name"
            required
            value={fullName}
            onChange={(event) => setFullName(event.target.value)}
            hint={`As it should appear on the signed document${step.signerName ? ` (we have ${step.signerName})` : ""}.`}
            feedback={{ errors: feedback?.errors }}
          />
          <SignatureField fullName={fullName} error={errors.signatureImage ?? errors.method} />
          <CheckboxField className="intent" label={step.intentStatement} name="intent" feedback={feedback} />
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
