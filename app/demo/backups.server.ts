// Demo data for the backup transition: the incoming provider reports its first successful backup of
// one job and a staff member verifies it — through the same domain functions as the portal and the
// staff pages, so the demo's audit trail and emails are real.
import { and, asc, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { backupJobs, caseContacts, cases } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { submitBackupReport, verifyBackupReport } from "../backups/reports.server";
import { instantToZonedLocal } from "../backups/zoned-time";

/**
 * On the given case, the first provider contact reports a backup of the case's first backup job
 * (oldest), with a job log as evidence, and `reviewer` (an admin or engineer actor) verifies it.
 * That job may then be stopped; the others still wait. Call it after the case's jobs and contacts
 * exist.
 */
export async function seedBackupTransitionDemo({ caseId, reviewer, now = new Date() }: { caseId: string; reviewer: Actor; now?: Date }) {
  const [kase] = await db().select({ timeZone: cases.timeZone, provider: cases.incomingProviderName }).from(cases).where(eq(cases.id, caseId));
  const [provider] = await db()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt)))
    .orderBy(asc(caseContacts.createdAt))
    .limit(1);
  const [job] = await db()
    .select({ id: backupJobs.id, system: backupJobs.system })
    .from(backupJobs)
    .where(eq(backupJobs.caseId, caseId))
    .orderBy(asc(backupJobs.createdAt))
    .limit(1);
  if (!kase || !provider || !job) throw new Error("demo: the backup transition needs a case with a provider contact and a backup job");

  const completedAt = new Date(now.getTime() - 26 * 60 * 60_000);
  const log = [
    `${kase.provider} — backup job report`,
    `Job: HD-SRV01 image + SQL (replaces "${job.system}")`,
    `Result: Success`,
    `Finished: ${completedAt.toISOString()}`,
    "Processed: 412.6 GB, transferred 198.3 GB, duration 01:52:07",
    "Restore point verified with SureBackup: boot OK, SQL service OK",
    "",
  ].join("\n");
  const providerActor: Actor = { type: "contact", id: provider.id, label: `${provider.name} <${provider.email}>` };
  const report = await submitBackupReport({
    actor: providerActor,
    caseId,
    jobId: job.id,
    input: {
      completedAt: instantToZonedLocal(completedAt, kase.timeZone),
      providerSystem: "Veeam Backup & Replication 12 on BH-VBR01",
      jobReference: "HD-SRV01-daily-image",
      notes: "First full run after agent deployment; SureBackup restore test passed.",
    },
    file: { name: "veeam-job-report-HD-SRV01.txt", bytes: new TextEncoder().encode(log) },
    now,
  });
  await verifyBackupReport({ actor: reviewer, caseId, reportId: report.id, now });
  return { jobId: job.id, reportId: report.id };
}
