import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { backupReports, caseContacts, waiverBackupJobs, waivers } from "../../../db/schema";
import { formatDate } from "../format";
import { defineChecklistItem, outcome } from "./types";

interface WaiverFacts {
  /** The newest waiver that was not withdrawn. */
  latest: { status: "draft" | "sent" | "signed" | "declined"; signerName: string | null; sentAt: Date | null; signedAt: Date | null; declineReason: string | null; jobCount: number } | null;
  /** Jobs released by a signed waiver, or backed up by the incoming provider and verified. */
  coveredJobIds: Set<string>;
}

const day = (moment: Date | null) => (moment ? formatDate(moment.toISOString().slice(0, 10)) : "—");

/**
 * The backup release as a document: prepared, sent, signed or declined. Whether each job may stop
 * is the backup transition's item; this one follows the waiver itself, and is not needed when no
 * job would still need a release.
 */
export const waiverRelease = defineChecklistItem<WaiverFacts>({
  id: "waiver-release",
  title: "Backup release waiver",
  phase: "transition",
  async load(executor: Executor, caseIds: string[]) {
    const [waiverRows, releasedRows, verifiedRows] = await Promise.all([
      executor
        .select({
          caseId: waivers.caseId,
          id: waivers.id,
          status: waivers.status,
          signerName: caseContacts.name,
          sentAt: waivers.sentAt,
          signedAt: waivers.signedAt,
          declineReason: waivers.declineReason,
        })
        .from(waivers)
        .leftJoin(caseContacts, eq(caseContacts.id, waivers.signerContactId))
        .where(and(inArray(waivers.caseId, caseIds), ne(waivers.status, "withdrawn")))
        .orderBy(desc(waivers.createdAt)),
      executor
        .select({ caseId: waivers.caseId, waiverId: waiverBackupJobs.waiverId, jobId: waiverBackupJobs.backupJobId, status: waivers.status })
        .from(waiverBackupJobs)
        .innerJoin(waivers, eq(waivers.id, waiverBackupJobs.waiverId))
        .where(inArray(waivers.caseId, caseIds)),
      executor
        .select({ caseId: backupReports.caseId, jobId: backupReports.backupJobId })
        .from(backupReports)
        .where(and(inArray(backupReports.caseId, caseIds), eq(backupReports.status, "verified"))),
    ]);
    const facts = new Map<string, WaiverFacts>(caseIds.map((id) => [id, { latest: null, coveredJobIds: new Set<string>() }]));
    for (const row of waiverRows) {
      const entry = facts.get(row.caseId)!;
      if (entry.latest || row.status === "withdrawn") continue;
      entry.latest = { ...row, status: row.status, jobCount: releasedRows.filter((job) => job.waiverId === row.id).length };
    }
    for (const row of releasedRows) if (row.status === "signed") facts.get(row.caseId)!.coveredJobIds.add(row.jobId);
    for (const row of verifiedRows) facts.get(row.caseId)!.coveredJobIds.add(row.jobId);
    return facts;
  },
  evaluate({ backupJobs }, facts) {
    if (backupJobs.length === 0) return outcome.notApplicable("No backup jobs recorded.");
    const latest = facts?.latest ?? null;
    const uncovered = backupJobs.filter((job) => job.state !== "stopped" && !facts?.coveredJobIds.has(job.id));
    if (latest?.status === "signed") {
      return outcome.done(`Signed by ${latest.signerName ?? "the customer"} on ${day(latest.signedAt)}; releases ${latest.jobCount} job${latest.jobCount === 1 ? "" : "s"}.`);
    }
    if (latest?.status === "sent") {
      return outcome.pending("customer", `Sent to ${latest.signerName ?? "the customer signer"} on ${day(latest.sentAt)}; waiting for the signature.`, [
        "The customer signer reads and signs (or declines) it in the portal: Backup release.",
      ]);
    }
    if (uncovered.length === 0) return outcome.notApplicable("Not needed: every job is stopped or has a verified new backup.");
    if (latest?.status === "draft") return outcome.pending("msp", "A draft is saved; send it to the customer signer (Backup release tab).");
    if (latest?.status === "declined") {
      return outcome.pending("msp", `Declined by ${latest.signerName ?? "the customer"}: ${latest.declineReason ?? "no reason given"}`, [
        "Keep the backups running until the new provider's backups are verified, or agree and send a new release.",
      ]);
    }
    return outcome.notApplicable(
      `No release prepared. ${uncovered.length} job${uncovered.length === 1 ? "" : "s"} keep running until the new provider's backup is verified, unless the customer signs one.`,
    );
  },
});
