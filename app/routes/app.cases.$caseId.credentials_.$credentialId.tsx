import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { Field, FormError, SelectField, TextAreaField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { todayIn } from "~/cases/dates";
import { formatDate } from "~/cases/format";
import { asOptions } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { Gone } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";
import { getCredentialForStaff, recordRotation, removeCredential, updateCredential } from "~/vault/credentials.server";
import { credentialChangesInput, rotationInput, SECRET_FIELDS } from "~/vault/schemas.server";
import { RotationBadge } from "~/vault/ui/credential-parts";
import { RELEASE_CHOICES, releaseChoiceLabels } from "~/vault/vocabulary";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const credentialId = idParam(args.params, "credentialId");
    const { case: kase, credential } = await getCredentialForStaff({ caseId, credentialId });
    if (credential.purgedAt) throw new Gone("The secret values of this credential were destroyed; it can no longer be changed.");
    return {
      noticeReceivedOn: kase.noticeReceivedOn,
      today: todayIn(kase.timeZone),
      credential: {
        id: credential.id,
        name: credential.name,
        category: credential.category,
        url: credential.url,
        username: credential.username,
        hasTotp: credential.hasTotp,
        hasNotes: credential.hasNotes,
        releaseTo: credential.releaseTo ?? "none",
        rotatedOn: credential.rotatedOn,
        rotationMethod: credential.rotationMethod,
        rotatedBy: credential.rotatedByLabel?.replace(/\s*<[^>]*>$/, "") ?? null,
        ready: credential.ready,
      },
    };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const credentialId = idParam(params, "credentialId");
      const actor = staffActor(session, request, context.clientIp);
      const intent = form.get("intent");
      if (intent === "remove") await removeCredential({ actor, caseId, credentialId });
      else if (intent === "rotate") {
        await recordRotation({ actor, caseId, credentialId, input: parseForm(form, rotationInput, { secretFields: SECRET_FIELDS }) });
      } else {
        await updateCredential({ actor, caseId, credentialId, input: parseForm(form, credentialChangesInput, { secretFields: SECRET_FIELDS }) });
      }
      return redirect(`/app/cases/${caseId}/credentials`);
    },
    { request, secretFields: SECRET_FIELDS },
  );

const releaseOptions = asOptions(releaseChoiceLabels, RELEASE_CHOICES);

export default function EditCredential() {
  const { credential, noticeReceivedOn, today } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!header.canEdit) return <ReadOnlyNotice />;
  const rotateFeedback = feedback?.values?.intent === "rotate" ? feedback : null;
  const detailsFeedback = feedback && feedback.values?.intent !== "rotate" ? feedback : null;
  const base = `/app/cases/${header.id}/credentials`;
  return (
    <>
      <p className="small">
        <Link to={base}>← All credentials</Link>
      </p>
      <section className="card" aria-labelledby="rotation-heading" id="rotation">
        <h2 id="rotation-heading">{`Rotation of ${credential.name}`}</h2>
        <p>
          <RotationBadge rotatedOn={credential.rotatedOn} ready={credential.ready} purged={false} />
          {credential.rotatedBy ? <span className="small muted">{` by ${credential.rotatedBy}: ${credential.rotationMethod ?? ""}`}</span> : null}
        </p>
        <p className="muted small">
          Record the change that made the MSP&apos;s knowledge of this credential useless (new password, sessions revoked). Only a
          rotation on or after the notice date ({formatDate(noticeReceivedOn)}) releases it. Enter the new password here if it
          changed.
        </p>
        <Form method="post" className="stack" noValidate autoComplete="off">
          <input type="hidden" name="intent" value="rotate" />
          <FormError feedback={rotateFeedback} />
          <div className="form-row">
            <Field label="Rotated on" name="rotatedOn" type="date" max={today} defaultValue={today} feedback={rotateFeedback} />
            <Field label="How it was rotated" name="method" required feedback={rotateFeedback} hint="e.g. Password reset in the admin centre, all sessions signed out" />
          </div>
          <div className="form-row">
            <Field label="New password (optional)" name="secret" type="password" autoComplete="new-password" feedback={rotateFeedback} />
            <Field label="New TOTP seed (optional)" name="totp" type="password" autoComplete="off" feedback={rotateFeedback} />
          </div>
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Record rotation
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <Form method="post" className="stack" noValidate autoComplete="off">
          <input type="hidden" name="intent" value="update" />
          <FormError feedback={detailsFeedback} />
          <div className="form-row">
            <Field label="Name" name="name" required defaultValue={credential.name} feedback={detailsFeedback} />
            <Field label="System or category" name="category" defaultValue={credential.category} feedback={detailsFeedback} />
          </div>
          <div className="form-row">
            <Field label="Sign-in URL" name="url" defaultValue={credential.url} feedback={detailsFeedback} />
            <Field label="Username" name="username" defaultValue={credential.username} feedback={detailsFeedback} />
          </div>
          <SelectField label="Who receives it" name="releaseTo" options={releaseOptions} defaultValue={credential.releaseTo} feedback={detailsFeedback} />
          <fieldset>
            <legend>Stored values (never shown here)</legend>
            <p className="muted small">Leave blank to keep what is stored. To see a value, use Reveal on the list.</p>
            <div className="form-row">
              <Field label="Replace the password" name="secret" type="password" autoComplete="new-password" feedback={detailsFeedback} />
              <Field label={credential.hasTotp ? "Replace the TOTP seed" : "Add a TOTP seed"} name="totp" type="password" autoComplete="off" feedback={detailsFeedback} />
            </div>
            {credential.hasTotp ? (
              <label className="checkbox">
                <input type="checkbox" name="removeTotp" /> Remove the stored TOTP seed
              </label>
            ) : null}
            <TextAreaField label={credential.hasNotes ? "Replace the notes" : "Add notes"} name="notes" rows={3} feedback={detailsFeedback} />
            {credential.hasNotes ? (
              <label className="checkbox">
                <input type="checkbox" name="clearNotes" /> Remove the stored notes
              </label>
            ) : null}
          </fieldset>
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Save changes
            </button>
            <Link to={base}>Cancel</Link>
          </div>
        </Form>
      </section>

      <section className="card danger-zone" aria-labelledby="remove-heading">
        <h2 id="remove-heading">Remove</h2>
        <p className="muted small">Removes the credential and its encrypted values. The audit trail keeps the record that it existed.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="remove" />
          <button type="submit" className="button-danger" disabled={busy}>
            {`Remove ${credential.name}`}
          </button>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.credential.name} · Credentials` : "Credential" }];

export const ErrorBoundary = CaseErrorBoundary;
