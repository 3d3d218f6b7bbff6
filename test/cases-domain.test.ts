import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { addHardwareItem } from "../app/cases/hardware.server";
import { closeCase, createCase, getCase, updateCase } from "../app/cases/cases.server";
import { addContact, listContacts, removeContact, updateContact } from "../app/cases/contacts.server";
import { CaseClosedError } from "../app/cases/errors.server";
import { InvalidInput, Forbidden, NotFound } from "../app/http/refusals.server";
import * as vocabulary from "../app/cases/vocabulary";
import { systemActor } from "../app/audit/audit.server";
import * as schema from "../db/schema";
import { testDb } from "./helpers/database";
import { actorFor, auditCount, caseCount, caseInputFor, latestEvent } from "./helpers/cases";
import { createTestStaff } from "./helpers/staff";

type Staff = Awaited<ReturnType<typeof createTestStaff>>;
let admin: Staff;
let engineer: Staff;
let otherEngineer: Staff;
let legal: Staff;

beforeAll(async () => {
  admin = await createTestStaff({ role: "admin", name: "Avery Admin" });
  engineer = await createTestStaff({ role: "engineer", name: "Eli Engineer" });
  otherEngineer = await createTestStaff({ role: "engineer", name: "Olu Other" });
  legal = await createTestStaff({ role: "legal", name: "Lee Legal" });
});

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).errors;
}

describe("vocabulary", () => {
  it("offers exactly the values the database enums accept", () => {
    expect(vocabulary.CONTACT_ROLES).toEqual(schema.contactRole.enumValues);
    expect(vocabulary.HARDWARE_CATEGORIES).toEqual(schema.hardwareCategory.enumValues);
    expect(vocabulary.HARDWARE_OWNERS).toEqual(schema.hardwareOwner.enumValues);
    expect(vocabulary.BILLING_PARTIES).toEqual(schema.billingParty.enumValues);
    expect(vocabulary.SUBSCRIPTION_PLANS).toEqual(schema.subscriptionPlan.enumValues);
    expect(vocabulary.BACKUP_JOB_STATES).toEqual(schema.backupJobState.enumValues);
    expect(vocabulary.BACKUP_SET_DISPOSITIONS).toEqual(schema.backupSetDisposition.enumValues);
  });
});

describe("creating a case", () => {
  it("stores the case with a unique human reference and records the event with it", async () => {
    const now = new Date("2031-02-01T12:00:00Z");
    const first = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id), now });
    const second = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id), now });
    expect(first.reference).toBe("HO-2031-0001");
    expect(second.reference).toBe("HO-2031-0002");
    const kase = await getCase({ caseId: first.id });
    expect(kase).toMatchObject({ status: "open", timeZone: "America/New_York", responsibleEngineerName: "Eli Engineer" });
    const event = await latestEvent(first.id);
    expect(event).toMatchObject({ action: "case.created", actorId: engineer.id });
    expect(event!.payload).toMatchObject({ reference: "HO-2031-0001" });
  });

  it("never hands out one reference twice, even to concurrent creators", async () => {
    const now = new Date("2032-06-01T00:00:00Z");
    const made = await Promise.all(
      Array.from({ length: 5 }, () => createCase({ actor: actorFor(admin), input: caseInputFor(engineer.id), now })),
    );
    expect(new Set(made.map((m) => m.reference)).size).toBe(5);
    expect(made.map((m) => m.reference).sort()).toEqual(["HO-2032-0001", "HO-2032-0002", "HO-2032-0003", "HO-2032-0004", "HO-2032-0005"]);
  });

  it("refuses invalid input field by field and writes nothing", async () => {
    const casesBefore = await caseCount();
    const eventsBefore = await auditCount();
    const errors = await fieldErrors(
      createCase({
        actor: actorFor(engineer),
        input: caseInputFor(engineer.id, {
          customerLegalName: "   ",
          cutoverOn: "2026-01-01",
          timeZone: "Mars/Olympus_Mons",
        }),
      }),
    );
    expect(errors).toMatchObject({
      customerLegalName: expect.stringContaining("legal name"),
      cutoverOn: "Cutover cannot be before notice was received",
      timeZone: expect.stringContaining("time zone"),
    });
    expect(await caseCount()).toBe(casesBefore);
    expect(await auditCount()).toBe(eventsBefore);
  });

  it("accepts IANA names, including UTC", async () => {
    const utc = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id, { timeZone: "UTC" }) });
    expect((await getCase({ caseId: utc.id })).timeZone).toBe("UTC");
  });

  it("requires the responsible engineer to be an active admin or engineer", async () => {
    expect(await fieldErrors(createCase({ actor: actorFor(admin), input: caseInputFor(legal.id) }))).toEqual({
      responsibleEngineerId: "Choose an active admin or engineer",
    });
    const gone = await createTestStaff({ role: "engineer" });
    await testDb().update(schema.staffUsers).set({ deactivatedAt: new Date() }).where(eq(schema.staffUsers.id, gone.id));
    expect(await fieldErrors(createCase({ actor: actorFor(admin), input: caseInputFor(gone.id) }))).toHaveProperty(
      "responsibleEngineerId",
    );
  });

  it("refuses legal: read-only everywhere", async () => {
    const before = await caseCount();
    await expect(createCase({ actor: actorFor(legal), input: caseInputFor(engineer.id) })).rejects.toBeInstanceOf(Forbidden);
    expect(await caseCount()).toBe(before);
  });
});

