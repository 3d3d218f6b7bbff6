// The backup interlock: a job stops only after a verified new-provider backup of it or a signed
// waiver releasing it — refused (and recorded) in the domain, and refused by the database for any
// writer that goes around the domain.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BackupStopRefusedError, listRefusedStops } from "../app/backups/interlock.server";
import { rejectBackupReport, verifyBackupReport } from "../app/backups/reports.server";
import { setBackupJobState } from "../app/cases/backups.server";
import { auditEvents, backupJobs, backupReports } from "../db/schema";
import { testDb } from "./helpers/database";
import { type BackupFixture, caseWithJob, reportBackup, waiverFor } from "./helpers/backups";

const jobState = async (jobId: string) =>
  (await testDb().select({ state: backupJobs.state }).from(backupJobs).where(eq(backupJobs.id, jobId)))[0]!.state;

const eventsOf = (caseId: string, action: string) =>
  testDb()
    .select({ payload: auditEvents.payload, actorLabel: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, action)));

const stop = (fixture: BackupFixture) => setBackupJobState({ actor: fixture.actor, caseId: fixture.caseId, jobId: fixture.jobId, state: "stopped" });

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackupStopRefusedError);
  return error as BackupStopRefusedError;
}

/** The PostgreSQL error under drizzle's "Failed query" wrapper. */
async function databaseRefusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  const cause = ((error as Error).cause ?? error) as Error & { code?: string };
  return { message: cause.message, code: cause.code };
}

const STOP_REFUSED = { message: expect.stringMatching(/cannot be stopped: no verified new-provider backup and no signed waiver/), code: "23514" };

/** A raw UPDATE, as a script or psql would send it, bypassing the domain module. */
const rawStop = (jobId: string) => testDb().execute(sql`update backup_jobs set state = 'stopped', stopped_at = now() where id = ${jobId}`);

describe("stopping a job in the domain", () => {
  it("is refused without a verified backup or a signed waiver, and the refusal is recorded and listed", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });
    const error = await refusal(stop(fixture));
    expect(error.errors.state).toContain("Datto SIRIS — HD-SRV01 cannot be stopped yet");
    expect(await jobState(fixture.jobId)).toBe("running");

    // The refusal committed although the stop did not.
    const refused = await eventsOf(fixture.caseId, "backup_job.stop_refused");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.payload).toMatchObject({ jobId: fixture.jobId, from: "running", reason: error.reason });
    expect(await eventsOf(fixture.caseId, "backup_job.state_changed")).toHaveLength(0);
    const listed = await listRefusedStops({ caseId: fixture.caseId, jobId: fixture.jobId });
    expect(listed).toEqual([expect.objectContaining({ by: fixture.actor.label, reason: error.reason })]);
  });

  it("stays refused while the provider's report is unverified or rejected, and allows the stop once one is verified", async () => {
    const fixture = await caseWithJob();
    const first = await reportBackup(fixture);
    expect((await refusal(stop(fixture))).reason).toContain("waits for verification");

    await rejectBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: first.id, reason: "The log shows a different server." });
    await refusal(stop(fixture));

    const second = await reportBackup(fixture);
    await verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: second.id });
    expect(await stop(fixture)).toEqual({ changed: true });
    expect(await jobState(fixture.jobId)).toBe("stopped");
    const [authorised] = await eventsOf(fixture.caseId, "backup_job.stop_authorised");
    expect(authorised!.payload).toMatchObject({ basis: "verified_report", reportId: second.id });
    expect(await listRefusedStops({ caseId: fixture.caseId, jobId: fixture.jobId })).toHaveLength(2);
  });

  it("is allowed by a signed waiver covering the job, and only by a signed one covering this job", async () => {
    const fixture = await caseWithJob();
    const other = await caseWithJob();
    const engineerId = fixture.engineer.id;
    await waiverFor({ caseId: fixture.caseId, engineerId, jobIds: [fixture.jobId], status: "sent" });
    await waiverFor({ caseId: fixture.caseId, engineerId, jobIds: [fixture.jobId], status: "declined" });
    await waiverFor({ caseId: fixture.caseId, engineerId, jobIds: [], status: "signed" });
    // Signed, but for another case's job list: it does not release this job.
    await waiverFor({ caseId: other.caseId, engineerId: other.engineer.id, jobIds: [other.jobId], status: "signed" });
    await refusal(stop(fixture));

    const waiverId = await waiverFor({ caseId: fixture.caseId, engineerId, jobIds: [fixture.jobId], status: "signed" });
    await stop(fixture);
    expect(await jobState(fixture.jobId)).toBe("stopped");
    const [authorised] = await eventsOf(fixture.caseId, "backup_job.stop_authorised");
    expect(authorised!.payload).toMatchObject({ basis: "signed_waiver", waiverId });
  });

  it("still lets staff pause and resume a job freely", async () => {
    const fixture = await caseWithJob();
    await setBackupJobState({ actor: fixture.actor, caseId: fixture.caseId, jobId: fixture.jobId, state: "paused" });
    await setBackupJobState({ actor: fixture.actor, caseId: fixture.caseId, jobId: fixture.jobId, state: "running" });
    expect(await jobState(fixture.jobId)).toBe("running");
  });
});

