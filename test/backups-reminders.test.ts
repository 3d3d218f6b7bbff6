// Reminders of the backup transition: the customer signer every N days while the waiver waits, the
// responsible engineer daily as cutover nears with jobs uncovered — each sent once, whatever reruns.
import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { remindWaiverSigners, warnBeforeCutover } from "../app/backups/reminders.server";
import { verifyBackupReport } from "../app/backups/reports.server";
import { addContact } from "../app/cases/contacts.server";
import { parseConfig as parseEnv } from "../app/config.server";
import { auditEvents, outboxMessages, waivers } from "../db/schema";
import { caseWithJob, reportBackup, waiverFor } from "./helpers/backups";
import { testDb } from "./helpers/database";
import { latestEmailTo } from "./helpers/portal";

const DAY = 86_400_000;

const emailsTo = async (address: string, subjectStart: string) =>
  (
    await testDb()
      .select({ subject: outboxMessages.subject })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.recipientAddress, address), like(outboxMessages.subject, `${subjectStart}%`)))
  ).length;

describe("reminding the customer signer", () => {
  it("reminds every N days after sending, once per reminder, until the waiver is signed", async () => {
    const fixture = await caseWithJob();
    const waiverId = await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [fixture.jobId], status: "sent" });
    const sentAt = new Date("2030-05-01T09:00:00Z");
    await testDb().update(waivers).set({ sentAt }).where(eq(waivers.id, waiverId));
    const signer = fixture.contacts.customer_signer.email;
    const at = (days: number) => new Date(sentAt.getTime() + days * DAY);

    await remindWaiverSigners({ now: at(2.9), intervalDays: 3 });
    expect(await emailsTo(signer, "Reminder:")).toBe(0);

    await remindWaiverSigners({ now: at(3.1), intervalDays: 3 });
    // A rerun (a restart, a second instance) sends nothing more.
    await Promise.all([remindWaiverSigners({ now: at(3.2), intervalDays: 3 }), remindWaiverSigners({ now: at(3.2), intervalDays: 3 })]);
    expect(await emailsTo(signer, "Reminder:")).toBe(1);
    const email = await latestEmailTo(signer);
    expect(email!.subject).toMatch(/^Reminder: the backup waiver for Customer \d+ Ltd awaits your signature$/);
    expect(email!.text).toContain("is not signed yet");

    await remindWaiverSigners({ now: at(6.1), intervalDays: 3 });
    expect(await emailsTo(signer, "Reminder:")).toBe(2);
    const events = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "backup_reminder.signer_reminded")));
    expect(events.map((event) => (event.payload as { reminder: number }).reminder)).toEqual([1, 2]);

    await testDb().update(waivers).set({ status: "signed", signedAt: at(7) }).where(eq(waivers.id, waiverId));
    await remindWaiverSigners({ now: at(9.1), intervalDays: 3 });
    expect(await emailsTo(signer, "Reminder:")).toBe(2);
  });

  it("reminds only the signer the waiver was sent to, when it names one", async () => {
    const fixture = await caseWithJob();
    const second = await addContact({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { role: "customer_signer", name: "Second Signer", email: `second-${fixture.caseId}@customer.test` },
    });
    const waiverId = await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [fixture.jobId], status: "sent" });
    const sentAt = new Date("2030-05-01T09:00:00Z");
    await testDb().update(waivers).set({ sentAt, signerContactId: second.id }).where(eq(waivers.id, waiverId));
    await remindWaiverSigners({ now: new Date(sentAt.getTime() + 3.5 * DAY), intervalDays: 3 });
    expect(await emailsTo(`second-${fixture.caseId}@customer.test`, "Reminder:")).toBe(1);
    expect(await emailsTo(fixture.contacts.customer_signer.email, "Reminder:")).toBe(0);
    expect((await latestEmailTo(`second-${fixture.caseId}@customer.test`))!.text).toContain(`/portal/${fixture.caseId}/waiver`);
  });

  it("does not remind about declined, withdrawn or draft waivers", async () => {
    const fixture = await caseWithJob();
    const sentAt = new Date("2030-05-01T09:00:00Z");
    for (const status of ["declined", "withdrawn", "draft"] as const) {
      const id = await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [fixture.jobId], status });
      await testDb().update(waivers).set({ sentAt: status === "draft" ? null : sentAt }).where(eq(waivers.id, id));
    }
    await remindWaiverSigners({ now: new Date(sentAt.getTime() + 10 * DAY), intervalDays: 3 });
    expect(await emailsTo(fixture.contacts.customer_signer.email, "Reminder:")).toBe(0);
  });
});

