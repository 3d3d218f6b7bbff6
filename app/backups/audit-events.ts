// Audit events of the backup transition and its interlock. Payloads hold the facts a reviewer needs
// years later (which job, which evidence by its SHA-256, who decided what and why), never the
// evidence itself.

interface EvidenceFacts {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export type BackupAuditEvent =
  | {
      action: "backup_report.submitted";
      payload: {
        reportId: string;
        jobId: string;
        system: string;
        completedAt: string;
        providerSystem: string;
        jobReference: string;
        evidence: EvidenceFacts;
      };
    }
  | { action: "backup_report.verified"; payload: { reportId: string; jobId: string; system: string; evidenceSha256: string } }
  | { action: "backup_report.evidence_downloaded"; payload: { reportId: string; jobId: string; filename: string; sha256: string; bytes: number } }
  | { action: "backup_report.rejected"; payload: { reportId: string; jobId: string; system: string; reason: string } }
  | {
      action: "backup_job.stop_authorised";
      payload: { jobId: string; system: string; basis: "verified_report" | "signed_waiver"; reportId?: string; waiverId?: string };
    }
  | { action: "backup_job.stop_refused"; payload: { jobId: string; system: string; from: string; reason: string } }
  | { action: "backup_reminder.signer_reminded"; payload: { waiverId: string; contactId: string; reminder: number } }
  | {
      action: "backup_reminder.cutover_warning_sent";
      payload: { staffId: string; cutoverOn: string; daysLeft: number; uncoveredJobIds: string[] };
    };
