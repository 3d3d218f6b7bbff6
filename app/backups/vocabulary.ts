// The words of the backup transition, for people. Browser-safe: staff pages, portal pages and the
// checklist use the same labels.

/**
 * Where a backup job stands in the transition:
 * - awaiting_report: the incoming provider has not reported a backup (or its report was rejected),
 *   and no signed waiver releases the job;
 * - awaiting_review: a report waits for staff or the customer signer to verify it;
 * - verified / released: the job may be stopped (a verified new backup, or a signed waiver);
 * - stopped: the MSP has stopped the job.
 */
export const TRANSITION_STATUSES = ["awaiting_report", "awaiting_review", "verified", "released", "stopped"] as const;
export type TransitionStatus = (typeof TRANSITION_STATUSES)[number];

export const transitionStatusLabels: Record<TransitionStatus, string> = {
  awaiting_report: "Waiting for new backup",
  awaiting_review: "Report to verify",
  verified: "New backup verified",
  released: "Released by waiver",
  stopped: "Stopped",
};

export const transitionBadge: Record<TransitionStatus, string> = {
  awaiting_report: "badge badge-warn",
  awaiting_review: "badge badge-info",
  verified: "badge badge-ok",
  released: "badge badge-ok",
  stopped: "badge",
};

export { BACKUP_REPORT_STATUSES as REPORT_STATUSES } from "../../db/enums";
import type { BACKUP_REPORT_STATUSES } from "../../db/enums";
export type ReportStatus = (typeof BACKUP_REPORT_STATUSES)[number];
export const reportStatusLabels: Record<ReportStatus, string> = {
  submitted: "Awaiting verification",
  verified: "Verified",
  rejected: "Rejected",
};
export const reportBadge: Record<ReportStatus, string> = {
  submitted: "badge badge-info",
  verified: "badge badge-ok",
  rejected: "badge badge-bad",
};

/** The evidence files accepted (checked by their bytes on the server). */
export const EVIDENCE_TYPES_LABEL = "PDF, PNG, JPEG or plain text";

/** "1.4 MB", "820 KB", "312 bytes". */
export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MB`;
  if (size >= 1024) return `${Math.round(size / 1024)} KB`;
  return `${size} bytes`;
}
