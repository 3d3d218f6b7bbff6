import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { Field, FormError, SelectField, TextAreaField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { formatDate, formatInstant } from "~/cases/format";
import { asOptions } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";
import { listCredentialAccess } from "~/vault/access-log.server";
import { addCredential, listCredentialsForStaff, setCredentialRelease } from "~/vault/credentials.server";
import { recordCredentialsPageOpened } from "~/vault/page-opened.server";
import { newCredentialInput, releaseInput, SECRET_FIELDS } from "~/vault/schemas.server";
import { AccessRecord, RotationBadge } from "~/vault/ui/credential-parts";
import { RevealButton } from "~/vault/ui/reveal-button";
import vaultStyles from "~/vault/ui/vault.css";
import { RELEASE_CHOICES, releaseChoiceLabels } from "~/vault/vocabulary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vaultStyles }];

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const caseId = idParam(params);
    const list = await listCredentialsForStaff({ caseId });
    await recordCredentialsPageOpened({ actor: staffActor(session, request, context.clientIp), caseId, audience: "staff" });
    const mayReveal = session.user.role !== "legal";
    return {
      noticeReceivedOn: list.case.noticeReceivedOn,
      timeZone: list.case.timeZone,
      keysReceived: list.vault?.keysReceivedAt
        ? { at: list.vault.keysReceivedAt.toISOString(), by: list.vault.keysReceivedByLabel ?? "" }
        : null,
      purgedAt: list.vault?.purgedAt?.toISOString() ?? null,
      canReveal: mayReveal && !list.vault?.keysReceivedAt && !list.vault?.purgedAt,
      credentials: list.credentials.map((row) => ({ ...row, rotationRecordedAt: row.rotationRecordedAt?.toISOString() ?? null, purgedAt: row.purgedAt?.toISOString() ?? null })),
      access: await listCredentialAccess({ caseId, audience: "staff" }),
    };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "release") {
        const credentialId = String(form.get("credentialId") ?? "");
        await setCredentialRelease({ actor, caseId, credentialId, input: parseForm(form, releaseInput) });
      } else {
        await addCredential({ actor, caseId, input: parseForm(form, newCredentialInput, { secretFields: SECRET_FIELDS }) });
      }
      return redirect(`/app/cases/${caseId}/credentials`);
    },
    { request, secretFields: SECRET_FIELDS },
  );

const releaseOptions = asOptions(releaseChoiceLabels, RELEASE_CHOICES);

