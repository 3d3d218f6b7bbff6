import type { Database } from "../../db/client";
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
}

/**
 * A loop that runs `pass` now, then again after `intervalMs` or as soon as `wake()` is called.
 * A pass never overlaps the next; stop() waits for the running one.
 */
function pollingLoop(name: string, intervalMs: number, pass: () => Promise<void>) {
  let stopped = false;
  let wakeRequested = false;
  let interruptSleep: (() => void) | null = null;

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
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
      } catch (error) {
        // A database or network hiccup: log it and try again at the next poll.
        logger.error({ err: error, loop: name }, "background pass failed");
      }
      if (!stopped && !wakeRequested) await sleep();
    }
  })();

  return {
    wake() {
      wakeRequested = true;
      interruptSleep?.();
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
}: WorkerOptions): BackgroundWorker {
  const mail = pollingLoop("mail", mailPollMs, async () => {
    // A full batch suggests more are waiting: keep going until the outbox is drained.
    for (;;) {
      const report = await deliverDueEmails({ transport, database, retry, batchSize });
      if (report.sent + report.retrying + report.failed < batchSize) break;
    }
  });
  const scheduler = pollingLoop("jobs", jobsPollMs, async () => {
    await runDueJobs({ jobs, database });
  });

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
