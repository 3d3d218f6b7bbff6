import type { ScheduledJob } from "../jobs/scheduler.server";
import { createCheckpoint } from "./checkpoints.server";

/**
 * A checkpoint at least hourly while events arrive (none when the head is already checkpointed).
 * The scheduler's claim makes one instance sign it.
 */
export const auditJobs: ScheduledJob[] = [
  {
    name: "audit.checkpoint",
    everyMs: 60 * 60_000,
    run: async ({ log }) => {
      const checkpoint = await createCheckpoint({ reason: "scheduled" });
      if (checkpoint) log.info({ number: checkpoint.number, seq: checkpoint.auditSeq }, "audit checkpoint signed");
    },
  },
];
