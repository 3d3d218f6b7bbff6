import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ReportDetails, ReviewForms, TransitionBadge } from "~/backups/ui/backup-transition";
import { Field, FormError, TextAreaField } from "~/components/form";
import { EVIDENCE_BODY_LIMIT, acceptEvidence, readEvidenceUpload } from "~/backups/evidence.server";
import { listJobReports, rejectBackupReport, submitBackupReport, verifyBackupReport } from "~/backups/reports.server";
import { backupReportInput, rejectReportInput, verifyReportInput } from "~/backups/schemas";
import { getJobTransition } from "~/backups/transition.server";
import { EVIDENCE_TYPES_LABEL } from "~/backups/vocabulary";
import { getBackupJob } from "~/cases/backups.server";
import { parseForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import type { BodyLimit } from "~/http/body-limit";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { type FieldErrors, Forbidden, InvalidInput } from "~/http/refusals.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";

export const bodyLimit: BodyLimit = EVIDENCE_BODY_LIMIT;

const withoutEmail = (label: string | null) => (label === null ? null : label.replace(/\s*<[^>]*>$/, ""));

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const caseId = session.case.id;
    const jobId = idParam(args.params, "jobId");
    const [job, reports] = await Promise.all([getJobTransition({ caseId, jobId }), listJobReports({ caseId, jobId })]);
    return {
      caseId,
      jobId,
      role: session.contact.role,
      timeZone: session.case.timeZone,
      steppedUp: hasFreshContactStepUp(session),
      job: { system: job.system, scope: job.scope, schedule: job.schedule, transition: job.transition },
      // Other people's email addresses stay with the MSP: the portal shows names.
      reports: reports.map((report) => ({
        ...report,
        reportedByLabel: withoutEmail(report.reportedByLabel)!,
        reviewedByLabel: withoutEmail(report.reviewedByLabel),
      })),
    };
  });

// An upload refused before its body is read leaves the rest of the body on the connection: the
// answer closes the connection, so the browser does not send its next request after that data.
const CLOSE = { Connection: "close" };

/** The report's fields, refused together with the file's problem: every problem shows at once. */
function parseReport(form: FormData, fileErrors: FieldErrors) {
  try {
    return parseForm(form, backupReportInput);
  } catch (error) {
    throw error instanceof InvalidInput ? new InvalidInput({ ...error.errors, ...fileErrors }) : error;
  }
}

const isUpload = (request: Request) => (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");

export const action = (args: ActionFunctionArgs) => (isUpload(args.request) ? reportBackup(args) : reviewReport(args));

/** The incoming provider reports its first backup of the job, with an evidence file. */
async function reportBackup({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const caseId = session.case.id;
  const jobId = idParam(params, "jobId");
  // Another case's job is not found, and only the incoming provider reports: both are refused
  // before any of the upload is read.
  await handle(
    async () => {
      await getBackupJob({ caseId, jobId });
      if (session.contact.role !== "provider") throw new Forbidden("Backups are reported by the incoming provider.");
    },
    { headers: CLOSE },
  );
  let file: { name: string; bytes: Uint8Array } | null = null;
  return handle(
    async (form) => {
      const checked = acceptEvidence(file ?? { bytes: new Uint8Array() });
      const fileErrors: FieldErrors = checked.ok ? {} : { evidence: checked.message };
      const input = parseReport(form, fileErrors);
      if (!checked.ok) throw new InvalidInput(fileErrors);
      await submitBackupReport({ actor: contactActor(session, request, context.clientIp), caseId, jobId, input, file });
      return redirect(`/portal/${caseId}/backups/${jobId}?reported`);
    },
    {
      request,
      // The upload is read with its size caps, not as a plain form, which would hold any size in memory.
      read: async (body) => {
        const upload = await readEvidenceUpload(body);
        if (!upload.ok) throw new InvalidInput({ evidence: upload.message });
        file = upload.file;
        return upload.formData;
      },
      headers: CLOSE,
    },
  );
}

// Verifying or rejecting lets the MSP stop backups (or not): only the customer signer, with a
// fresh emailed code.
const reviewReport = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId });
      const caseId = session.case.id;
      const jobId = idParam(params, "jobId");
      const actor = contactActor(session, request, context.clientIp);
      await getBackupJob({ caseId, jobId });
      if (session.contact.role !== "customer_signer") throw new Forbidden("Reports are reviewed by the customer signer.");
      requireContactStepUp(request, session);
      if (form.get("intent") === "reject") {
        const { reportId, reason } = parseForm(form, rejectReportInput);
        await rejectBackupReport({ actor, caseId, reportId, reason });
      } else {
        const { reportId } = parseForm(form, verifyReportInput);
        await verifyBackupReport({ actor, caseId, reportId });
      }
      return redirect(`/portal/${caseId}/backups/${jobId}`);
    },
    { request },
  );

