import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../app/audit/audit.server";
import { updateCase } from "../app/cases/cases.server";
import { CaseClosedError } from "../app/cases/errors.server";
import { InvalidInput, Forbidden } from "../app/http/refusals.server";
import { addHardwareItem, removeHardwareItem, updateHardwareItem } from "../app/cases/hardware.server";
import type { HardwareItemInput, SubscriptionInput } from "../app/cases/schemas";
import { addSubscription, removeSubscription, updateSubscription } from "../app/cases/subscriptions.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { StaleVersionError, acknowledgeList, answerDispute, disputeListItems } from "../app/lists/acknowledgements.server";
import { hashList } from "../app/lists/canonical.server";
import type { HardwareListItem, SubscriptionListItem } from "../app/lists/items";
import { seedListsDemo } from "../app/demo/lists.server";
import { renderAcknowledgementReceipt } from "../app/lists/receipt.server";
import { proposeEarlyRetrieval } from "../app/lists/retrieval.server";
import { publishList } from "../app/lists/versions.server";
import { auditEvents, cases, hardwareItems, listAcknowledgements, listVersions, outboxMessages } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts, latestEmailTo } from "./helpers/portal";

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
// createCaseWithContacts puts cutover 20 days from today.
const CUTOVER = () => day(20);

const firewall = (): HardwareItemInput => ({
  category: "firewall",
  makeModel: "Fortinet FortiGate 60F",
  serialNumber: "FGT60F-001",
  location: "Comms cabinet",
  owner: "msp",
  retrievalPlan: "Collected the morning after cutover",
  retrievalWindowStartsOn: day(21),
  retrievalWindowEndsOn: day(25),
});
const laptop: HardwareItemInput = { category: "laptop", makeModel: "Lenovo ThinkPad T14", serialNumber: "PF-77", owner: "customer" };
const m365: SubscriptionInput = {
  vendor: "Microsoft",
  product: "Microsoft 365 Business Premium",
  quantity: 24,
  billingParty: "msp",
  plan: "transfer_to_incoming_provider",
  monthlyCost: "528.00",
  currency: "GBP",
};

const contactActor = (fixture: Fixture, role: keyof Fixture["contacts"] = "customer_signer"): Actor => ({
  type: "contact",
  id: fixture.contacts[role].id,
  label: `Someone <${fixture.contacts[role].email}>`,
  ip: "203.0.113.50",
  userAgent: "Mozilla/5.0 (lists test)",
});

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).errors;
}

/** An email's text with its line wrapping undone. */
const flat = (text: string) => text.replace(/\s+/g, " ");

/** The database's own message (drizzle wraps it as "Failed query: …"). */
async function databaseRefusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  );
  expect(error, "the database accepted the write").not.toBeNull();
  return `${error!.message} ${error!.cause?.message ?? ""}`;
}

async function caseWithHardware() {
  const fixture = await createCaseWithContacts();
  const fw = await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: firewall() });
  const lt = await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: laptop });
  return { ...fixture, firewallId: fw.id, laptopId: lt.id };
}

// ---------------------------------------------------------------------------------------------

// Asserted as the type, so a field described later need not be added here (old rows lack it too).
const hardwareRow = (overrides: Partial<HardwareListItem> = {}) =>
  ({
  id: "7b0c5b0e-3a59-4b8e-9f0a-000000000001",
  category: "firewall",
  makeModel: "Fortinet FortiGate 60F",
  serialNumber: "FGT1",
  assetTag: "NW-1",
  location: "Cabinet",
  owner: "msp",
  lessorName: null,
  retrievalPlan: "After cutover",
  retrievalWindowStartsOn: "2026-04-02",
  retrievalWindowEndsOn: "2026-04-09",
  earlyRetrievalProposedOn: null,
  notes: "",
  ...overrides,
}) as HardwareListItem;

const subscriptionRow = (overrides: Partial<SubscriptionListItem> = {}): SubscriptionListItem => ({
  id: "7b0c5b0e-3a59-4b8e-9f0a-000000000101",
  vendor: "Microsoft",
  product: "M365",
  quantity: 10,
  billingParty: "msp",
  termEndsOn: null,
  plan: "terminate_on_date",
  planDate: "2026-04-01",
  monthlyCostCents: 22000,
  currency: "USD",
  notes: "",
  ...overrides,
});

/** The same object with its keys written in reverse order. */
const reversedKeys = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).reverse()) as T;

