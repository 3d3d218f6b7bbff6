// The backup interlock: the MSP may stop a backup job only when the incoming provider's backup of
// that job has been verified, or when a signed waiver of the case releases the job. Checked here,
// inside setBackupJobState's transaction (app/cases/backups.server.ts), and again by a trigger on
// backup_jobs (db/migrations/0008_backup_interlock.sql) for any writer that bypasses the app.
import { and, desc, eq, sql } from "drizzle-orm";
import { db, type Transaction } from "../../db/client";
import { auditEvents, backupReports, waiverBackupJobs, waivers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { InvalidInput } from "../http/refusals.server";
import type { BackupJobState } from "../cases/vocabulary";

/**
 * A refused stop. It is a InvalidInput on the `state` field, so forms show it next to the
 * state like any other refusal; its record in the audit trail has already been committed.
 */
export class BackupStopRefusedError extends InvalidInput {
  override name = "BackupStopRefusedError";
  constructor(readonly reason: string) {
    super({ state: reason });
  }
}

type Basis = { basis: "verified_report"; reportId: string } | { basis: "signed_waiver"; waiverId: string };

/**
 * What allows a job to stop, if anything. FOR SHARE holds the report or waiver row until the
 * transaction ends, so that it cannot change between this check and the stop.
 */
async function stopBasis(tx: Transaction, { caseId, jobId }: { caseId: string; jobId: string }): Promise<Basis | null> {
  const [report] = await tx
    .select({ id: backupReports.id })
    .from(backupReports)
    .where(and(eq(backupReports.backupJobId, jobId), eq(backupReports.caseId, caseId), eq(backupReports.status, "verified")))
    .limit(1)
    .for("share");
  if (report) return { basis: "verified_report", reportId: report.id };
  const [waiver] = await tx
    .select({ id: waivers.id })
    .from(waiverBackupJobs)
    .innerJoin(waivers, eq(waivers.id, waiverBackupJobs.waiverId))
    .where(
      and(
        eq(waiverBackupJobs.backupJobId, jobId),
        eq(waivers.caseId, caseId),
        eq(waivers.status, "signed"),
        sql`${waivers.signedAt} is not null`,
      ),
    )
    .orderBy(waivers.signedAt)
    .limit(1)
    .for("share", { of: waivers });
  if (waiver) return { basis: "signed_waiver", waiverId: waiver.id };
  return null;
}

async function hasReportAwaitingReview(tx: Transaction, { caseId, jobId }: { caseId: string; jobId: string }) {
  const [row] = await tx
    .select({ id: backupReports.id })
    .from(backupReports)
    .where(and(eq(backupReports.backupJobId, jobId), eq(backupReports.caseId, caseId), eq(backupReports.status, "submitted")))
    .limit(1);
  return !!row;
}

/**
 * Decides a stop inside the caller's transaction, with the job row already locked. Either way the
 * decision goes into the audit trail: the basis of an allowed stop, or the refusal. A refusal
 * writes nothing else, so the caller commits the transaction (keeping the refusal's record) and
 * then throws the returned error.
 */
export async function decideStop(
  tx: Transaction,
  { actor, caseId, job }: { actor: Actor; caseId: string; job: { id: string; system: string; state: BackupJobState } },
): Promise<{ allowed: true } | { allowed: false; error: BackupStopRefusedError }> {
  const basis = await stopBasis(tx, { caseId, jobId: job.id });
  if (basis) {
    await recordAudit(tx, { actor, caseId, event: { action: "backup_job.stop_authorised", payload: { jobId: job.id, system: job.system, ...basis } } });
    return { allowed: true };
  }
  const pending = await hasReportAwaitingReview(tx, { caseId, jobId: job.id });
  const reason =
    `${job.system} cannot be stopped yet: the incoming provider has no verified backup of this job and no signed waiver releases it.` +
    (pending ? " A report from the provider waits for verification." : "");
  await recordAudit(tx, { actor, caseId, event: { action: "backup_job.stop_refused", payload: { jobId: job.id, system: job.system, from: job.state, reason } } });
  return { allowed: false, error: new BackupStopRefusedError(reason) };
}

/** Refused attempts to stop a job, newest first, from the audit trail (the record of them). */
export async function listRefusedStops({ caseId, jobId, limit = 50 }: { caseId: string; jobId: string; limit?: number }) {
  const rows = await db()
    .select({ seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel, payload: auditEvents.payload })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.caseId, assertId(caseId, "Case")),
        eq(auditEvents.action, "backup_job.stop_refused"),
        sql`${auditEvents.payload} ->> 'jobId' = ${assertId(jobId, "Backup job")}`,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  return rows.map((row) => ({
    seq: row.seq,
    at: row.occurredAt.toISOString(),
    by: row.actorLabel,
    reason: String((row.payload as { reason?: unknown }).reason ?? ""),
  }));
}
