// Fixtures for the backup transition tests: a case with a backup job, report input, contact
// actors, and waivers written straight into the waiver core tables (the waiver feature's own code
// is not needed to test the interlock).
import type { Actor } from "../../app/audit/audit.server";
import { submitBackupReport } from "../../app/backups/reports.server";
import { addBackupJob } from "../../app/cases/backups.server";
import { waiverBackupJobs, waivers } from "../../db/schema";
import { testDb } from "./database";
import { createCaseWithContacts } from "./portal";

export type BackupFixture = Awaited<ReturnType<typeof caseWithJob>>;
type Role = "customer_signer" | "customer_viewer" | "provider";

const NAMES: Record<Role, string> = { customer_signer: "Sam Signer", customer_viewer: "Vic Viewer", provider: "Pat Provider" };

/** An open case with contacts and one running backup job. */
export async function caseWithJob({ system = "Datto SIRIS — FS01" }: { system?: string } = {}) {
  const fixture = await createCaseWithContacts();
  const job = await addBackupJob({
    actor: fixture.actor,
    caseId: fixture.caseId,
    input: { system, scope: "File server FS01: all volumes, image-based", schedule: "Hourly", retention: "30 daily" },
  });
  const contactActor = (role: Role): Actor => ({
    type: "contact",
    id: fixture.contacts[role].id,
    label: `${NAMES[role]} <${fixture.contacts[role].email}>`,
    ip: "198.51.100.7",
    userAgent: "vitest",
  });
  return { ...fixture, jobId: job.id, contactActor };
}

export const TEXT_EVIDENCE = new TextEncoder().encode("Veeam job 'FS01 image' finished at 02:14: Success, 412 GB processed.\n");
export const PNG_EVIDENCE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

export const reportInput = {
  completedAt: "2025-11-03T02:14",
  providerSystem: "Veeam B&R 12 on BH-VBR01",
  jobReference: "FS01-image-daily",
  notes: "First full run.",
};

/** The provider reports a backup of the fixture's job with a small text file as evidence. */
export function reportBackup(fixture: BackupFixture, { bytes = TEXT_EVIDENCE, name = "veeam-log.txt" } = {}) {
  return submitBackupReport({
    actor: fixture.contactActor("provider"),
    caseId: fixture.caseId,
    jobId: fixture.jobId,
    input: reportInput,
    file: { name, bytes },
  });
}

/** A waiver row in the given status naming the given jobs (signed ones get their signing time). */
export async function waiverFor(
  { caseId, engineerId, jobIds, status = "signed" }: { caseId: string; engineerId: string; jobIds: string[]; status?: "draft" | "sent" | "signed" | "declined" | "withdrawn" },
) {
  const [waiver] = await testDb()
    .insert(waivers)
    .values({
      caseId,
      status,
      backupsStopAfter: "2026-01-31",
      preparedById: engineerId,
      sentAt: status === "draft" ? null : new Date(Date.now() - 86_400_000),
      signedAt: status === "signed" ? new Date() : null,
    })
    .returning({ id: waivers.id });
  if (jobIds.length > 0) await testDb().insert(waiverBackupJobs).values(jobIds.map((backupJobId) => ({ waiverId: waiver!.id, backupJobId })));
  return waiver!.id;
}
