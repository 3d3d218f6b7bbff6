import { randomUUID } from "node:crypto";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type pino from "pino";
import { type Database, db } from "../../db/client";
import { scheduledJobs } from "../../db/schema";
import { logger } from "../log.server";
import { redactedErrorSummary } from "../mail/outbox.server";

/**
 * A recurring job. `run` must be idempotent and find its own work in the database (e.g. "signers
 * whose last reminder is older than N days"): a run can be repeated after a crash, and any app
 * instance may be the one that runs it.
 */
export interface ScheduledJob {
  /** Stable identifier, the row's key: renaming a job starts it afresh. */
  name: string;
  /** Time from the start of one run to the start of the next. */
  everyMs: number;
  run(context: { log: pino.Logger }): Promise<void>;
}

/** A run that outlives its lease may be started again by another instance. */
export const JOB_LEASE_MS = 10 * 60_000;

const fromNow = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;

/**
 * Runs every registered job that is due, each on exactly one instance: the claim is a single
 * UPDATE … WHERE due AND not leased … RETURNING, so of two instances racing for a row one updates
 * it and the other, re-checking the condition after the first commits, finds it no longer due.
 */
export async function runDueJobs({
  jobs,
  database = db(),
  leaseMs = JOB_LEASE_MS,
}: {
  jobs: readonly ScheduledJob[];
  database?: Database;
  leaseMs?: number;
}): Promise<{ ran: string[]; failed: string[] }> {
  const result = { ran: [] as string[], failed: [] as string[] };
  if (jobs.length === 0) return result;
  // A job seen for the first time is due at once. DO NOTHING: existing rows are not rewritten every poll.
  await database
    .insert(scheduledJobs)
    .values(jobs.map((job) => ({ name: job.name, nextRunAt: sql`now()` })))
    .onConflictDoNothing({ target: scheduledJobs.name });

  for (const job of jobs) {
    const claimToken = randomUUID();
    const [claimed] = await database
      .update(scheduledJobs)
      .set({
        claimToken,
        leaseExpiresAt: fromNow(leaseMs),
        lastStartedAt: sql`now()`,
        nextRunAt: fromNow(job.everyMs),
        runCount: sql`${scheduledJobs.runCount} + 1`,
      })
      .where(
        and(
          eq(scheduledJobs.name, job.name),
          // Due by the stored time, or by the interval in the code (which may have been shortened since).
          or(
            lte(scheduledJobs.nextRunAt, sql`now()`),
            lte(scheduledJobs.lastStartedAt, sql`now() - make_interval(secs => ${job.everyMs / 1000})`),
          ),
          or(isNull(scheduledJobs.leaseExpiresAt), lte(scheduledJobs.leaseExpiresAt, sql`now()`)),
        ),
      )
      .returning({ name: scheduledJobs.name });
    if (!claimed) continue;

    const log = logger.child({ job: job.name });
    let error: string | null = null;
    try {
      await job.run({ log });
      result.ran.push(job.name);
    } catch (caught) {
      error = redactedErrorSummary(caught);
      result.failed.push(job.name);
      log.error({ err: caught }, "scheduled job failed");
    }
    await database
      .update(scheduledJobs)
      .set({ claimToken: null, leaseExpiresAt: null, lastFinishedAt: sql`now()`, lastError: error })
      .where(and(eq(scheduledJobs.name, job.name), eq(scheduledJobs.claimToken, claimToken)));
  }
  return result;
}
