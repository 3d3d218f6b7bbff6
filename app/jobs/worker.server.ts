import { connectionErrorCode, type Database, isConnectionError } from "../../db/client";
import { logger } from "../log.server";
import { deliverDueEmails, onEmailEnqueued, type RetryPolicy } from "../mail/outbox.server";
import type { MailTransport } from "../mail/transport.server";
import { registeredJobs } from "./registry.server";
import { runDueJobs, type ScheduledJob } from "./scheduler.server";

export interface BackgroundWorker {
  /** Lets the pass in progress finish, then stops. Call before closing the database. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  transport: MailTransport;
  jobs?: readonly ScheduledJob[];
  /** How often the outbox is checked when nothing wakes the worker. */
  mailPollMs?: number;
  /** How often scheduled jobs are checked for being due. */
  jobsPollMs?: number;
  database?: Database;
  retry?: RetryPolicy;
  batchSize?: number;
  /** Waits after failed passes (tests shorten them). */
  backoff?: typeof FAILURE_BACKOFF;
}

/** After a failed pass the loop waits this long, doubling per further failure up to the maximum. */
export const FAILURE_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };

/**
 * A loop that runs `pass` now, then again after `intervalMs` or as soon as `wake()` is called.
 * A pass never overlaps the next; stop() waits for the running one. While passes fail (the
 * database is down) it backs off instead of polling at full rate, logs the outage once and its
 * end once, and resumes its interval after the first pass that succeeds.
 */
function pollingLoop(name: string, intervalMs: number, pass: () => Promise<void>, backoff = FAILURE_BACKOFF) {
  let stopped = false;
  let wakeRequested = false;
  let interruptSleep: (() => void) | null = null;
  let failures = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interruptSleep = null;
        resolve();
      }
      interruptSleep = done;
    });

  const running = (async () => {
    while (!stopped) {
      wakeRequested = false;
      try {
        await pass();
        if (failures > 0) logger.info({ loop: name, failedPasses: failures }, "background work resumed");
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1) {
          if (isConnectionError(error)) logger.warn({ loop: name, dbError: connectionErrorCode(error) }, "database unreachable; background work backs off");
          else logger.error({ err: error, loop: name }, "background pass failed");
        }
      }
      if (stopped) break;
      // A wake-up during an outage does not skip the backoff: the database is what is missing.
      if (failures > 0) await sleep(Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1)));
      else if (!wakeRequested) await sleep(intervalMs);
    }
  })();

  return {
    wake() {
      wakeRequested = true;
      if (failures === 0) interruptSleep?.();
    },
    async stop() {
      stopped = true;
      interruptSleep?.();
      await running;
    },
  };
}

/**
 * Handover's background worker: delivers the email outbox and runs scheduled jobs. Every app
 * instance runs one; the claims in the outbox and the scheduler make sure each message and each
 * job run is handled by one of them.
 */
export function startBackgroundWorker({
  transport,
  jobs = registeredJobs,
  mailPollMs = 5_000,
  jobsPollMs = 30_000,
  database,
  retry,
  batchSize = 10,
  backoff = FAILURE_BACKOFF,
}: WorkerOptions): BackgroundWorker {
  const mail = pollingLoop("mail", mailPollMs, async () => {
    // A full batch suggests more are waiting: keep going until the outbox is drained.
    for (;;) {
      const report = await deliverDueEmails({ transport, database, retry, batchSize });
      if (report.claimed - report.released < batchSize) break;
    }
  }, backoff);
  const scheduler = pollingLoop("jobs", jobsPollMs, async () => {
    await runDueJobs({ jobs, database });
  }, backoff);

  // An enqueue in this process wakes the mail loop at once, and once more shortly after: on
  // PostgreSQL the first look may come before the enqueuing transaction has committed.
  let followUp: NodeJS.Timeout | undefined;
  const unsubscribe = onEmailEnqueued(() => {
    mail.wake();
    clearTimeout(followUp);
    followUp = setTimeout(() => mail.wake(), 500);
  });

  return {
    async stop() {
      unsubscribe();
      clearTimeout(followUp);
      await Promise.all([mail.stop(), scheduler.stop()]);
      transport.close();
    },
  };
}