export default function CaseCredentials() {
  const data = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const base = `/app/cases/${header.id}/credentials`;
  const canEdit = header.canEdit && !data.purgedAt;
  const pending = data.credentials.filter((c) => !c.ready && !c.purgedAt);
  const unreleased = data.credentials.filter((c) => !c.releaseTo);
  const ready = data.credentials.filter((c) => c.ready && c.releaseTo && !c.purgedAt);
  const addFeedback = feedback?.values?.intent === "release" ? null : feedback;
  return (
    <>
      <section className="card" aria-labelledby="credentials-heading">
        <div className="section-header">
          <h2 id="credentials-heading">Credentials</h2>
          {canEdit ? (
            <Link className="button button-secondary" to={`${base}/import`}>
              Import from CSV
            </Link>
          ) : null}
        </div>
        <p className="muted small">
          Secrets are encrypted with this case&apos;s own key. Only credentials rotated on or after the notice date (
          {formatDate(data.noticeReceivedOn)}) are released to the customer or the incoming provider; the others show to them as
          “awaiting rotation”, without values.
        </p>
        <ul className="vault-summary small">
          <li>
            <strong>{data.credentials.length}</strong> recorded
          </li>
          <li>
            <strong>{ready.length}</strong> released and rotated
          </li>
          <li>
            <strong>{pending.length}</strong> awaiting rotation
          </li>
          <li>
            <strong>{unreleased.length}</strong> not released
          </li>
        </ul>
        {data.keysReceived ? (
          <div className="alert alert-info" role="status">
            {`Keys received: ${data.keysReceived.by.replace(/\s*<[^>]*>$/, "")} confirmed receipt on ${formatInstant(data.keysReceived.at, data.timeZone)}. MSP staff can no longer reveal these credentials; attempts are refused and recorded.`}
          </div>
        ) : null}
        {data.purgedAt ? (
          <div className="alert alert-info" role="status">
            {`The secret values were destroyed on ${formatInstant(data.purgedAt, data.timeZone)} when portal access ended. The record below remains.`}
          </div>
        ) : null}
      </section>

      {pending.length > 0 ? (
        <section className="card" aria-labelledby="pending-heading">
          <h2 id="pending-heading">Still awaiting rotation</h2>
          <p className="muted small">These will not be released until their rotation on or after {formatDate(data.noticeReceivedOn)} is recorded.</p>
          <ul>
            {pending.map((c) => (
              <li key={c.id}>
                {canEdit ? <Link to={`${base}/${c.id}#rotation`}>{c.name}</Link> : c.name}
                {c.category ? <span className="muted"> · {c.category}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">All credentials</h2>
        {data.credentials.length === 0 ? (
          <p className="muted">No credentials recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="credential-table">
              <thead>
                <tr>
                  <th scope="col">Credential</th>
                  <th scope="col">Released to</th>
                  <th scope="col">Rotation</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.credentials.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.name}</strong>
                      {c.category ? <span className="small muted"> · {c.category}</span> : null}
                      {c.url ? <span className="small credential-meta">{c.url}</span> : null}
                      {c.username ? <span className="small mono credential-meta">{c.username}</span> : null}
                      <span className="small muted credential-meta">
                        {[c.hasTotp ? "TOTP seed stored" : null, c.hasNotes ? "has notes" : null].filter(Boolean).join(" · ")}
                      </span>
                    </td>
                    <td>
                      {canEdit ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="release" />
                          <input type="hidden" name="credentialId" value={c.id} />
                          <label className="sr-only" htmlFor={`release-${c.id}`}>
                            {`Who receives ${c.name}`}
                          </label>
                          <select id={`release-${c.id}`} name="releaseTo" defaultValue={c.releaseTo ?? "none"}>
                            {releaseOptions.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                          <button type="submit" className="button-secondary" disabled={busy}>
                            Save
                          </button>
                        </Form>
                      ) : (
                        releaseChoiceLabels[c.releaseTo ?? "none"]
                      )}
                    </td>
                    <td>
                      <RotationBadge rotatedOn={c.rotatedOn} ready={c.ready} purged={!!c.purgedAt} />
                      {c.rotatedByLabel ? (
                        <span className="small muted credential-meta">
                          {`by ${c.rotatedByLabel.replace(/\s*<[^>]*>$/, "")}: ${c.rotationMethod ?? ""}`}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      {data.canReveal && !c.purgedAt ? (
                        <RevealButton action={`${base}/${c.id}/reveal`} name={c.name} stepUpHref={`/app/step-up?redirectTo=${encodeURIComponent(base)}`} />
                      ) : null}
                      {canEdit && !c.purgedAt ? (
                        <Link to={`${base}/${c.id}`} aria-label={`Edit ${c.name}`}>
                          Edit
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {canEdit ? (
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Add a credential</h2>
          <Form method="post" className="stack" noValidate autoComplete="off">
            <input type="hidden" name="intent" value="add" />
            <FormError feedback={addFeedback} />
            <div className="form-row">
              <Field label="Name" name="name" required feedback={addFeedback} hint="e.g. Microsoft 365 global admin" />
              <Field label="System or category" name="category" feedback={addFeedback} hint="e.g. Microsoft 365, Firewall" />
            </div>
            <div className="form-row">
              <Field label="Sign-in URL" name="url" type="url" feedback={addFeedback} />
              <Field label="Username" name="username" autoComplete="off" feedback={addFeedback} />
            </div>
            <div className="form-row">
              <Field label="Password or secret" name="secret" type="password" autoComplete="new-password" required feedback={addFeedback} />
              <Field
                label="TOTP seed (optional)"
                name="totp"
                type="password"
                autoComplete="off"
                feedback={addFeedback}
                hint="Base32 seed or otpauth:// link"
              />
            </div>
            <TextAreaField label="Notes (optional, encrypted)" name="notes" rows={3} feedback={addFeedback} hint="Recovery codes, PINs: stored encrypted like the secret." />
            <SelectField label="Who receives it" name="releaseTo" options={releaseOptions} defaultValue="none" feedback={addFeedback} />
            <div className="form-actions">
              <button type="submit" disabled={busy}>
                Add credential
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <AccessRecord entries={data.access} timeZone={data.timeZone} showNetwork />
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