describe("reviews and reports at the same moment", () => {
  it("verify once when two reviewers press at once, and accept one of two simultaneous reports", async () => {
    const fixture = await caseWithJob();
    const reports = await Promise.allSettled([reportBackup(fixture), reportBackup(fixture)]);
    expect(reports.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const report = (reports.find((result) => result.status === "fulfilled") as PromiseFulfilledResult<{ id: string }>).value;

    const reviews = await Promise.allSettled([
      verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: report.id }),
      verifyBackupReport({ actor: fixture.contactActor("customer_signer"), caseId: fixture.caseId, reportId: report.id }),
    ]);
    expect(reviews.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = reviews.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.errors).toEqual({ form: "This report has already been verified." });
    expect(await eventsOf(fixture.caseId, "backup_report.verified")).toHaveLength(1);
  });
});

describe("the database behind the interlock", () => {
  it("rejects a raw UPDATE that stops an uncovered job", async () => {
    const fixture = await caseWithJob();
    expect(await databaseRefusal(rawStop(fixture.jobId))).toEqual(STOP_REFUSED);
    expect(await jobState(fixture.jobId)).toBe("running");
  });

  it("rejects a job inserted as already stopped", async () => {
    const fixture = await caseWithJob();
    const inserted = testDb().execute(
      sql`insert into backup_jobs (case_id, system, scope, schedule, retention, state, stopped_at)
          values (${fixture.caseId}, 'Sneaky', 'All', 'Never', 'None', 'stopped', now())`,
    );
    expect(await databaseRefusal(inserted)).toEqual(STOP_REFUSED);
  });

  it("rejects a raw stop while the report is only submitted, and a waiver of another case naming the job", async () => {
    const fixture = await caseWithJob();
    await reportBackup(fixture);
    expect(await databaseRefusal(rawStop(fixture.jobId))).toEqual(STOP_REFUSED);
    const other = await caseWithJob();
    await waiverFor({ caseId: other.caseId, engineerId: other.engineer.id, jobIds: [fixture.jobId], status: "signed" });
    expect(await databaseRefusal(rawStop(fixture.jobId))).toEqual(STOP_REFUSED);
  });

  it("accepts a raw stop once a verified report exists", async () => {
    const fixture = await caseWithJob();
    const report = await reportBackup(fixture);
    await verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: report.id });
    await rawStop(fixture.jobId);
    expect(await jobState(fixture.jobId)).toBe("stopped");
  });

  it("keeps reports as evidence: a review is final, facts and files never change, nothing is deleted", async () => {
    const fixture = await caseWithJob();
    const report = await reportBackup(fixture);
    const swapped = testDb().execute(
      sql`update backup_reports set status = 'verified', reviewed_at = now(), reviewed_by_label = 'psql',
          evidence = '\\x41'::bytea, evidence_size = 1, evidence_sha256 = encode(sha256('\\x41'::bytea), 'hex')
          where id = ${report.id}`,
    );
    expect((await databaseRefusal(swapped)).message).toContain("facts and evidence cannot change");
    const edited = testDb().update(backupReports).set({ jobReference: "something else" }).where(eq(backupReports.id, report.id));
    expect((await databaseRefusal(edited)).message).toContain("reviewed once");
    await verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: report.id });
    const reversed = testDb().update(backupReports).set({ status: "rejected", rejectionReason: "changed my mind" }).where(eq(backupReports.id, report.id));
    expect((await databaseRefusal(reversed)).message).toContain("reviewed once");
    const deleted = testDb().delete(backupReports).where(eq(backupReports.id, report.id));
    expect((await databaseRefusal(deleted)).message).toContain("kept as evidence");
    const [row] = await testDb().select({ status: backupReports.status }).from(backupReports).where(eq(backupReports.id, report.id));
    expect(row!.status).toBe("verified");
  });
});
