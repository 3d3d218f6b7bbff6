// The takeover's rules: support responsibility passes only with the keys, from today or later, by
// the incoming provider's contact, once; staff are reminded when the plan passes without it. The
// MSP's access points are removed by staff and confirmed or disputed by the other side; a dispute
// waits for staff to record the removal again. Closed cases take none of it.
import { and, asc, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Actor } from "../app/audit/audit.server";
import { closeCase } from "../app/cases/cases.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { todayIn } from "../app/cases/dates";
import { CaseClosedError } from "../app/cases/errors.server";
import { addAccessPoint, answerAccessRemoval, listAccessPoints, markAccessRemoved } from "../app/handover/access-removals.server";
import { handoverJobs } from "../app/handover/jobs.server";
import {
  acceptSupportResponsibility,
  getSupportStatus,
  SUPPORT_REMINDER_INTERVAL_MS,
  sendSupportOverdueReminders,
  supportStatus,
} from "../app/handover/support.server";
import { Conflict, Forbidden, InvalidInput, NotFound } from "../app/http/refusals.server";
import { addCredential, recordRotation } from "../app/vault/credentials.server";
import { confirmKeysReceived } from "../app/vault/keys-received.server";
import { auditEvents, cases, mspAccessPoints, outboxMessages, staffUsers, supportResponsibility } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts, latestEmailTo } from "./helpers/portal";
import { createTestStaff } from "./helpers/staff";

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;
type Role = keyof Fixture["contacts"];

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const today = () => todayIn("Europe/London");

const contactActor = (fixture: Fixture, role: Role): Actor => ({
  type: "contact",
  id: fixture.contacts[role].id,
  label: `${role === "provider" ? "Pat Provider" : role === "customer_signer" ? "Sam Signer" : "Vic Viewer"} <${fixture.contacts[role].email}>`,
  ip: "198.51.100.9",
  userAgent: "vitest",
});

/** A credential for the provider, rotated after notice: the keys are ready to pass. */
async function readyKeys(fixture: Fixture, releaseTo: "incoming_provider" | "customer" = "incoming_provider") {
  const { id } = await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Tenant admin", secret: "S3cret!value", releaseTo } });
  await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset" } });
}

async function keysReceived(fixture: Fixture) {
  await readyKeys(fixture);
  await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
}

const accept = (fixture: Fixture, acceptedFrom: string, { role = "provider" as Role, now }: { role?: Role; now?: Date } = {}) =>
  acceptSupportResponsibility({ actor: contactActor(fixture, role), caseId: fixture.caseId, contactId: fixture.contacts[role].id, input: { acceptedFrom }, now });

const eventsOf = (caseId: string, action: string) =>
  testDb()
    .select({ actorType: auditEvents.actorType, actorId: auditEvents.actorId, payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, action)))
    .orderBy(asc(auditEvents.seq));

const emailsTo = async (address: string, subjectStart: string) =>
  (
    await testDb()
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.recipientAddress, address), like(outboxMessages.subject, `${subjectStart}%`)))
  ).length;

const item = async (caseId: string, id: string, now?: Date) => (await getCaseChecklist({ caseId, now })).items.find((entry) => entry.id === id)!;

/** Runs `work` and returns what it threw (failing when it threw nothing). */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

