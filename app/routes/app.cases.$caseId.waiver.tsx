import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { CheckboxGroupField, Field, FormError, SelectField, TextAreaField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { formatDate, formatInstant, formatSize } from "~/cases/format";
import { BACKUP_SET_DISPOSITIONS, backupSetDispositionLabels, backupJobStateLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";
import { readDraftForm } from "~/waiver/draft-form.server";
import { staffWaiverUrl } from "~/waiver/paths";
import { withdrawInput } from "~/waiver/schemas";
import styles from "~/waiver/ui/waiver.css";
import { getWaiverDraftForm, listCaseWaivers, saveWaiverDraft, sendWaiver, waiverStatusLabels, withdrawWaiver } from "~/waiver/waivers.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const [waivers, form] = await Promise.all([listCaseWaivers({ caseId }), getWaiverDraftForm({ caseId })]);
    return { caseId, waivers, form, statusLabels: waiverStatusLabels };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const actor = staffActor(session, request, context.clientIp);
      const intent = form.get("intent");
      if (intent === "send") {
        await sendWaiver({ actor, caseId, waiverId: String(form.get("waiverId") ?? "") });
        return redirect(staffWaiverUrl(caseId, "?sent"));
      }
      if (intent === "withdraw") {
        const { waiverId, reason } = parseForm(form, withdrawInput);
        await withdrawWaiver({ actor, caseId, waiverId, reason });
        return redirect(staffWaiverUrl(caseId));
      }
      await saveWaiverDraft({ actor, caseId, input: readDraftForm(form) });
      return redirect(staffWaiverUrl(caseId, "?saved"));
    },
    { request },
  );

const statusBadge = { draft: "badge", sent: "badge badge-warn", signed: "badge badge-ok", declined: "badge badge-bad", withdrawn: "badge" } as const;

