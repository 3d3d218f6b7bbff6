import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maintenanceJobs } from "../app/jobs/maintenance.server";
import { registeredJobs } from "../app/jobs/registry.server";
import { runDueJobs, type ScheduledJob } from "../app/jobs/scheduler.server";
import { type Database, type DatabaseHandle, openPostgresDatabase, queryRows } from "../db/client";
import { scheduledJobs, staffSessions } from "../db/schema";
import { testDb } from "./helpers/database";
import { createTestStaff } from "./helpers/staff";

beforeEach(async () => {
  await testDb().delete(scheduledJobs);
});

let extraHandle: DatabaseHandle | undefined;
afterEach(async () => {
  await extraHandle?.close();
  extraHandle = undefined;
});

/** A second database handle to the same database: a second app instance on PostgreSQL. */
async function secondInstanceDatabase(): Promise<Database> {
  if (!process.env.DATABASE_URL) return testDb();
  const [first] = await queryRows<{ name: string }>(testDb(), sql`select current_database() as name`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${first!.name}`;
  extraHandle = openPostgresDatabase(url.toString(), { max: 2 });
  return extraHandle.db;
}

function countingJob(name: string, everyMs: number, work: () => Promise<void> = async () => {}) {
  const job = {
    name,
    everyMs,
    runs: 0,
    async run() {
      job.runs++;
      await work();
    },
  };
  return job;
}

const jobRow = async (name: string) => {
  const [row] = await testDb().select().from(scheduledJobs).where(eq(scheduledJobs.name, name));
  return row!;
};

describe("the scheduler", () => {
  it("runs a new job at once, then not again until its interval has passed", async () => {
    const job = countingJob("test.hourly", 3_600_000);
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: ["test.hourly"], failed: [] });
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: [], failed: [] });
    expect(job.runs).toBe(1);

    const row = await jobRow("test.hourly");
    expect(row.runCount).toBe(1);
    expect(row.leaseExpiresAt).toBeNull();
    expect(row.lastFinishedAt).toBeInstanceOf(Date);
    const untilNext = row.nextRunAt.getTime() - row.lastStartedAt!.getTime();
    expect(untilNext).toBeGreaterThanOrEqual(3_599_000);
    expect(untilNext).toBeLessThanOrEqual(3_601_000);

    // An hour later (simulated), it is due again.
    await testDb()
      .update(scheduledJobs)
      .set({ nextRunAt: sql`now() - interval '1 second'`, lastStartedAt: sql`now() - interval '1 hour'` })
      .where(eq(scheduledJobs.name, "test.hourly"));
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: ["test.hourly"], failed: [] });
    expect(job.runs).toBe(2);
  });

  it("runs a due job on one instance only when two race for it", async () => {
    const job = countingJob("test.race", 3_600_000, () => new Promise((resolve) => setTimeout(resolve, 50)));
    const other = await secondInstanceDatabase();
    const results = await Promise.all([
      runDueJobs({ jobs: [job] }),
      runDueJobs({ jobs: [job], database: other }),
      runDueJobs({ jobs: [job] }),
      runDueJobs({ jobs: [job], database: other }),
    ]);
    expect(job.runs).toBe(1);
    expect(results.flatMap((r) => r.ran)).toEqual(["test.race"]);
  });

  it("does not start a job while another instance holds its lease, and takes over when the lease ends", async () => {
    const job = countingJob("test.leased", 60_000);
    await testDb()
      .insert(scheduledJobs)
      .values({ name: "test.leased", nextRunAt: sql`now() - interval '1 minute'`, leaseExpiresAt: sql`now() + interval '5 minutes'` });
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: [], failed: [] });

    // The instance that held it died: its lease runs out.
    await testDb().update(scheduledJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` });
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: ["test.leased"], failed: [] });
    expect(job.runs).toBe(1);
  });

  it("records a failure, keeps the schedule and still runs the other jobs", async () => {
    const failing: ScheduledJob = {
      name: "test.failing",
      everyMs: 600_000,
      run: () => Promise.reject(new Error("reminder failed for https://portal.test/sign-in/secret-token")),
    };
    const healthy = countingJob("test.healthy", 600_000);
    expect(await runDueJobs({ jobs: [failing, healthy] })).toEqual({ ran: ["test.healthy"], failed: ["test.failing"] });
    const row = await jobRow("test.failing");
    expect(row.lastError).toBe("reminder failed for [link removed]");
    expect(row.leaseExpiresAt).toBeNull();
    expect(row.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 500_000);
    // Not retried in a tight loop.
    expect(await runDueJobs({ jobs: [failing, healthy] })).toEqual({ ran: [], failed: [] });
  });

  it("honours an interval shortened in a new version of the code", async () => {
    await testDb()
      .insert(scheduledJobs)
      .values({
        name: "test.shortened",
        nextRunAt: sql`now() + interval '1 day'`,
        lastStartedAt: sql`now() - interval '2 hours'`,
      });
    const job = countingJob("test.shortened", 3_600_000);
    expect(await runDueJobs({ jobs: [job] })).toEqual({ ran: ["test.shortened"], failed: [] });
  });
});

describe("registered jobs", () => {
  it("include the maintenance jobs under unique names", () => {
    const names = registeredJobs.map((job) => job.name);
    expect(names).toEqual(expect.arrayContaining(["staff.delete-expired-sessions", "outbox.prune"]));
    expect(new Set(names).size).toBe(names.length);
  });

  it("delete expired staff sessions and keep live ones", async () => {
    const user = await createTestStaff();
    const now = Date.now();
    await testDb()
      .insert(staffSessions)
      .values([
        { idHash: "expired-absolute", userId: user.id, expiresAt: new Date(now - 1000), lastSeenAt: new Date(now - 60_000) },
        { idHash: "expired-idle", userId: user.id, expiresAt: new Date(now + 3_600_000), lastSeenAt: new Date(now - 3 * 3_600_000) },
        { idHash: "live", userId: user.id, expiresAt: new Date(now + 3_600_000), lastSeenAt: new Date(now - 60_000) },
      ]);
    const sessionJob = maintenanceJobs.filter((job) => job.name === "staff.delete-expired-sessions");
    expect(await runDueJobs({ jobs: sessionJob })).toEqual({ ran: ["staff.delete-expired-sessions"], failed: [] });
    const left = await testDb().select({ idHash: staffSessions.idHash }).from(staffSessions);
    expect(left.map((s) => s.idHash)).toEqual(["live"]);
  });
});