describe("the hash of a list", () => {
  const caseId = "0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f";
  const rows = [
    hardwareRow(),
    hardwareRow({ id: "7b0c5b0e-3a59-4b8e-9f0a-000000000002", category: "switch", makeModel: "Aruba 1930" }),
    hardwareRow({ id: "7b0c5b0e-3a59-4b8e-9f0a-000000000003", category: "laptop", owner: "customer", retrievalPlan: null, retrievalWindowStartsOn: null, retrievalWindowEndsOn: null }),
  ];

  it("is the same for the same data in any row order and any key order", () => {
    const reference = hashList("hardware", caseId, rows).sha256;
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
    expect(hashList("hardware", caseId, [...rows].reverse()).sha256).toBe(reference);
    expect(hashList("hardware", caseId, [rows[1]!, rows[2]!, rows[0]!].map(reversedKeys)).sha256).toBe(reference);
    // Keys that are not part of a list (a column added to the inventory later) do not enter the hash.
    expect(hashList("hardware", caseId, rows.map((row) => ({ ...row, createdAt: new Date() }) as HardwareListItem)).sha256).toBe(reference);
  });

  it("changes when any field of any item changes", () => {
    const reference = hashList("hardware", caseId, rows).sha256;
    const changes: Partial<HardwareListItem>[] = [
      { category: "router" },
      { makeModel: "Fortinet FortiGate 61F" },
      { serialNumber: "FGT2" },
      { assetTag: "NW-2" },
      { location: "Reception" },
      { owner: "third_party_lessor", lessorName: "Lease Co" },
      { retrievalPlan: "Courier" },
      { retrievalWindowStartsOn: "2026-04-03" },
      { retrievalWindowEndsOn: "2026-04-10" },
      { earlyRetrievalProposedOn: "2026-03-30" },
      { notes: "x" },
    ];
    const seen = new Set([reference]);
    for (const change of changes) {
      const hash = hashList("hardware", caseId, [hardwareRow(change), rows[1]!, rows[2]!]).sha256;
      expect(seen.has(hash), JSON.stringify(change)).toBe(false);
      seen.add(hash);
    }
    // Removing or adding an item, or naming another case, changes it too.
    expect(hashList("hardware", caseId, rows.slice(1)).sha256).not.toBe(reference);
    expect(hashList("hardware", "0f9e8d7c-6b5a-4c3d-8e2f-000000000000", rows).sha256).not.toBe(reference);
  });

  it("covers every field of a subscription, cost to the cent", () => {
    const base = hashList("subscriptions", caseId, [subscriptionRow()]).sha256;
    const changes: Partial<SubscriptionListItem>[] = [
      { vendor: "Microsoft Ireland" },
      { product: "M365 E3" },
      { quantity: 11 },
      { billingParty: "customer" },
      { termEndsOn: "2026-12-31" },
      { plan: "continue_until_date" },
      { planDate: "2026-04-02" },
      { monthlyCostCents: 22001 },
      { currency: "EUR" },
      { notes: "n" },
    ];
    for (const change of changes) expect(hashList("subscriptions", caseId, [subscriptionRow(change)]).sha256, JSON.stringify(change)).not.toBe(base);
  });
});

// ---------------------------------------------------------------------------------------------

