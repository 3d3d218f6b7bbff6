// The backups the MSP runs for the customer (jobs) and the backups it still holds (historical sets),
// described once (see describe.ts). A column added to `backup_jobs` or `backup_sets` must be
// described here before the typecheck passes.
import type { backupJobs, backupSets } from "../../db/schema";
import { backupJobStateLabels, backupSetDispositionLabels } from "../cases/vocabulary";
import { describeInventory } from "./describe";

type Described<Row> = Omit<Row, "id" | "caseId" | "createdAt" | "updatedAt">;

export type BackupJob = Described<typeof backupJobs.$inferSelect>;
export type BackupSet = Described<typeof backupSets.$inferSelect>;

export const backupJobInventory = describeInventory<BackupJob>({
  fields: {
    system: { label: "System", inHistory: "system" },
    scope: { label: "Scope", inHistory: "scope" },
    schedule: { label: "Schedule", inHistory: "schedule" },
    retention: { label: "Retention", inHistory: "retention" },
    state: { label: "State", inHistory: "state", format: (value) => backupJobStateLabels[value] },
    stoppedAt: { label: "Stopped at", inHistory: "stopped at", format: (value) => value.toISOString() },
  },
  name: (job) => job.system,
});

export const backupSetInventory = describeInventory<BackupSet>({
  fields: {
    description: { label: "Description", inHistory: "description" },
    location: { label: "Location", inHistory: "location" },
    sizeGb: { label: "Size (GB)", inHistory: "size (GB)" },
    proposedDisposition: { label: "Proposed disposition", inHistory: "proposed disposition", format: (value) => backupSetDispositionLabels[value] },
    dispositionOn: { label: "Disposition date", inHistory: "disposition date" },
    handOverMethod: { label: "Hand-over method", inHistory: "hand-over method" },
  },
  name: (set) => set.description,
});
