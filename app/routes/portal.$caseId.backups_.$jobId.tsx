import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ReportDetails, ReviewForms, TransitionBadge } from "~/components/backup-transition";
import { Field, FormError, TextAreaField } from "~/components/form";
import { acceptEvidence, readEvidenceUpload } from "~/backups/evidence.server";
import { listJobReports, rejectBackupReport, submitBackupReport, verifyBackupReport } from "~/backups/reports.server";
import { backupReportInput, rejectReportInput, verifyReportInput } from "~/backups/schemas";
import { getJobTransition } from "~/backups/transition.server";
import { EVIDENCE_TYPES_LABEL } from "~/backups/vocabulary";
import { type InvalidForm, invalid, parseForm } from "~/forms/parse.server";
import { getBackupJob } from "~/cases/backups.server";
import { attempt, guarded, idParam, runForm } from "~/cases/http.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";

const withoutEmail = (label: string | null) => (label === null ? null : label.replace(/\s*<[^>]*>$/, ""));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const caseId = session.case.id;
  const jobId = idParam(params, "jobId");
  const [job, reports] = await guarded(() => Promise.all([getJobTransition({ caseId, jobId }), listJobReports({ caseId, jobId })]));
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
}

// An upload refused before its body is read leaves the rest of the body on the connection: the
// answer closes the connection, so the browser does not send its next request after that data.
function closeConnection(response: Response) {
  response.headers.set("Connection", "close");
  return response;
}

async function closingOnRefusal<T>(upload: boolean, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw upload && error instanceof Response ? closeConnection(error) : error;
  }
}

/** A refused upload (too large, unreadable): the rest of the body is not read. */
function uploadRefused(message: string) {
  return data<InvalidForm>({ errors: { evidence: message }, values: {} }, { status: 400, headers: { Connection: "close" } });
}

function textValues(formData: FormData) {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string") values[key] = value;
  return values;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const caseId = session.case.id;
  const jobId = idParam(params, "jobId");
  const actor = contactActor(session, request, context.clientIp);
  const back = `/portal/${caseId}/backups/${jobId}`;
  const upload = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  // Another case's job is not found, before any of the body is read.
  await closingOnRefusal(upload, () => guarded(() => getBackupJob({ caseId, jobId })));

  if (upload) {
    // Only the incoming provider reports; anyone else is refused before the upload is read.
    if (session.contact.role !== "provider") {
      throw closeConnection(new Response("Backups are reported by the incoming provider.", { status: 403 }));
    }
    const read = await readEvidenceUpload(request);
    if (!read.ok) return uploadRefused(read.message);
    const parsed = parseForm(read.formData, backupReportInput);
    const checked = acceptEvidence(read.file ?? { bytes: new Uint8Array() });
    if (!parsed.ok || !checked.ok) {
      const errors = { ...(parsed.ok ? {} : parsed.errors), ...(checked.ok ? {} : { evidence: checked.message }) };
      return invalid(errors, textValues(read.formData));
    }
    const result = await attempt(() => submitBackupReport({ actor, caseId, jobId, input: parsed.data, file: read.file }));
    if (!result.ok) return invalid(result.errors, textValues(read.formData));
    return redirect(`${back}?reported`);
  }

  // Verifying or rejecting lets the MSP stop backups (or not): only the customer signer, with a
  // fresh emailed code.
  if (session.contact.role !== "customer_signer") throw new Response("Reports are reviewed by the customer signer.", { status: 403 });
  requireContactStepUp(request, session);
  const formData = await request.formData();
  const result =
    formData.get("intent") === "reject"
      ? await runForm(formData, rejectReportInput, ({ reportId, reason }) => rejectBackupReport({ actor, caseId, reportId, reason }))
      : await runForm(formData, verifyReportInput, ({ reportId }) => verifyBackupReport({ actor, caseId, reportId }));
  return result.ok ? redirect(back) : result.response;
}

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
