import { defineChecklistItem, outcome } from "./types";

/** The backup jobs the MSP runs for the customer: the release and the transition are about these. */
export const backupJobsRecorded = defineChecklistItem({
  id: "backup-jobs",
  title: "Backup jobs recorded",
  phase: "transition",
  evaluate({ backupJobs }) {
    if (backupJobs.length === 0) {
      return outcome.pending("msp", "No backup jobs recorded yet.", ["Add the backup jobs you run for the customer (Backups tab)."]);
    }
    const running = backupJobs.filter((job) => job.state === "running").length;
    return outcome.done(`${backupJobs.length} job${backupJobs.length === 1 ? "" : "s"} recorded, ${running} running.`);
  },
});
