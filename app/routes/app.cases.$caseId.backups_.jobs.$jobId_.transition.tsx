import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ReportDetails, ReviewForms, TransitionBadge } from "~/backups/ui/backup-transition";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { FormError } from "~/components/form";
import { listRefusedStops } from "~/backups/interlock.server";
import { listJobReports, rejectBackupReport, verifyBackupReport } from "~/backups/reports.server";
import { rejectReportInput, verifyReportInput } from "~/backups/schemas";
import { getJobTransition } from "~/backups/transition.server";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getBackupJob, setBackupJobState } from "~/cases/backups.server";
import { formatInstant } from "~/cases/format";
import { backupJobStateLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const jobId = idParam(args.params, "jobId");
    const [job, reports, refusedStops] = await Promise.all([
      getJobTransition({ caseId, jobId }),
      listJobReports({ caseId, jobId }),
      listRefusedStops({ caseId, jobId }),
    ]);
    return { job, reports, refusedStops };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const jobId = idParam(params, "jobId");
      const actor = staffActor(session, request, context.clientIp);
      // Another case's job in this case's URL is not found, whatever the form says.
      await getBackupJob({ caseId, jobId });
      const intent = form.get("intent");
      // A refused stop comes back as a message on the page; its record is already in the audit trail.
      if (intent === "stop") await setBackupJobState({ actor, caseId, jobId, state: "stopped" });
      else if (intent === "reject") {
        const { reportId, reason } = parseForm(form, rejectReportInput);
        await rejectBackupReport({ actor, caseId, reportId, reason });
      } else await verifyBackupReport({ actor, caseId, reportId: parseForm(form, verifyReportInput).reportId });
      return redirect(`/app/cases/${caseId}/backups/jobs/${jobId}/transition`);
    },
    { request },
  );

export default function BackupJobTransition() {
  const { job, reports, refusedStops } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const stopFeedback = feedback?.values?.intent === "stop" ? feedback : null;
  const evidenceHref = (reportId: string) => `/app/cases/${header.id}/backups/reports/${reportId}/evidence`;
  const mayStop = job.transition.status === "verified" || job.transition.status === "released";
  return (
    <>
      <p className="small">
        <Link to={`/app/cases/${header.id}/backups`}>← All backup jobs</Link>
      </p>
      <section className="card" aria-labelledby="transition-heading">
        <div className="section-header">
          <h2 id="transition-heading">Backup transition: {job.system}</h2>
          <TransitionBadge status={job.transition.status} />
        </div>
        <p>{job.transition.explanation}</p>
        <dl className="facts">
          <dt>Scope</dt>
          <dd>{job.scope}</dd>
          <dt>Schedule</dt>
          <dd>{job.schedule}</dd>
          <dt>State</dt>
          <dd>
            {backupJobStateLabels[job.state]}
            {job.stoppedAt ? ` since ${formatInstant(job.stoppedAt, header.timeZone)}` : ""}
          </dd>
        </dl>
      </section>

      {header.canEdit && job.state !== "stopped" ? (
        <section className="card danger-zone" aria-labelledby="stop-heading">
          <h2 id="stop-heading">Stop this job</h2>
          {stopFeedback?.errors?.state ? (
            <div className="alert alert-error" role="alert">
              {stopFeedback.errors.state}
            </div>
          ) : null}
          <FormError feedback={stopFeedback} />
          <p className="muted">
            {mayStop
              ? "The job is covered. Stop it in the backup system too; this records that the MSP's backups of this scope have ended."
              : `A job can only be stopped once ${header.provider}'s backup of it is verified or the customer has signed a waiver releasing it. An attempt now is refused and recorded.`}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="stop" />
            <button type="submit" className="button-danger" disabled={busy}>
              Stop job
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card" aria-labelledby="reports-heading">
        <h2 id="reports-heading">Reports from {header.provider}</h2>
        {reports.length === 0 ? (
          <p className="muted">No backup reported yet. The incoming provider reports its first successful backup of this job in the portal.</p>
        ) : (
          reports.map((report) => (
            <div key={report.id}>
              <ReportDetails report={report} timeZone={header.timeZone} evidenceHref={evidenceHref(report.id)} />
              {report.status === "submitted" && header.canEdit ? <ReviewForms reportId={report.id} feedback={feedback} busy={busy} /> : null}
            </div>
          ))
        )}
      </section>

      <section className="card" aria-labelledby="refused-heading">
        <h2 id="refused-heading">Refused stop attempts</h2>
        {refusedStops.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">By</th>
                  <th scope="col">Why it was refused</th>
                </tr>
              </thead>
              <tbody>
                {refusedStops.map((attempt) => (
                  <tr key={attempt.seq}>
                    <td>{formatInstant(attempt.at, header.timeZone)}</td>
                    <td>{attempt.by}</td>
                    <td>{attempt.reason}</td>
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

// A refused stop answers 400, after which Remix would not reload the page's data; reload it anyway,
// so that the refused attempt shows in the list at once.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "stop" || defaultShouldRevalidate;

export const ErrorBoundary = CaseErrorBoundary;
