// The backup transition's UI pieces, shared by the staff pages and the portal: a job's transition
// badge, a provider's report with its evidence, and the verify / reject forms.
import { Form } from "@remix-run/react";
import { FormError, type FormFeedback, TextAreaField } from "~/components/form";
import { formatInstant } from "~/cases/format";
import {
  type ReportStatus,
  type TransitionStatus,
  formatBytes,
  reportBadge,
  reportStatusLabels,
  transitionBadge,
  transitionStatusLabels,
} from "~/backups/vocabulary";

export function TransitionBadge({ status }: { status: TransitionStatus }) {
  return <span className={transitionBadge[status]}>{transitionStatusLabels[status]}</span>;
}

/** What a report page needs of a report (dates as ISO strings). */
export interface ReportView {
  id: string;
  status: ReportStatus;
  completedAt: string;
  providerSystem: string;
  jobReference: string;
  notes: string;
  evidenceFilename: string;
  evidenceSize: number;
  evidenceSha256: string;
  reportedByLabel: string;
  reportedAt: string;
  reviewedAt: string | null;
  reviewedByLabel: string | null;
  rejectionReason: string | null;
}

const person = (label: string | null) => (label ?? "").replace(/\s*<[^>]*>$/, "");

/** One report: when the backup ran, where, the evidence file, and its review. */
export function ReportDetails({ report, timeZone, evidenceHref }: { report: ReportView; timeZone: string; evidenceHref: string }) {
  return (
    <article className="backup-report" aria-labelledby={`report-${report.id}`}>
      <div className="section-header">
        <h3 id={`report-${report.id}`}>Reported {formatInstant(report.reportedAt, timeZone)}</h3>
        <span className={reportBadge[report.status]}>{reportStatusLabels[report.status]}</span>
      </div>
      <dl className="facts">
        <dt>Backup completed</dt>
        <dd>{formatInstant(report.completedAt, timeZone)}</dd>
        <dt>Backup system</dt>
        <dd>{report.providerSystem}</dd>
        <dt>Job reference</dt>
        <dd>{report.jobReference}</dd>
        {report.notes ? (
          <>
            <dt>Notes</dt>
            <dd className="preserve-lines">{report.notes}</dd>
          </>
        ) : null}
        <dt>Evidence</dt>
        <dd>
          <a href={evidenceHref} download>
            {report.evidenceFilename}
          </a>{" "}
          <span className="small muted">({formatBytes(report.evidenceSize)})</span>
          <div className="small muted mono">SHA-256 {report.evidenceSha256}</div>
        </dd>
        <dt>Reported by</dt>
        <dd>{person(report.reportedByLabel)}</dd>
        {report.reviewedAt ? (
          <>
            <dt>{report.status === "verified" ? "Verified by" : "Rejected by"}</dt>
            <dd>
              {person(report.reviewedByLabel)}, {formatInstant(report.reviewedAt, timeZone)}
            </dd>
          </>
        ) : null}
        {report.rejectionReason ? (
          <>
            <dt>Reason</dt>
            <dd className="preserve-lines">{report.rejectionReason}</dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}

/**
 * Verify or reject a submitted report. `feedback` is the action's answer; it is shown on the form
 * it belongs to (by intent and report id).
 */
export function ReviewForms({ reportId, feedback, busy }: { reportId: string; feedback: FormFeedback | null | undefined; busy: boolean }) {
  const mine = feedback?.values?.reportId === reportId ? feedback : null;
  const verifyFeedback = mine?.values?.intent === "verify" ? mine : null;
  const rejectFeedback = mine?.values?.intent === "reject" ? mine : null;
  const confirmError = verifyFeedback?.errors?.confirm;
  return (
    <div className="review-forms">
      <Form method="post" className="stack" aria-label="Verify this report">
        <input type="hidden" name="intent" value="verify" />
        <input type="hidden" name="reportId" value={reportId} />
        <FormError feedback={verifyFeedback} />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="confirm" aria-invalid={confirmError ? true : undefined} aria-describedby={confirmError ? `confirm-${reportId}-error` : undefined} />
            I checked the evidence: it shows a successful backup covering this job&apos;s scope.
          </label>
          {confirmError ? (
            <span className="field-error" id={`confirm-${reportId}-error`} role="alert">
              {confirmError}
            </span>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            Verify backup
          </button>
        </div>
      </Form>
      <Form method="post" className="stack" aria-label="Reject this report">
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="reportId" value={reportId} />
        <FormError feedback={rejectFeedback} />
        <TextAreaField label="Reason for rejecting" name="reason" feedback={rejectFeedback} rows={3} maxLength={1000} hint="Sent to the incoming provider, who can then report again." />
        <div className="form-actions">
          <button type="submit" className="button-secondary" disabled={busy}>
            Reject report
          </button>
        </div>
      </Form>
    </div>
  );
}