describe("publishing", () => {
  it("freezes the draft as version 1 with its canonical JSON and SHA-256, and refuses an unchanged republish", async () => {
    const fixture = await caseWithHardware();
    const published = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    expect(published).toMatchObject({ version: 1, notified: 1 });
    const [row] = await testDb().select().from(listVersions).where(eq(listVersions.id, published.versionId));
    expect(row!.sha256).toBe(published.sha256);
    const document = JSON.parse(row!.canonicalJson) as { items: { makeModel: string }[] };
    expect(document.items.map((item) => item.makeModel).sort()).toEqual(["Fortinet FortiGate 60F", "Lenovo ThinkPad T14"]);

    const again = await fieldErrors(publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" }));
    expect(again.form).toContain("Nothing changed since version 1");

    const email = await latestEmailTo(fixture.contacts.customer_signer.email);
    expect(email!.subject).toContain("please review the hardware list");
    expect(flat(email!.text)).toContain(published.sha256);
    expect(email!.text).toContain(`/portal/${fixture.caseId}/lists/hardware`);
  });

  it("keeps published versions immutable in the database", async () => {
    const fixture = await caseWithHardware();
    const { versionId } = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    expect(await databaseRefusal(testDb().execute(sql`update list_versions set canonical_json = '{}' where id = ${versionId}`))).toMatch(/append-only/);
    expect(await databaseRefusal(testDb().execute(sql`update list_versions set published_by_label = 'someone else' where id = ${versionId}`))).toMatch(
      /append-only/,
    );
    expect(await databaseRefusal(testDb().execute(sql`delete from list_versions where id = ${versionId}`))).toMatch(/append-only/);
    // A stored hash that does not match the stored JSON is refused outright.
    expect(
      await databaseRefusal(
        testDb().insert(listVersions).values({
        caseId: fixture.caseId,
        kind: "subscriptions",
        version: 1,
        canonicalJson: '{"items":[]}',
        sha256: "0".repeat(64),
        itemCount: 0,
          publishedByLabel: "forger",
        }),
      ),
    ).toMatch(/list_versions_sha256_matches/);
  });

  it("refuses a list with items the customer could not judge (unknown owner, no retrieval window, no plan)", async () => {
    const fixture = await createCaseWithContacts();
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { category: "printer", makeModel: "HP M507" } });
    await addSubscription({ actor: fixture.actor, caseId: fixture.caseId, input: { ...m365, plan: undefined } });
    expect((await fieldErrors(publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" }))).form).toContain(
      "HP M507: confirm the owner",
    );
    expect((await fieldErrors(publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "subscriptions" }))).form).toContain(
      "Microsoft Microsoft 365 Business Premium: choose a transition plan",
    );
    expect(await testDb().select().from(listVersions).where(eq(listVersions.caseId, fixture.caseId))).toEqual([]);
  });

  it("is refused for legal staff and external contacts", async () => {
    const fixture = await caseWithHardware();
    await expect(publishList({ actor: contactActor(fixture), caseId: fixture.caseId, kind: "hardware" })).rejects.toBeInstanceOf(Forbidden);
  });
});

// ---------------------------------------------------------------------------------------------

describe("acknowledging", () => {
  it("records who, when, IP, user agent and the version's SHA-256, in the audit trail too", async () => {
    const fixture = await caseWithHardware();
    const { sha256, versionId } = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const actor = contactActor(fixture);
    const { acknowledgementId } = await acknowledgeList({
      actor,
      caseId: fixture.caseId,
      input: { kind: "hardware", versionSha256: sha256, reviewed: "yes" },
    });
    const [row] = await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.id, acknowledgementId));
    expect(row).toMatchObject({
      versionId,
      versionSha256: sha256,
      contactId: fixture.contacts.customer_signer.id,
      ip: "203.0.113.50",
      userAgent: "Mozilla/5.0 (lists test)",
      supersededAt: null,
    });
    const [event] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "list.acknowledged")));
    expect(event).toMatchObject({ actorType: "contact", actorId: fixture.contacts.customer_signer.id, ip: "203.0.113.50", userAgent: "Mozilla/5.0 (lists test)" });
    expect(event!.payload).toMatchObject({ kind: "hardware", version: 1, sha256, acknowledgementId });

    // The same version cannot be acknowledged twice, and the record cannot be rewritten.
    const twice = await fieldErrors(acknowledgeList({ actor, caseId: fixture.caseId, input: { kind: "hardware", versionSha256: sha256, reviewed: "yes" } }));
    expect(twice.form).toContain("already acknowledged");
    await expect(testDb().execute(sql`update list_acknowledgements set ip = '10.0.0.1' where id = ${acknowledgementId}`)).rejects.toThrow();
    await expect(testDb().execute(sql`delete from list_acknowledgements where id = ${acknowledgementId}`)).rejects.toThrow();
  });

  it("refuses a version that is no longer current: the customer must see what they sign", async () => {
    const fixture = await caseWithHardware();
    const first = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    await updateHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.laptopId, input: { ...laptop, location: "Front desk" } });
    await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const stale = acknowledgeList({ actor: contactActor(fixture), caseId: fixture.caseId, input: { kind: "hardware", versionSha256: first.sha256, reviewed: "yes" } });
    await expect(stale).rejects.toBeInstanceOf(StaleVersionError);
    await expect(stale).rejects.toThrow("review version 2");
    expect(await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.caseId, fixture.caseId))).toEqual([]);
  });

  it("is for the customer signer only, and only while the case is open", async () => {
    const fixture = await caseWithHardware();
    const { sha256 } = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const input = { kind: "hardware" as const, versionSha256: sha256, reviewed: "yes" as const };
    await expect(acknowledgeList({ actor: contactActor(fixture, "customer_viewer"), caseId: fixture.caseId, input })).rejects.toBeInstanceOf(Forbidden);
    await expect(acknowledgeList({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, input })).rejects.toBeInstanceOf(Forbidden);
    await expect(acknowledgeList({ actor: fixture.actor, caseId: fixture.caseId, input })).rejects.toBeInstanceOf(Forbidden);
    // A signer of another case cannot acknowledge this one.
    const other = await createCaseWithContacts();
    await expect(acknowledgeList({ actor: contactActor(other), caseId: fixture.caseId, input })).rejects.toBeInstanceOf(Forbidden);
    // Unticked "I have reviewed every item" is a field error.
    expect(
      await fieldErrors(acknowledgeList({ actor: contactActor(fixture), caseId: fixture.caseId, input: { ...input, reviewed: undefined as never } })),
    ).toHaveProperty("reviewed");
    await testDb().execute(sql`update cases set status = 'closed', closed_at = now(), closed_by_id = ${fixture.engineer.id} where id = ${fixture.caseId}`);
    await expect(acknowledgeList({ actor: contactActor(fixture), caseId: fixture.caseId, input })).rejects.toBeInstanceOf(CaseClosedError);
  });
});

