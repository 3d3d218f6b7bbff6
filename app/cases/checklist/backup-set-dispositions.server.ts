import { defineChecklistItem, limitBlockers, outcome } from "./types";

/** Old backups must be handed over, kept until a date, or destroyed on a date — proposed here, agreed in the waiver. */
export const backupSetsDisposed = defineChecklistItem({
  id: "backup-set-dispositions",
  title: "Historical backup sets each have a proposed disposition",
  phase: "transition",
  evaluate({ backupSets }) {
    if (backupSets.length === 0) return outcome.notApplicable("No historical backup sets recorded.");
    const open = backupSets.filter((set) => !set.proposedDisposition);
    if (open.length === 0) {
      return outcome.done(`${backupSets.length} set${backupSets.length === 1 ? "" : "s"}, each with a proposed disposition.`);
    }
    return outcome.pending(
      "msp",
      `${open.length} of ${backupSets.length} sets have no proposed disposition.`,
      limitBlockers(open.map((set) => `${set.description}: propose hand-over, retention or destruction`)),
    );
  },
});
