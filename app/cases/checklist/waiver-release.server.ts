import type { JobFacts } from "../../backups/transition.server";
import { formatDate } from "../format";
import { type BackupFacts, loadBackupFacts } from "./backup-facts.server";
import { defineChecklistItem, outcome } from "./types";

const day = (moment: Date | null) => (moment ? formatDate(moment.toISOString().slice(0, 10)) : "—");

/**
 * The backup release as a document: prepared, sent, signed or declined. Whether each job may stop
 * is the backup transition's item; this one follows the waiver itself, and is not needed when no
 * job would still need a release.
 */
export const waiverRelease = defineChecklistItem<BackupFacts>({
  id: "waiver-release",
  title: "Backup release waiver",
  phase: "transition",
  load: loadBackupFacts,
  evaluate({ backupJobs }, facts) {
    if (backupJobs.length === 0) return outcome.notApplicable("No backup jobs recorded.");
    const latest = facts?.latestWaiver ?? null;
    const jobFacts = [...(facts?.jobs ?? new Map<string, JobFacts>()).entries()];
    // Covered: the new provider's backup of the job is verified, or a signed waiver releases it.
    const covered = new Set(
      jobFacts
        .filter(([, job]) => job.reports.some((report) => report.status === "verified") || job.waivers.some((waiver) => waiver.status === "signed"))
        .map(([jobId]) => jobId),
    );
    const uncovered = backupJobs.filter((job) => job.state !== "stopped" && !covered.has(job.id));
    if (latest?.status === "signed") {
      const released = jobFacts.filter(([, job]) => job.waivers.some((waiver) => waiver.id === latest.id)).length;
      return outcome.done(`Signed by ${latest.signerName ?? "the customer"} on ${day(latest.signedAt)}; releases ${released} job${released === 1 ? "" : "s"}.`);
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