// ---------------------------------------------------------------------------------------------

describe("a change after publishing", () => {
  it("supersedes the acknowledgement, emails the signer once with added, removed and changed fields, and asks again", async () => {
    const fixture = await createCaseWithContacts();
    const actor = fixture.actor;
    const m365Id = (await addSubscription({ actor, caseId: fixture.caseId, input: m365 })).id;
    const avId = (await addSubscription({ actor, caseId: fixture.caseId, input: { ...m365, vendor: "SentinelOne", product: "Singularity Core", quantity: 26, monthlyCost: "104.00", plan: "terminate_on_date", planDate: CUTOVER() } })).id;
    const v1 = await publishList({ actor, caseId: fixture.caseId, kind: "subscriptions" });
    const { acknowledgementId } = await acknowledgeList({
      actor: contactActor(fixture),
      caseId: fixture.caseId,
      input: { kind: "subscriptions", versionSha256: v1.sha256, reviewed: "yes" },
    });
    let checklist = await getCaseChecklist({ caseId: fixture.caseId });
    expect(checklist.items.find((item) => item.id === "subscription-list-acknowledged")).toMatchObject({ state: "done" });

    // Edits go to the draft: the published version and its acknowledgement stay as they were…
    await updateSubscription({ actor, caseId: fixture.caseId, subscriptionId: m365Id, input: { ...m365, quantity: 20 } });
    await removeSubscription({ actor, caseId: fixture.caseId, subscriptionId: avId });
    await addSubscription({ actor, caseId: fixture.caseId, input: { ...m365, vendor: "GoDaddy", product: "harbour.example domain", quantity: 1, monthlyCost: "1.50", plan: "transfer_to_customer", billingParty: "customer" } });
    const [stillLive] = await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.id, acknowledgementId));
    expect(stillLive!.supersededAt).toBeNull();
    checklist = await getCaseChecklist({ caseId: fixture.caseId });
    expect(checklist.items.find((item) => item.id === "subscription-list-acknowledged")).toMatchObject({ state: "pending", nextStepOwner: "msp" });

    // …until the draft is published as version 2.
    const before = await testDb().select().from(outboxMessages).where(eq(outboxMessages.recipientAddress, fixture.contacts.customer_signer.email));
    const v2 = await publishList({ actor, caseId: fixture.caseId, kind: "subscriptions" });
    expect(v2).toMatchObject({ version: 2, supersededAcknowledgements: 1, notified: 1 });
    const [superseded] = await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.id, acknowledgementId));
    expect(superseded).toMatchObject({ supersededByVersionId: v2.versionId });
    expect(superseded!.supersededAt).toBeInstanceOf(Date);

    const after = await testDb().select().from(outboxMessages).where(eq(outboxMessages.recipientAddress, fixture.contacts.customer_signer.email));
    expect(after.length - before.length).toBe(1);
    const email = await latestEmailTo(fixture.contacts.customer_signer.email);
    expect(email!.subject).toContain("the subscription list changed, please review version 2");
    expect(flat(email!.text)).toContain("Changes since version 1, which you acknowledged");
    expect(flat(email!.text)).toContain("Added: GoDaddy harbour.example domain");
    expect(flat(email!.text)).toContain("Removed: SentinelOne Singularity Core");
    expect(flat(email!.text)).toContain("Changed: Microsoft Microsoft 365 Business Premium");
    expect(flat(email!.text)).toContain("Quantity: 24 → 20");
    // The other contacts are not asked to acknowledge.
    expect(await latestEmailTo(fixture.contacts.customer_viewer.email)).toBeNull();

    checklist = await getCaseChecklist({ caseId: fixture.caseId });
    expect(checklist.items.find((item) => item.id === "subscription-list-acknowledged")).toMatchObject({
      state: "pending",
      nextStepOwner: "customer",
      summary: "Version 2 awaits the customer signer's acknowledgement.",
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("disputes", () => {
  it("go back to staff, show on the case overview, are answered, and a republished version is acknowledged", async () => {
    const fixture = await caseWithHardware();
    const v1 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const { disputeIds } = await disputeListItems({
      actor: contactActor(fixture),
      caseId: fixture.caseId,
      input: {
        kind: "hardware",
        versionSha256: v1.sha256,
        comments: [
          { itemId: fixture.laptopId, comment: "This laptop belongs to Dr. Carter personally, not the practice." },
          { itemId: fixture.firewallId, comment: "" },
        ],
      },
    });
    expect(disputeIds).toHaveLength(1);

    // The responsible engineer hears about it at once.
    const [engineer] = await testDb().select({ email: sql<string>`email` }).from(sql`staff_users`).where(sql`id = ${fixture.engineer.id}`);
    const alert = await latestEmailTo(engineer!.email);
    expect(alert!.subject).toContain("disputed items of the hardware list");
    expect(flat(alert!.text)).toContain("“This laptop belongs to Dr. Carter personally, not the practice.”");

    let item = (await getCaseChecklist({ caseId: fixture.caseId })).items.find((entry) => entry.id === "hardware-list-acknowledged")!;
    expect(item).toMatchObject({ state: "pending", nextStepOwner: "msp", summary: "1 open dispute from the customer to answer." });
    expect(item.blockers[0]).toContain("Lenovo ThinkPad T14 (laptop, S/N PF-77): “This laptop belongs to Dr. Carter personally");

    // A dispute cannot be rewritten by anyone.
    await expect(testDb().execute(sql`update list_disputes set comment = 'fine' where id = ${disputeIds[0]}`)).rejects.toThrow();

    await answerDispute({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { disputeId: disputeIds[0]!, answer: "Corrected: we record it as leased from Dr. Carter." },
    });
    const reply = await latestEmailTo(fixture.contacts.customer_signer.email);
    expect(reply!.subject).toBe("Your comment on the hardware list was answered");
    expect(flat(reply!.text)).toContain("Corrected: we record it as leased from Dr. Carter.");
    expect((await fieldErrors(answerDispute({ actor: fixture.actor, caseId: fixture.caseId, input: { disputeId: disputeIds[0]!, answer: "again" } }))).answer).toContain(
      "already been answered",
    );

    await updateHardwareItem({
      actor: fixture.actor,
      caseId: fixture.caseId,
      itemId: fixture.laptopId,
      input: { ...laptop, owner: "third_party_lessor", lessorName: "Dr. Helen Carter" },
    });
    const v2 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    item = (await getCaseChecklist({ caseId: fixture.caseId })).items.find((entry) => entry.id === "hardware-list-acknowledged")!;
    expect(item).toMatchObject({ state: "pending", nextStepOwner: "customer" });
    await acknowledgeList({ actor: contactActor(fixture), caseId: fixture.caseId, input: { kind: "hardware", versionSha256: v2.sha256, reviewed: "yes" } });
    item = (await getCaseChecklist({ caseId: fixture.caseId })).items.find((entry) => entry.id === "hardware-list-acknowledged")!;
    expect(item.state).toBe("done");
  });

  it("need at least one comment, on items of the current version", async () => {
    const fixture = await caseWithHardware();
    const v1 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const empty = await fieldErrors(
      disputeListItems({ actor: contactActor(fixture), caseId: fixture.caseId, input: { kind: "hardware", versionSha256: v1.sha256, comments: [{ itemId: fixture.laptopId, comment: "  " }] } }),
    );
    expect(empty.form).toContain("Write a comment");
    const foreign = await fieldErrors(
      disputeListItems({
        actor: contactActor(fixture),
        caseId: fixture.caseId,
        input: { kind: "hardware", versionSha256: v1.sha256, comments: [{ itemId: "11111111-2222-4333-8444-555555555555", comment: "?" }] },
      }),
    );
    expect(foreign.form).toContain("not in this version");
  });
});

// ---------------------------------------------------------------------------------------------

describe("the retrieval rule", () => {
  it("refuses MSP-owned network gear before cutover, but not on cutover day, not other gear, not customer-owned", async () => {
    const fixture = await createCaseWithContacts();
    const early = { ...firewall(), retrievalWindowStartsOn: day(15), retrievalWindowEndsOn: day(25) };
    for (const category of ["firewall", "router", "switch", "access_point"] as const) {
      const errors = await fieldErrors(addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { ...early, category } }));
      expect(errors.retrievalWindowStartsOn).toContain("collected on or after cutover");
    }
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { ...early, retrievalWindowStartsOn: CUTOVER() } });
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { ...early, category: "ups", makeModel: "APC Smart-UPS" } });
    // Customer-owned items have no retrieval at all.
    const customer = await fieldErrors(addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { ...early, owner: "customer" } }));
    expect(Object.keys(customer)).toContain("retrievalWindowStartsOn");
  });

  it("is backed by the database: a direct write and a later cutover are refused", async () => {
    const fixture = await createCaseWithContacts();
    const { id } = await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: firewall() });
    await expect(
      testDb().update(hardwareItems).set({ retrievalWindowStartsOn: day(10) }).where(eq(hardwareItems.id, id)),
    ).rejects.toThrow();
    await expect(
      testDb().execute(sql`insert into hardware_items (case_id, category, make_model, owner, retrieval_plan, retrieval_window_starts_on, retrieval_window_ends_on)
        values (${fixture.caseId}, 'switch', 'Aruba', 'msp', 'x', ${day(1)}, ${day(2)})`),
    ).rejects.toThrow();
    // Moving cutover past the firewall's pick-up would schedule it early without the customer's word.
    const [kase] = await testDb().select().from(cases).where(eq(cases.id, fixture.caseId));
    const moved = await fieldErrors(
      updateCase({
        actor: fixture.actor,
        caseId: fixture.caseId,
        input: {
          customerLegalName: kase!.customerLegalName,
          customerAddress: kase!.customerAddress,
          incomingProviderName: kase!.incomingProviderName,
          noticeReceivedOn: kase!.noticeReceivedOn,
          cutoverOn: day(30),
          portalAccessEndsOn: kase!.portalAccessEndsOn,
          timeZone: kase!.timeZone,
          responsibleEngineerId: kase!.responsibleEngineerId,
        },
      }),
    );
    expect(moved.cutoverOn).toContain("move its retrieval window first");
  });

  it("honours the customer's explicit agreement to an earlier date, and only from that date", async () => {
    const fixture = await caseWithHardware();
    const proposedOn = day(12);
    // The proposal must be before cutover (otherwise no agreement is needed) and for network gear.
    expect((await fieldErrors(proposeEarlyRetrieval({ actor: fixture.actor, caseId: fixture.caseId, input: { itemId: fixture.firewallId, proposedOn: CUTOVER() } }))).proposedOn).toContain(
      "no agreement is needed",
    );
    expect(
      (await fieldErrors(proposeEarlyRetrieval({ actor: fixture.actor, caseId: fixture.caseId, input: { itemId: fixture.laptopId, proposedOn } }))).form,
    ).toContain("Only MSP-owned");
    await proposeEarlyRetrieval({ actor: fixture.actor, caseId: fixture.caseId, input: { itemId: fixture.firewallId, proposedOn } });
    // A proposal alone is not agreement.
    const input = { ...firewall(), retrievalWindowStartsOn: proposedOn };
    await fieldErrors(updateHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.firewallId, input }));

    const v1 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const document = JSON.parse((await testDb().select().from(listVersions).where(eq(listVersions.id, v1.versionId)))[0]!.canonicalJson) as {
      items: HardwareListItem[];
    };
    expect(document.items.find((item) => item.id === fixture.firewallId)!.earlyRetrievalProposedOn).toBe(proposedOn);
    // Only proposed items can be agreed to.
    expect(
      (
        await fieldErrors(
          acknowledgeList({
            actor: contactActor(fixture),
            caseId: fixture.caseId,
            input: { kind: "hardware", versionSha256: v1.sha256, reviewed: "yes", earlyRetrieval: [fixture.laptopId] },
          }),
        )
      ).earlyRetrieval,
    ).toBeTruthy();
    await acknowledgeList({
      actor: contactActor(fixture),
      caseId: fixture.caseId,
      input: { kind: "hardware", versionSha256: v1.sha256, reviewed: "yes", earlyRetrieval: fixture.firewallId },
    });

    // Now the window may start on the agreed date (or later), never before it.
    const before = await fieldErrors(
      updateHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.firewallId, input: { ...input, retrievalWindowStartsOn: day(11) } }),
    );
    expect(before.retrievalWindowStartsOn).toContain("The customer agreed to collection from");
    await updateHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.firewallId, input });
    const [stored] = await testDb().select().from(hardwareItems).where(eq(hardwareItems.id, fixture.firewallId));
    expect(stored!.retrievalWindowStartsOn).toBe(proposedOn);
    const [consentEvent] = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "list.acknowledged")));
    expect(consentEvent!.payload).toMatchObject({ earlyRetrieval: [{ itemId: fixture.firewallId, agreedFrom: proposedOn }] });
    // The item can still be removed from the draft; its proposal goes with it, the consent stays on record.
    await removeHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.firewallId });
    expect(await testDb().select().from(hardwareItems).where(eq(hardwareItems.id, fixture.firewallId))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("the receipt", () => {
  let pdftotext = true;
  beforeAll(() => {
    try {
      execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    } catch {
      pdftotext = false;
    }
  });

  it("lists the items, the version hash and the acknowledgement record", async () => {
    const fixture = await caseWithHardware();
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { category: "printer", makeModel: "Łukasz Müller-Øby's printer", owner: "customer" } });
    const { sha256 } = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const { acknowledgementId } = await acknowledgeList({
      actor: contactActor(fixture),
      caseId: fixture.caseId,
      input: { kind: "hardware", versionSha256: sha256, reviewed: "yes" },
    });
    const receipt = await renderAcknowledgementReceipt({ caseId: fixture.caseId, acknowledgementId });
    expect(Buffer.from(receipt.bytes.slice(0, 5)).toString()).toBe("%PDF-");
    expect(receipt.filename).toBe(`${fixture.reference}-hardware-v1-receipt.pdf`);
    // The same acknowledgement renders the same document.
    expect(Buffer.from((await renderAcknowledgementReceipt({ caseId: fixture.caseId, acknowledgementId })).bytes).equals(Buffer.from(receipt.bytes))).toBe(true);
    // Another case's id cannot read it.
    const other = await createCaseWithContacts();
    await expect(renderAcknowledgementReceipt({ caseId: other.caseId, acknowledgementId })).rejects.toThrow("not found");

    if (!pdftotext) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "receipt-")), "receipt.pdf");
    fs.writeFileSync(file, receipt.bytes);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8").replace(/\s+/g, " ");
    expect(text).toContain(sha256);
    expect(text).toContain("Fortinet FortiGate 60F");
    expect(text).toContain("Lenovo ThinkPad T14");
    expect(text).toContain("Łukasz Müller-Øby's printer");
    expect(text).toContain(fixture.contacts.customer_signer.email);
    expect(text).toContain("203.0.113.50");
    expect(text).toContain("Mozilla/5.0 (lists test)");
    expect(text).toContain(acknowledgementId);
  });
});

describe("the demo", () => {
  it("publishes both lists of a case and has the signer acknowledge the hardware list", async () => {
    const fixture = await caseWithHardware();
    await addSubscription({ actor: fixture.actor, caseId: fixture.caseId, input: m365 });
    const result = await seedListsDemo({ actor: fixture.actor, caseId: fixture.caseId });
    expect(result.hardware.version).toBe(1);
    expect(result.subscriptions.version).toBe(1);
    const states = Object.fromEntries((await getCaseChecklist({ caseId: fixture.caseId })).items.map((item) => [item.id, item.state]));
    expect(states["hardware-list-acknowledged"]).toBe("done");
    expect(states["subscription-list-acknowledged"]).toBe("pending");
  });
});
