import { describeJobTransition } from "../../backups/transition.server";
import type { NextStepOwner } from "../vocabulary";
import { type BackupFacts, loadBackupFacts } from "./backup-facts.server";
import { defineChecklistItem, limitBlockers, outcome } from "./types";

// When several parties could act, the one named first here is asked first: a report waiting for
// review is the quickest step, then the provider's backup, then the customer's signature.
const OWNER_PRIORITY: NextStepOwner[] = ["msp", "incoming_provider", "customer"];

/**
 * The heart of the handover: every backup job is either covered by the incoming provider's verified
 * backup or released by the customer's signed waiver (or already stopped after one of them). Each
 * open job is listed with what it waits for.
 */
export const backupsTransitioned = defineChecklistItem<BackupFacts>({
  id: "backups-transitioned",
  title: "Backups transitioned or released",
  phase: "transition",
  dependsOn: ["provider-contact"],
  load: loadBackupFacts,
  evaluate({ backupJobs, case: c }, facts) {
    if (backupJobs.length === 0) return outcome.notApplicable("No backup jobs recorded.");
    const jobs = backupJobs.map((job) => ({ job, transition: describeJobTransition(job, facts?.jobs.get(job.id), { provider: c.incomingProviderName }) }));
    const open = jobs.filter(({ transition }) => transition.waitingFor !== null);
    if (open.length === 0) {
      const stoppable = jobs.length - jobs.filter(({ transition }) => transition.status === "stopped").length;
      return outcome.done(
        `${jobs.length} of ${jobs.length} job${jobs.length === 1 ? "" : "s"} covered by a verified new backup or a signed waiver` +
          (stoppable > 0 ? `; ${stoppable} may now be stopped.` : ", all stopped."),
      );
    }
    const owner = OWNER_PRIORITY.find((party) => open.some(({ transition }) => transition.waitingFor === party))!;
    return outcome.pending(
      owner,
      `${jobs.length - open.length} of ${jobs.length} jobs covered; the others keep running until a new backup is verified or the waiver is signed.`,
      limitBlockers(open.map(({ job, transition }) => `${job.system}: ${transition.explanation}`)),
    );
  },
});