describe("editing a case", () => {
  it("records each changed field as from → to, and nothing when nothing changed", async () => {
    const input = caseInputFor(engineer.id);
    const { id } = await createCase({ actor: actorFor(engineer), input });
    const result = await updateCase({
      actor: actorFor(admin),
      caseId: id,
      input: { ...input, cutoverOn: "2026-04-15", responsibleEngineerId: otherEngineer.id },
    });
    expect(result.changed.sort()).toEqual(["cutoverOn", "responsibleEngineerId"]);
    const event = await latestEvent(id);
    expect(event).toMatchObject({
      action: "case.updated",
      payload: {
        changes: {
          cutoverOn: { from: "2026-04-01", to: "2026-04-15" },
          responsibleEngineerId: { from: engineer.id, to: otherEngineer.id },
        },
      },
    });
    const events = await auditCount({ caseId: id });
    expect(
      await updateCase({ actor: actorFor(admin), caseId: id, input: { ...input, cutoverOn: "2026-04-15", responsibleEngineerId: otherEngineer.id } }),
    ).toEqual({ changed: [] });
    expect(await auditCount({ caseId: id })).toBe(events);
  });

  it("treats an unknown or malformed case id as not found", async () => {
    const input = caseInputFor(engineer.id);
    await expect(updateCase({ actor: actorFor(admin), caseId: "not-a-uuid", input })).rejects.toBeInstanceOf(NotFound);
    await expect(
      updateCase({ actor: actorFor(admin), caseId: "00000000-0000-4000-8000-000000000000", input }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(getCase({ caseId: "1; drop table cases" })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("closing a case", () => {
  it("is allowed to an admin or the responsible engineer only", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    await expect(closeCase({ actor: actorFor(otherEngineer), caseId: id })).rejects.toBeInstanceOf(Forbidden);
    await expect(closeCase({ actor: actorFor(legal), caseId: id })).rejects.toBeInstanceOf(Forbidden);
    await expect(closeCase({ actor: systemActor(), caseId: id })).rejects.toBeInstanceOf(Forbidden);
    expect((await getCase({ caseId: id })).status).toBe("open");

    await closeCase({ actor: actorFor(engineer), caseId: id });
    const closed = await getCase({ caseId: id });
    expect(closed).toMatchObject({ status: "closed", closedByName: "Eli Engineer" });
    expect(await latestEvent(id)).toMatchObject({ action: "case.closed", actorId: engineer.id });

    const other = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    await closeCase({ actor: actorFor(admin), caseId: other.id });
    expect((await getCase({ caseId: other.id })).status).toBe("closed");
  });

  it("makes the case read-only: edits, contacts and inventory are refused and nothing is recorded", async () => {
    const input = caseInputFor(engineer.id);
    const { id } = await createCase({ actor: actorFor(engineer), input });
    const { id: contactId } = await addContact({
      actor: actorFor(engineer),
      caseId: id,
      input: { role: "customer_signer", name: "Dr. Mara Quinn", email: "mara@harbor.example" },
    });
    await closeCase({ actor: actorFor(engineer), caseId: id });
    const events = await auditCount({ caseId: id });
    const actor = actorFor(admin);
    await expect(updateCase({ actor, caseId: id, input: { ...input, cutoverOn: "2026-05-01" } })).rejects.toBeInstanceOf(CaseClosedError);
    await expect(
      addHardwareItem({ actor, caseId: id, input: { category: "firewall", makeModel: "Meraki MX68" } }),
    ).rejects.toBeInstanceOf(CaseClosedError);
    await expect(removeContact({ actor, caseId: id, contactId })).rejects.toBeInstanceOf(CaseClosedError);
    await expect(closeCase({ actor, caseId: id })).rejects.toBeInstanceOf(CaseClosedError);
    expect(await auditCount({ caseId: id })).toBe(events);
  });
});

describe("contacts", () => {
  it("adds, edits and softly removes contacts, recording each step", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    const actor = actorFor(engineer);
    const { id: contactId } = await addContact({
      actor,
      caseId: id,
      input: { role: "customer_signer", name: "Dr. Mara Quinn", email: "mara@harbor.example", jobTitle: "Managing partner" },
    });
    await updateContact({
      actor,
      caseId: id,
      contactId,
      input: { role: "customer_signer", name: "Dr. Mara Quinn", email: "m.quinn@harbor.example", jobTitle: "Managing partner" },
    });
    expect(await latestEvent(id)).toMatchObject({
      action: "contact.updated",
      payload: { contactId, changes: { email: { from: "mara@harbor.example", to: "m.quinn@harbor.example" } } },
    });
    await removeContact({ actor, caseId: id, contactId });
    expect(await listContacts({ caseId: id })).toEqual([]);
    // Soft removal: the row stays as history.
    const [row] = await testDb()
      .select({ removedAt: schema.caseContacts.removedAt })
      .from(schema.caseContacts)
      .where(eq(schema.caseContacts.id, contactId));
    expect(row!.removedAt).toBeInstanceOf(Date);
    expect(await latestEvent(id)).toMatchObject({ action: "contact.removed", payload: { contactId, email: "m.quinn@harbor.example" } });
  });

  it("refuses a second contact with the same email through the database, as a field error, leaving no event", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    const actor = actorFor(engineer);
    await addContact({ actor, caseId: id, input: { role: "customer_viewer", name: "Sam Office", email: "office@harbor.example" } });
    const events = await auditCount({ caseId: id });
    const errors = await fieldErrors(
      addContact({ actor, caseId: id, input: { role: "customer_signer", name: "Sam Again", email: "OFFICE@harbor.example" } }),
    );
    expect(errors).toEqual({ email: "This email address is already a contact of this case" });
    expect(await auditCount({ caseId: id })).toBe(events);
    expect(await listContacts({ caseId: id })).toHaveLength(1);

    // Another case may have the same person; a removed contact frees the address.
    const other = await createCase({ actor, input: caseInputFor(engineer.id) });
    await addContact({ actor, caseId: other.id, input: { role: "customer_viewer", name: "Sam Office", email: "office@harbor.example" } });
    const [existing] = await listContacts({ caseId: id });
    await removeContact({ actor, caseId: id, contactId: existing!.id });
    await addContact({ actor, caseId: id, input: { role: "customer_signer", name: "Sam Office", email: "office@harbor.example" } });
    expect(await listContacts({ caseId: id })).toHaveLength(1);
  });

  it("does not reach a contact through another case", async () => {
    const actor = actorFor(engineer);
    const a = await createCase({ actor, input: caseInputFor(engineer.id) });
    const b = await createCase({ actor, input: caseInputFor(engineer.id) });
    const { id: contactId } = await addContact({ actor, caseId: a.id, input: { role: "provider", name: "Pat Provider", email: "pat@northwind.example" } });
    await expect(removeContact({ actor, caseId: b.id, contactId })).rejects.toBeInstanceOf(NotFound);
    await expect(
      updateContact({ actor, caseId: b.id, contactId, input: { role: "provider", name: "Hijack", email: "x@evil.example" } }),
    ).rejects.toBeInstanceOf(NotFound);
    expect((await listContacts({ caseId: a.id }))[0]).toMatchObject({ name: "Pat Provider" });
  });
});

describe("database rules behind the forms", () => {
  it("rejects rows that must never exist, whoever writes them", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    const db = testDb();
    await expect(
      db.insert(schema.hardwareItems).values({ caseId: id, category: "switch", makeModel: "X", owner: "customer", retrievalPlan: "take it" }),
    ).rejects.toThrow();
    await expect(
      db.insert(schema.hardwareItems).values({ caseId: id, category: "switch", makeModel: "X", owner: "third_party_lessor" }),
    ).rejects.toThrow();
    await expect(
      db.insert(schema.subscriptions).values({
        caseId: id,
        vendor: "Microsoft",
        product: "M365",
        quantity: 1,
        billingParty: "msp",
        plan: "terminate_on_date",
        monthlyCostCents: 100,
      }),
    ).rejects.toThrow();
    await expect(
      db.insert(schema.backupSets).values({ caseId: id, description: "2019 archive", location: "Tape", sizeGb: 10, proposedDisposition: "hand_over", dispositionOn: "2026-05-01" }),
    ).rejects.toThrow();
    await expect(db.execute(sql`update cases set status = 'closed' where id = ${id}`)).rejects.toThrow();
    await expect(db.execute(sql`update cases set reference = 'CASE-1' where id = ${id}`)).rejects.toThrow();
  });
});