export default function PortalBackupJob() {
  const { caseId, jobId, role, timeZone, steppedUp, job, reports } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [search] = useSearchParams();
  const status = job.transition.status;
  const evidenceHref = (reportId: string) => `/portal/${caseId}/backups/reports/${reportId}/evidence`;
  const here = `/portal/${caseId}/backups/${jobId}`;
  return (
    <>
      <p className="small">
        <Link to={`/portal/${caseId}/backups`}>← All backup jobs</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>{job.system}</h1>
          <p className="muted">{job.scope}</p>
        </div>
        <TransitionBadge status={status} />
      </div>
      {search.has("reported") ? (
        <div className="alert alert-ok" role="status">
          Thank you. Your report was sent for verification.
        </div>
      ) : null}
      <section className="card" aria-labelledby="status-heading">
        <h2 id="status-heading">Where this job stands</h2>
        <p>{job.transition.explanation}</p>
        <dl className="facts">
          <dt>Schedule</dt>
          <dd>{job.schedule}</dd>
        </dl>
      </section>

      {role === "provider" && status === "awaiting_report" ? (
        <section className="card" aria-labelledby="report-heading">
          <h2 id="report-heading">Report your first successful backup</h2>
          <p className="muted small">
            Report a completed backup of the same scope by your own system. Attach evidence: a job report, log or screenshot ({EVIDENCE_TYPES_LABEL},
            up to 10 MB).
          </p>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <FormError feedback={feedback} />
            <div className="form-row">
              <Field
                label="Backup completed at"
                name="completedAt"
                type="datetime-local"
                feedback={feedback}
                required
                hint={`Local time in ${timeZone}.`}
              />
              <Field label="Backup system" name="providerSystem" feedback={feedback} required maxLength={200} hint="Product and server, e.g. Veeam B&R 12 on BH-VBR01." />
              <Field label="Job reference" name="jobReference" feedback={feedback} required maxLength={200} hint="The job's name or id in that system." />
            </div>
            <TextAreaField label="Notes (optional)" name="notes" feedback={feedback} rows={3} maxLength={2000} />
            <Field
              label="Evidence file"
              name="evidence"
              type="file"
              feedback={feedback}
              required
              accept=".pdf,.png,.jpg,.jpeg,.txt,.log,application/pdf,image/png,image/jpeg,text/plain"
              hint={`${EVIDENCE_TYPES_LABEL}, up to 10 MB.`}
            />
            <div className="form-actions">
              <button type="submit" disabled={busy}>
                Send report
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section className="card" aria-labelledby="reports-heading">
        <h2 id="reports-heading">Reports</h2>
        {reports.length === 0 ? (
          <p className="muted">No backup reported yet.</p>
        ) : (
          reports.map((report) => (
            <div key={report.id}>
              <ReportDetails report={report} timeZone={timeZone} evidenceHref={evidenceHref(report.id)} />
              {report.status === "submitted" && role === "customer_signer" ? (
                steppedUp ? (
                  <ReviewForms reportId={report.id} feedback={feedback} busy={busy} />
                ) : (
                  <p>
                    To verify or reject this report, first confirm it is you with a code we email you.{" "}
                    <Link className="button button-secondary" to={`/portal/${caseId}/confirm?redirectTo=${encodeURIComponent(here)}`}>
                      Confirm and review
                    </Link>
                  </p>
                )
              ) : null}
            </div>
          ))
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Backup job" }];

// Remix passes only Set-Cookie from an action into the page's response: carry the upload refusals'
// "Connection: close" through, so the client does not reuse a connection with an unread body on it.
export const headers: HeadersFunction = ({ parentHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const close = actionHeaders.get("Connection") ?? errorHeaders?.get("Connection");
  if (close) headers.set("Connection", close);
  return headers;
};