describe("warning the responsible engineer before cutover", () => {
  // The fixture's cutover is 20 days from today.
  const daysBeforeCutover = (days: number) => new Date(Date.now() + (20 - days) * DAY);

  it("warns once a day inside the window while a job is neither verified nor released", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });
    const engineer = fixture.engineer.email;
    await warnBeforeCutover({ now: daysBeforeCutover(10), windowDays: 7 });
    expect(await emailsTo(engineer, "Cutover")).toBe(0);

    await warnBeforeCutover({ now: daysBeforeCutover(5), windowDays: 7 });
    await warnBeforeCutover({ now: daysBeforeCutover(5), windowDays: 7 });
    expect(await emailsTo(engineer, "Cutover")).toBe(1);
    const email = await latestEmailTo(engineer);
    expect(email!.subject).toMatch(new RegExp(`^Cutover in [45] days: 1 backup job not yet covered \\(${fixture.reference}\\)$`));
    expect(email!.text).toContain("Datto SIRIS — HD-SRV01");

    await warnBeforeCutover({ now: daysBeforeCutover(4), windowDays: 7 });
    expect(await emailsTo(engineer, "Cutover")).toBe(2);

    // A report waiting for verification does not count as covered; a verified one does.
    const report = await reportBackup(fixture);
    await warnBeforeCutover({ now: daysBeforeCutover(3), windowDays: 7 });
    expect(await emailsTo(engineer, "Cutover")).toBe(3);
    await verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: report.id });
    await warnBeforeCutover({ now: daysBeforeCutover(2), windowDays: 7 });
    expect(await emailsTo(engineer, "Cutover")).toBe(3);
  });

  it("is not sent when a signed waiver releases every job", async () => {
    const fixture = await caseWithJob();
    await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [fixture.jobId], status: "signed" });
    await warnBeforeCutover({ now: daysBeforeCutover(3), windowDays: 7 });
    expect(await emailsTo(fixture.engineer.email, "Cutover")).toBe(0);
  });
});

describe("configuration", () => {
  const parseConfig = (vars: Record<string, string>) => parseEnv({ NODE_ENV: "development", ...vars });

  it("takes the intervals from the environment, with defaults, and refuses nonsense by name", () => {
    expect(parseConfig({})).toMatchObject({ HANDOVER_WAIVER_REMINDER_DAYS: 3, HANDOVER_CUTOVER_WARNING_DAYS: 7 });
    expect(parseConfig({ HANDOVER_WAIVER_REMINDER_DAYS: "5", HANDOVER_CUTOVER_WARNING_DAYS: "14" })).toMatchObject({
      HANDOVER_WAIVER_REMINDER_DAYS: 5,
      HANDOVER_CUTOVER_WARNING_DAYS: 14,
    });
    expect(() => parseConfig({ HANDOVER_WAIVER_REMINDER_DAYS: "0" })).toThrow(/HANDOVER_WAIVER_REMINDER_DAYS: expected between 1 and 30 days/);
    expect(() => parseConfig({ HANDOVER_CUTOVER_WARNING_DAYS: "soon" })).toThrow(/HANDOVER_CUTOVER_WARNING_DAYS: expected a number of days/);
  });
});