/** What PostgreSQL answers a statement (null when it went through). */
async function sqlRefusal(statement: ReturnType<typeof sql>) {
  try {
    await testDb().execute(statement);
    return null;
  } catch (error) {
    return (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
  }
}

describe("support responsibility", () => {
  it("waits for the keys, then the provider's contact accepts from today, recorded and announced to the engineer", async () => {
    const fixture = await createCaseWithContacts({ customer: "Support Dental Ltd" });
    expect(await item(fixture.caseId, "credentials-support-responsibility")).toMatchObject({ state: "blocked", blockers: ["Waiting for: Incoming provider confirmed the credentials received"] });

    const early = await refusal(accept(fixture, today()));
    expect(early).toBeInstanceOf(Conflict);
    expect((early as Error).message).toMatch(/received the credentials first/);
    await readyKeys(fixture);
    // Ready for the provider is not received: the keys have not passed yet.
    expect(await refusal(accept(fixture, today()))).toBeInstanceOf(Conflict);
    await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    expect(await item(fixture.caseId, "credentials-support-responsibility")).toMatchObject({ state: "pending", nextStepOwner: "incoming_provider", portalPath: "support" });

    // Not backdated, not past the end of portal access, a real date.
    expect(await refusal(accept(fixture, shift(today(), -1)))).toMatchObject({ errors: { acceptedFrom: expect.stringMatching(/^The date must be today \(.+\) or later\.$/) } });
    expect(await refusal(accept(fixture, shift(today(), 61)))).toMatchObject({ errors: { acceptedFrom: expect.stringMatching(/when portal access ends/) } });
    expect(await refusal(accept(fixture, "2026-02-30"))).toMatchObject({ errors: { acceptedFrom: "Enter the date from which you are responsible (YYYY-MM-DD)." } });
    // Only the provider's contact accepts; the customer's people and another case's provider are refused.
    expect(await refusal(accept(fixture, today(), { role: "customer_signer" }))).toBeInstanceOf(Forbidden);
    expect(await refusal(accept(fixture, today(), { role: "customer_viewer" }))).toBeInstanceOf(Forbidden);
    const other = await createCaseWithContacts();
    const stranger = await refusal(
      acceptSupportResponsibility({ actor: contactActor(other, "provider"), caseId: fixture.caseId, contactId: other.contacts.provider.id, input: { acceptedFrom: today() } }),
    );
    expect(stranger).toBeInstanceOf(Forbidden);
    expect(await eventsOf(fixture.caseId, "support.responsibility_accepted")).toEqual([]);

    expect(await accept(fixture, today())).toEqual({ acceptedFrom: today() });
    expect(await eventsOf(fixture.caseId, "support.responsibility_accepted")).toEqual([
      { actorType: "contact", actorId: fixture.contacts.provider.id, payload: { contactId: fixture.contacts.provider.id, acceptedFrom: today(), plannedOn: null } },
    ]);
    const email = await latestEmailTo(fixture.engineer.email);
    expect(email!.subject).toMatch(/^Provider \d+ IT accepted support responsibility for Support Dental Ltd/);
    expect(email!.text).toContain("Pat Provider of Provider");
    expect(email!.text).not.toContain(fixture.contacts.provider.email);

    const status = await getSupportStatus({ caseId: fixture.caseId, mspName: "Northwind IT" });
    expect(status).toMatchObject({ responsible: "incoming_provider", responsibleSince: today(), acceptedBy: "Pat Provider", overdue: false });
    expect(status.responsibleName).toMatch(/^Provider \d+ IT$/);
    expect(status.summary).toMatch(/^Provider \d+ IT is responsible for support since \d{1,2} \w+ \d{4} \(accepted by Pat Provider\)\.$/);
    expect(await item(fixture.caseId, "credentials-support-responsibility")).toMatchObject({ state: "done" });

    // Accepted once: a second acceptance changes nothing.
    expect(await refusal(accept(fixture, shift(today(), 3)))).toBeInstanceOf(Conflict);
    expect(await eventsOf(fixture.caseId, "support.responsibility_accepted")).toHaveLength(1);
  });

  it("leaves the MSP responsible until a later accepted date, and the plan alone moves nothing", async () => {
    const fixture = await createCaseWithContacts();
    await testDb().update(cases).set({ supportTransferPlannedOn: shift(today(), -2) }).where(eq(cases.id, fixture.caseId));
    const planned = await getSupportStatus({ caseId: fixture.caseId, mspName: "Northwind IT" });
    expect(planned).toMatchObject({ responsible: "msp", responsibleName: "Northwind IT", responsibleSince: null, acceptedFrom: null, overdue: true });
    expect(planned.summary).toMatch(/^Northwind IT is responsible for support: Provider \d+ IT has not accepted support responsibility yet\. The transfer is planned for .+, which has passed without an acceptance\.$/);

    await keysReceived(fixture);
    await accept(fixture, shift(today(), 5));
    const before = await getSupportStatus({ caseId: fixture.caseId, mspName: "Northwind IT" });
    expect(before).toMatchObject({ responsible: "msp", responsibleName: "Northwind IT", acceptedFrom: shift(today(), 5), overdue: false });
    expect(before.summary).toMatch(/^Northwind IT is responsible for support until Provider \d+ IT takes over on /);
    const later = await getSupportStatus({ caseId: fixture.caseId, mspName: "Northwind IT", now: new Date(Date.now() + 6 * DAY) });
    expect(later).toMatchObject({ responsible: "incoming_provider", responsibleSince: shift(today(), 5) });
  });

  it("can be accepted when no credential goes to the provider: there are no keys to wait for", async () => {
    const fixture = await createCaseWithContacts();
    await readyKeys(fixture, "customer");
    expect(await item(fixture.caseId, "credentials-keys-received")).toMatchObject({ state: "not_applicable" });
    expect(await accept(fixture, today())).toEqual({ acceptedFrom: today() });
  });

  it("says who is responsible from the plan and the acceptance alone (the pure rule)", () => {
    const names = { providerName: "BlueHarbor", mspName: "Northwind" };
    expect(supportStatus({ ...names, acceptance: null, plannedOn: null, today: "2026-03-10" })).toMatchObject({
      responsible: "msp",
      overdue: false,
      summary: "Northwind is responsible for support: BlueHarbor has not accepted support responsibility yet.",
    });
    expect(supportStatus({ ...names, acceptance: null, plannedOn: "2026-03-10", today: "2026-03-10" })).toMatchObject({ responsible: "msp", overdue: false });
    const acceptance = { acceptedFrom: "2026-03-12", acceptedAt: new Date("2026-03-10T09:00:00Z"), acceptedBy: "Sofia" };
    expect(supportStatus({ ...names, acceptance, plannedOn: "2026-03-01", today: "2026-03-11" })).toMatchObject({ responsible: "msp", overdue: false, responsibleSince: null });
    expect(supportStatus({ ...names, acceptance, plannedOn: "2026-03-01", today: "2026-03-12" })).toMatchObject({
      responsible: "incoming_provider",
      responsibleName: "BlueHarbor",
      responsibleSince: "2026-03-12",
      summary: "BlueHarbor is responsible for support since 12 March 2026 (accepted by Sofia).",
    });
  });

  it("is refused on a closed case, by the domain and by the database", async () => {
    const fixture = await createCaseWithContacts();
    await keysReceived(fixture);
    await closeCase({ actor: fixture.actor, caseId: fixture.caseId });
    expect(await refusal(accept(fixture, today()))).toBeInstanceOf(CaseClosedError);
    expect(
      await sqlRefusal(
        sql`insert into support_responsibility (case_id, accepted_from, accepted_at, accepted_by_contact_id, accepted_by_label) values (${fixture.caseId}, current_date, now(), ${fixture.contacts.provider.id}, 'Forged')`,
      ),
    ).toMatch(/case .+ is closed: INSERT on support_responsibility is not allowed/);
  });

  it("cannot be backdated by SQL either", async () => {
    const fixture = await createCaseWithContacts();
    expect(
      await sqlRefusal(
        sql`insert into support_responsibility (case_id, accepted_from, accepted_at, accepted_by_contact_id, accepted_by_label) values (${fixture.caseId}, current_date - 30, now(), ${fixture.contacts.provider.id}, 'Backdated')`,
      ),
    ).toMatch(/support_responsibility_not_backdated/);
  });
});

describe("reminding staff of an overdue support transfer", () => {
  async function overdueCase(daysAgo = 1) {
    const fixture = await createCaseWithContacts({ customer: `Overdue ${Math.random().toString(36).slice(2, 8)} Ltd` });
    await testDb().update(cases).set({ supportTransferPlannedOn: shift(today(), -daysAgo) }).where(eq(cases.id, fixture.caseId));
    return fixture;
  }
  const overdueMails = (fixture: Fixture, address = fixture.engineer.email) => emailsTo(address, "Support transfer for");

  it("emails the responsible engineer once the planned date has passed, once per interval, until the provider accepts", async () => {
    const fixture = await overdueCase();
    const now = new Date();
    await Promise.all([sendSupportOverdueReminders({ now }), sendSupportOverdueReminders({ now })]);
    await sendSupportOverdueReminders({ now: new Date(now.getTime() + 60_000) });
    expect(await overdueMails(fixture)).toBe(1);
    const email = await latestEmailTo(fixture.engineer.email);
    expect(email!.subject).toMatch(/^Support transfer for Overdue \w+ Ltd is overdue/);
    expect(email!.text).toContain("has not accepted support responsibility");
    expect(email!.text).toContain(`/app/cases/${fixture.caseId}`);
    expect(await eventsOf(fixture.caseId, "support.overdue_reminder_sent")).toEqual([
      { actorType: "system", actorId: null, payload: { plannedOn: shift(today(), -1), recipients: 1 } },
    ]);

    const later = new Date(now.getTime() + SUPPORT_REMINDER_INTERVAL_MS + 60_000);
    await sendSupportOverdueReminders({ now: later });
    expect(await overdueMails(fixture)).toBe(2);

    await keysReceived(fixture);
    expect(await item(fixture.caseId, "credentials-support-responsibility")).toMatchObject({
      state: "pending",
      blockers: [expect.stringMatching(/^The planned date .+ has passed without an acceptance\.$/), expect.stringMatching(/the MSP remains responsible for support\.$/)],
    });
    await accept(fixture, today());
    await sendSupportOverdueReminders({ now: new Date(later.getTime() + 2 * SUPPORT_REMINDER_INTERVAL_MS) });
    expect(await overdueMails(fixture)).toBe(2);
  });

  it("waits until the planned day is over in the case's time zone, and skips closed cases", async () => {
    const onTheDay = await overdueCase(0);
    const closed = await overdueCase(5);
    await closeCase({ actor: closed.actor, caseId: closed.caseId });
    await sendSupportOverdueReminders();
    expect(await overdueMails(onTheDay)).toBe(0);
    expect(await overdueMails(closed)).toBe(0);
    const [row] = await testDb().select({ caseId: supportResponsibility.caseId }).from(supportResponsibility).where(eq(supportResponsibility.caseId, closed.caseId));
    expect(row).toBeUndefined();
  });

  it("reminds the admins when the responsible engineer's account is deactivated, and runs as the scheduled job", async () => {
    const fixture = await overdueCase(3);
    const admin = await createTestStaff({ role: "admin" });
    await testDb().update(staffUsers).set({ deactivatedAt: new Date() }).where(eq(staffUsers.id, fixture.engineer.id));
    const job = handoverJobs.find((entry) => entry.name === "support.overdue-reminders")!;
    const logged: unknown[] = [];
    await job.run({ log: { info: (report: unknown) => logged.push(report) } } as unknown as Parameters<typeof job.run>[0]);
    expect(await overdueMails(fixture)).toBe(0);
    expect(await overdueMails(fixture, admin.email)).toBeGreaterThanOrEqual(1);
    expect(logged).toContainEqual({ casesReminded: expect.any(Number) });
  });
});

describe("the MSP's access removals", () => {
  const add = (fixture: Fixture, name = "Datto RMM agent", actor: Actor = fixture.actor) =>
    addAccessPoint({ actor, caseId: fixture.caseId, input: { kind: "rmm_agent", name, details: "All workstations" } });
  const markRemoved = (fixture: Fixture, accessPointId: string, input: Record<string, string> = { removedOn: today(), method: "Agent uninstalled via RMM policy" }) =>
    markAccessRemoved({ actor: fixture.actor, caseId: fixture.caseId, accessPointId, input });
  const answer = (fixture: Fixture, accessPointId: string, role: Role, input: Record<string, string>) =>
    answerAccessRemoval({ actor: contactActor(fixture, role), caseId: fixture.caseId, contactId: fixture.contacts[role].id, accessPointId, input });

  it("are listed by staff with field messages for what is missing; legal and contacts cannot list them", async () => {
    const fixture = await createCaseWithContacts();
    expect(await refusal(addAccessPoint({ actor: fixture.actor, caseId: fixture.caseId, input: { kind: "fax", name: "  " } }))).toMatchObject({
      errors: { kind: "Choose what kind of access this is.", name: "Name the access point." },
    });
    const legal = await createTestStaff({ role: "legal" });
    expect(await refusal(add(fixture, "x", { type: "staff", id: legal.id, label: legal.name }))).toBeInstanceOf(Forbidden);
    expect(await refusal(add(fixture, "x", contactActor(fixture, "provider")))).toBeInstanceOf(Forbidden);
    const { accessPointId } = await add(fixture);
    expect(await listAccessPoints({ caseId: fixture.caseId })).toEqual([
      expect.objectContaining({ id: accessPointId, kind: "rmm_agent", name: "Datto RMM agent", details: "All workstations", removedOn: null, confirmation: null }),
    ]);
    expect(await eventsOf(fixture.caseId, "msp_access.added")).toEqual([
      expect.objectContaining({ actorType: "staff", payload: { accessPointId, kind: "rmm_agent", name: "Datto RMM agent" } }),
    ]);
  });

  it("are marked removed with date, who and how, never in the future, once; another case's point is not found", async () => {
    const fixture = await createCaseWithContacts();
    const other = await createCaseWithContacts();
    const { accessPointId } = await add(fixture);
    const foreign = await add(other);
    expect(await refusal(markRemoved(fixture, accessPointId, { removedOn: shift(today(), 1), method: "Uninstalled" }))).toMatchObject({
      errors: { removedOn: expect.stringMatching(/^The removal date cannot be in the future/) },
    });
    expect(await refusal(markRemoved(fixture, accessPointId, { removedOn: "yesterday" }))).toMatchObject({
      errors: { removedOn: "Enter the date it was removed (YYYY-MM-DD).", method: "Say how it was removed." },
    });
    expect(await refusal(markRemoved(fixture, foreign.accessPointId))).toBeInstanceOf(NotFound);
    expect(await refusal(markRemoved(fixture, "not-an-id"))).toBeInstanceOf(NotFound);

    await markRemoved(fixture, accessPointId, { removedOn: shift(today(), -2), method: "Agent uninstalled via RMM policy" });
    const [point] = await listAccessPoints({ caseId: fixture.caseId });
    expect(point).toMatchObject({ removedOn: shift(today(), -2), removedBy: fixture.engineer.name, removalMethod: "Agent uninstalled via RMM policy", confirmation: null });
    expect(await refusal(markRemoved(fixture, accessPointId))).toBeInstanceOf(Conflict);
    expect(await eventsOf(fixture.caseId, "msp_access.removed")).toEqual([
      expect.objectContaining({ payload: { accessPointId, kind: "rmm_agent", name: "Datto RMM agent", removedOn: shift(today(), -2), removedBy: fixture.engineer.name, method: "Agent uninstalled via RMM policy" } }),
    ]);
  });

  it("are confirmed by the provider or the customer's signer, after removal, finally; a viewer or a stranger cannot", async () => {
    const fixture = await createCaseWithContacts();
    const other = await createCaseWithContacts();
    const first = await add(fixture, "RMM agent");
    const second = await add(fixture, "GDAP relationship");
    expect(await refusal(answer(fixture, first.accessPointId, "provider", { answer: "confirm" }))).toBeInstanceOf(Conflict);
    await markRemoved(fixture, first.accessPointId);
    await markRemoved(fixture, second.accessPointId);
    expect(await refusal(answer(fixture, first.accessPointId, "customer_viewer", { answer: "confirm" }))).toBeInstanceOf(Forbidden);
    const stranger = await refusal(
      answerAccessRemoval({ actor: contactActor(other, "provider"), caseId: fixture.caseId, contactId: other.contacts.provider.id, accessPointId: first.accessPointId, input: { answer: "confirm" } }),
    );
    expect(stranger).toBeInstanceOf(Forbidden);
    const foreignPoint = await add(other);
    expect(await refusal(answer(fixture, foreignPoint.accessPointId, "provider", { answer: "confirm" }))).toBeInstanceOf(NotFound);
    expect(await refusal(answer(fixture, first.accessPointId, "provider", { answer: "maybe" }))).toBeInstanceOf(InvalidInput);

    await answer(fixture, first.accessPointId, "provider", { answer: "confirm" });
    await answer(fixture, second.accessPointId, "customer_signer", { answer: "confirm" });
    const points = await listAccessPoints({ caseId: fixture.caseId });
    expect(points.map(({ name, confirmation, confirmedBy, confirmedByRole }) => ({ name, confirmation, confirmedBy, confirmedByRole }))).toEqual([
      { name: "RMM agent", confirmation: "confirmed", confirmedBy: "Pat Provider", confirmedByRole: "provider" },
      { name: "GDAP relationship", confirmation: "confirmed", confirmedBy: "Sam Signer", confirmedByRole: "customer_signer" },
    ]);
    // Final: neither side can answer again, nor staff re-record it.
    expect(await refusal(answer(fixture, first.accessPointId, "customer_signer", { answer: "dispute", reason: "Changed my mind" }))).toBeInstanceOf(Conflict);
    expect(await refusal(markRemoved(fixture, first.accessPointId))).toBeInstanceOf(Conflict);
    expect(await eventsOf(fixture.caseId, "msp_access.confirmed")).toEqual([
      expect.objectContaining({ actorType: "contact", actorId: fixture.contacts.provider.id, payload: { accessPointId: first.accessPointId, name: "RMM agent", contactId: fixture.contacts.provider.id } }),
      expect.objectContaining({ actorType: "contact", actorId: fixture.contacts.customer_signer.id }),
    ]);
  });

  it("when disputed, show the dispute until staff record the removal again, which then waits for a new answer", async () => {
    const fixture = await createCaseWithContacts();
    const { accessPointId } = await add(fixture, "ScreenConnect agent");
    await markRemoved(fixture, accessPointId, { removedOn: shift(today(), -1), method: "Uninstalled" });
    expect(await refusal(answer(fixture, accessPointId, "customer_signer", { answer: "dispute", reason: " " }))).toMatchObject({ errors: { reason: "Say why you dispute the removal." } });
    await answer(fixture, accessPointId, "customer_signer", { answer: "dispute", reason: "Still running on the reception PC." });
    expect((await listAccessPoints({ caseId: fixture.caseId }))[0]).toMatchObject({ confirmation: "disputed", disputeReason: "Still running on the reception PC.", confirmedBy: "Sam Signer" });
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "pending", nextStepOwner: "msp", blockers: ["ScreenConnect agent: Still running on the reception PC."] });
    // The dispute stands: nobody confirms it away before staff have looked again.
    expect(await refusal(answer(fixture, accessPointId, "provider", { answer: "confirm" }))).toBeInstanceOf(Conflict);

    await markRemoved(fixture, accessPointId, { removedOn: today(), method: "Removed from the reception PC too" });
    expect((await listAccessPoints({ caseId: fixture.caseId }))[0]).toMatchObject({
      removedOn: today(),
      removalMethod: "Removed from the reception PC too",
      confirmation: null,
      confirmedBy: null,
      disputeReason: null,
    });
    const removals = await eventsOf(fixture.caseId, "msp_access.removed");
    expect(removals.map((event) => (event.payload as { afterDispute?: string }).afterDispute)).toEqual([undefined, "Still running on the reception PC."]);
    expect(await eventsOf(fixture.caseId, "msp_access.disputed")).toEqual([
      expect.objectContaining({ actorId: fixture.contacts.customer_signer.id, payload: expect.objectContaining({ reason: "Still running on the reception PC." }) }),
    ]);
    await answer(fixture, accessPointId, "provider", { answer: "confirm" });
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "done" });
  });

  it("drive the checklist item: listed, removed, confirmed", async () => {
    const fixture = await createCaseWithContacts();
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "pending", nextStepOwner: "msp", portalPath: "access" });
    const a = await add(fixture, "RMM agent");
    const b = await add(fixture, "VPN account");
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "pending", nextStepOwner: "msp", summary: "2 of 2 access points still to remove." });
    await markRemoved(fixture, a.accessPointId);
    await markRemoved(fixture, b.accessPointId);
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "pending", nextStepOwner: "incoming_provider", blockers: ["RMM agent: removal not confirmed yet", "VPN account: removal not confirmed yet"] });
    await answer(fixture, a.accessPointId, "provider", { answer: "confirm" });
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "pending", blockers: ["VPN account: removal not confirmed yet"] });
    await answer(fixture, b.accessPointId, "customer_signer", { answer: "confirm" });
    expect(await item(fixture.caseId, "msp-access-removed")).toMatchObject({ state: "done", summary: "All 2 access points removed and confirmed." });
  });

  it("are locked with a closed case, in the domain and in the database", async () => {
    const fixture = await createCaseWithContacts();
    const listed = await add(fixture, "Listed");
    const removed = await add(fixture, "Removed");
    await markRemoved(fixture, removed.accessPointId);
    await closeCase({ actor: fixture.actor, caseId: fixture.caseId });
    expect(await refusal(add(fixture))).toBeInstanceOf(CaseClosedError);
    expect(await refusal(markRemoved(fixture, listed.accessPointId))).toBeInstanceOf(CaseClosedError);
    expect(await refusal(answer(fixture, removed.accessPointId, "provider", { answer: "confirm" }))).toBeInstanceOf(CaseClosedError);
    expect(await sqlRefusal(sql`update msp_access_points set confirmation = 'confirmed', confirmed_at = now(), confirmed_by_label = 'Forged' where case_id = ${fixture.caseId}`)).toMatch(
      /case .+ is closed: UPDATE on msp_access_points is not allowed/,
    );
    expect(await sqlRefusal(sql`delete from msp_access_points where case_id = ${fixture.caseId}`)).toMatch(/is closed: DELETE on msp_access_points/);
    const rows = await testDb().select({ id: mspAccessPoints.id }).from(mspAccessPoints).where(eq(mspAccessPoints.caseId, fixture.caseId));
    expect(rows).toHaveLength(2);
  });
});