export default function CaseWaiver() {
  const { caseId, waivers, form, statusLabels } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const open = form.open;
  const openRow = open ? waivers.find((waiver) => waiver.id === open.id) : undefined;
  const canPrepare = header.canEdit && open?.status !== "sent";
  const base = staffWaiverUrl(caseId);
  const draftFeedback = feedback?.values?.intent === "save" ? feedback : null;
  // The send form has no fields of its own: what the send check says about a field is its message.
  const sendErrors = feedback?.values?.intent === "send" ? feedback.errors : null;
  const sendFeedback = sendErrors ? { errors: { form: sendErrors.form ?? Object.values(sendErrors).join(" ") } } : null;
  const value = (name: string, fallback: string) => draftFeedback?.values?.[name] ?? fallback;

  return (
    <>
      <section className="card" aria-labelledby="waiver-heading">
        <h2 id="waiver-heading">Backup release waiver</h2>
        <p className="muted small">
          The customer&apos;s signer releases the MSP from running the chosen backup jobs after a date, and agrees what happens to
          each historical backup set. Once signed, those jobs may be stopped. The signed PDF is sealed with the MSP&apos;s
          certificate and sent to the signer, the responsible engineer and the incoming provider.
        </p>
        {openRow?.status === "sent" ? (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <span className={statusBadge.sent}>{statusLabels.sent}</span>
                {openRow.signingInProgress ? <span className="small muted"> · being signed right now</span> : null}
              </dd>
              <dt>Signer</dt>
              <dd>
                {openRow.signerName} ({openRow.signerEmail})
              </dd>
              <dt>Sent</dt>
              <dd>{openRow.sentAt ? formatInstant(openRow.sentAt, header.timeZone) : "—"}</dd>
              <dt>First viewed</dt>
              <dd>{openRow.firstViewedAt ? formatInstant(openRow.firstViewedAt, header.timeZone) : "Not yet"}</dd>
              <dt>Consent to e-signature</dt>
              <dd>{openRow.consentedAt ? formatInstant(openRow.consentedAt, header.timeZone) : "Not yet"}</dd>
              <dt>Backups may stop after</dt>
              <dd>{formatDate(openRow.backupsStopAfter)}</dd>
              <dt>Jobs released</dt>
              <dd>{openRow.jobs.join(", ")}</dd>
              <dt>Texts</dt>
              <dd>
                Template version {openRow.templateVersion}, disclosure version {openRow.disclosureVersion}
              </dd>
            </dl>
            <p>
              <a href={`${base}/${openRow.id}/preview.pdf`} target="_blank" rel="noreferrer">
                Open the PDF as sent
              </a>
            </p>
            {header.canEdit ? (
              <Form method="post" className="stack" noValidate>
                <FormError feedback={feedback?.values?.intent === "withdraw" ? feedback : null} />
                <input type="hidden" name="waiverId" value={openRow.id} />
                <TextAreaField
                  label="Reason for withdrawing"
                  name="reason"
                  rows={2}
                  hint="The signer is told, with this reason."
                  feedback={feedback?.values?.intent === "withdraw" ? feedback : null}
                />
                <div className="form-actions">
                  <button type="submit" name="intent" value="withdraw" className="button-danger" disabled={busy}>
                    Withdraw the waiver
                  </button>
                </div>
              </Form>
            ) : null}
          </>
        ) : null}
        {openRow?.status === "draft" ? (
          <div className="alert alert-info" role="status">
            A draft is saved.{" "}
            <a href={`${base}/${openRow.id}/preview.pdf`} target="_blank" rel="noreferrer">
              Preview the PDF
            </a>{" "}
            and send it to {openRow.signerName} when it is right.
          </div>
        ) : null}
        {!open && !header.canEdit ? <p className="muted">No waiver is open for this case.</p> : null}
      </section>

      {canPrepare ? (
        <section className="card" aria-labelledby="draft-heading">
          <h2 id="draft-heading">{open ? "Edit the draft" : "Prepare a waiver"}</h2>
          {form.signers.length === 0 ? (
            <p className="alert alert-warn">Add a contact with the role “Customer signer” first (Contacts tab).</p>
          ) : form.jobs.length === 0 ? (
            <p className="alert alert-warn">Record the backup jobs first (Backups tab).</p>
          ) : (
            <Form method="post" className="stack" noValidate>
              <FormError feedback={draftFeedback} />
              <div className="form-row">
                <SelectField
                  label="Signer"
                  name="signerContactId"
                  defaultValue={value("signerContactId", form.values.signerContactId)}
                  options={form.signers.map((signer) => ({ value: signer.id, label: `${signer.name} (${signer.email})` }))}
                  feedback={draftFeedback}
                />
                <Field
                  label="Backups may stop after"
                  name="backupsStopAfter"
                  type="date"
                  min={form.today}
                  defaultValue={value("backupsStopAfter", form.values.backupsStopAfter)}
                  hint={`Cutover is ${formatDate(form.cutoverOn)}.`}
                  feedback={draftFeedback}
                />
              </div>
              <CheckboxGroupField
                legend="Backup jobs released"
                name="jobIds"
                feedback={draftFeedback}
                defaultValues={form.values.jobIds}
                options={form.jobs.map((job) => ({
                  value: job.id,
                  disabled: job.state === "stopped",
                  label: (
                    <span>
                      <strong>{job.system}</strong> — {job.scope} <span className="small muted">({backupJobStateLabels[job.state]})</span>
                    </span>
                  ),
                }))}
              />
              <div className="set-grid">
                {form.values.sets.length === 0 ? <p className="muted small">No historical backup sets are recorded for this case.</p> : null}
                {form.values.sets.map((set) => (
                  <fieldset key={set.id}>
                    <legend>
                      {set.description} <span className="small muted">({set.location}, {formatSize(set.sizeGb)})</span>
                    </legend>
                    <input type="hidden" name="setIds" value={set.id} />
                    <SelectField
                      label="Disposition"
                      name={`set.${set.id}.disposition`}
                      defaultValue={value(`set.${set.id}.disposition`, set.disposition)}
                      options={[
                        { value: "", label: "Choose…" },
                        ...BACKUP_SET_DISPOSITIONS.map((disposition) => ({ value: disposition, label: backupSetDispositionLabels[disposition] })),
                      ]}
                      feedback={draftFeedback}
                    />
                    <Field
                      label="Date"
                      name={`set.${set.id}.dispositionOn`}
                      type="date"
                      defaultValue={value(`set.${set.id}.dispositionOn`, set.dispositionOn)}
                      feedback={draftFeedback}
                    />
                    <Field
                      label="Hand-over method"
                      name={`set.${set.id}.handOverMethod`}
                      defaultValue={value(`set.${set.id}.handOverMethod`, set.handOverMethod)}
                      hint="Only for a hand-over."
                      feedback={draftFeedback}
                    />
                  </fieldset>
                ))}
              </div>
              <div className="form-actions">
                <button type="submit" name="intent" value="save" className={open ? "button-secondary" : undefined} disabled={busy}>
                  {open ? "Save the draft" : "Save as draft"}
                </button>
              </div>
            </Form>
          )}
          {open?.status === "draft" ? (
            <Form method="post" className="stack">
              <FormError feedback={sendFeedback} />
              <input type="hidden" name="waiverId" value={open.id} />
              <p className="small muted">
                Sending freezes the text and the tables, emails the signer, and shows the waiver in their portal. The current published
                template and disclosure are used.
              </p>
              <div className="form-actions">
                <button type="submit" name="intent" value="send" disabled={busy}>
                  Send to {openRow?.signerName ?? "the signer"} for signature
                </button>
                <a href={`${base}/${open.id}/preview.pdf`} target="_blank" rel="noreferrer">
                  Preview the PDF
                </a>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">All waivers of this case</h2>
        {waivers.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Signer</th>
                  <th scope="col">Jobs released</th>
                  <th scope="col">Stop after</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {waivers.map((waiver) => (
                  <tr key={waiver.id}>
                    <td>
                      <span className={statusBadge[waiver.status]}>{statusLabels[waiver.status]}</span>
                    </td>
                    <td>{waiver.signedName ?? waiver.signerName ?? "—"}</td>
                    <td>{waiver.jobs.join(", ")}</td>
                    <td>{formatDate(waiver.backupsStopAfter)}</td>
                    <td className="small">
                      {waiver.status === "signed" && waiver.signedAt ? (
                        <>
                          Signed {formatInstant(waiver.signedAt, header.timeZone)} ·{" "}
                          <a href={`${base}/${waiver.id}/signed.pdf`} download>
                            Download the signed PDF
                          </a>
                          <div className="fingerprint">SHA-256 {waiver.sealedSha256}</div>
                        </>
                      ) : waiver.status === "declined" ? (
                        <>Declined: {waiver.declineReason}</>
                      ) : waiver.status === "withdrawn" ? (
                        <>Withdrawn: {waiver.withdrawReason}</>
                      ) : waiver.sentAt ? (
                        <>Sent {formatInstant(waiver.sentAt, header.timeZone)}</>
                      ) : (
                        <>Prepared by {waiver.preparedBy}</>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
