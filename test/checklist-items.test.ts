import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { addBackupJob, addBackupSet } from "../app/cases/backups.server";
import { closeCase, createCase, updateCase } from "../app/cases/cases.server";
import { evaluateChecklist, getCaseChecklist, loadCaseSnapshots } from "../app/cases/checklist.server";
import { defineChecklistItem, outcome } from "../app/cases/checklist/types";
import { addContact, removeContact } from "../app/cases/contacts.server";
import { addHardwareItem, updateHardwareItem } from "../app/cases/hardware.server";
import { addSubscription } from "../app/cases/subscriptions.server";
import { staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";
import { actorFor, caseInputFor } from "./helpers/cases";
import { createTestStaff } from "./helpers/staff";

type Staff = Awaited<ReturnType<typeof createTestStaff>>;
let engineer: Staff;

beforeAll(async () => {
  engineer = await createTestStaff({ role: "engineer" });
});

// Well before the test cases' cutover (2026-04-01), so the stage comes from the checklist.
const BEFORE_CUTOVER = new Date("2026-02-01T12:00:00Z");

// The items this file is about; later features add their own items (and their own tests).
const FOUNDATION_ITEMS = [
  "case-details",
  "customer-signer",
  "provider-contact",
  "hardware-inventory",
  "subscription-plans",
  "backup-jobs",
  "backup-set-dispositions",
];
const foundation = (checklist: Awaited<ReturnType<typeof getCaseChecklist>>) =>
  checklist.items.filter((item) => FOUNDATION_ITEMS.includes(item.id));

const stateOf = (checklist: Awaited<ReturnType<typeof getCaseChecklist>>) =>
  Object.fromEntries(foundation(checklist).map((item) => [item.id, item.state]));

/** Progress over this file's items only. */
const foundationProgress = (checklist: Awaited<ReturnType<typeof getCaseChecklist>>) => {
  const items = foundation(checklist);
  return {
    done: items.filter((item) => item.state === "done").length,
    applicable: items.filter((item) => item.state !== "not_applicable").length,
  };
};

const item = (checklist: Awaited<ReturnType<typeof getCaseChecklist>>, id: string) => checklist.items.find((i) => i.id === id)!;

const firewallWithoutPlan = { category: "firewall" as const, makeModel: "Cisco Meraki MX68", serialNumber: "Q2KN-1", owner: "msp" as const };

describe("the offboarding checklist", () => {
  it("starts in intake with everything pending and nothing to retrieve", async () => {
    const { id } = await createCase({
      actor: actorFor(engineer),
      input: caseInputFor(engineer.id, { customerAddress: undefined, supportTransferPlannedOn: undefined }),
    });
    const checklist = await getCaseChecklist({ caseId: id, now: BEFORE_CUTOVER });
    expect(stateOf(checklist)).toEqual({
      "case-details": "pending",
      "customer-signer": "pending",
      "provider-contact": "pending",
      "hardware-inventory": "pending",
      "subscription-plans": "pending",
      "backup-jobs": "pending",
      "backup-set-dispositions": "not_applicable",
    });
    expect(item(checklist, "case-details").summary).toContain("customer address");
    expect(item(checklist, "case-details").summary).toContain("support-responsibility transfer");
    expect(item(checklist, "customer-signer").nextStepOwner).toBe("msp");
    expect(checklist.stage).toBe("intake");
    expect(foundationProgress(checklist)).toEqual({ done: 0, applicable: 6 });
  });

  it("follows the data: contacts move the case to transition, inventory completes it", async () => {
    const actor = actorFor(engineer);
    const { id: caseId } = await createCase({ actor, input: caseInputFor(engineer.id) });
    await addContact({ actor, caseId, input: { role: "customer_signer", name: "Dr. Mara Quinn", email: "mara@harbor.example" } });
    const { id: providerId } = await addContact({ actor, caseId, input: { role: "provider", name: "Jo Park", email: "jo@northwind.example" } });

    let checklist = await getCaseChecklist({ caseId, now: BEFORE_CUTOVER });
    expect(checklist.stage).toBe("transition");
    expect(item(checklist, "customer-signer")).toMatchObject({ state: "done", summary: "Signer: Dr. Mara Quinn." });

    const { id: itemId } = await addHardwareItem({ actor, caseId, input: firewallWithoutPlan });
    await addHardwareItem({ actor, caseId, input: { category: "laptop", makeModel: "Dell Latitude 5440" } });
    checklist = await getCaseChecklist({ caseId, now: BEFORE_CUTOVER });
    expect(item(checklist, "hardware-inventory").state).toBe("pending");
    expect(item(checklist, "hardware-inventory").blockers).toEqual([
      "Cisco Meraki MX68 (firewall, S/N Q2KN-1): no retrieval plan",
      "Cisco Meraki MX68 (firewall, S/N Q2KN-1): no retrieval window",
      "Dell Latitude 5440 (laptop): owner not confirmed",
    ]);

    await updateHardwareItem({
      actor,
      caseId,
      itemId,
      input: { ...firewallWithoutPlan, retrievalPlan: "Collect after cutover", retrievalWindowStartsOn: "2026-04-02", retrievalWindowEndsOn: "2026-04-04" },
    });
    const [laptop] = (await loadCaseSnapshots(testDb(), { caseIds: [caseId] })).get(caseId)!.hardware.filter((h) => h.category === "laptop");
    await updateHardwareItem({ actor, caseId, itemId: laptop!.id, input: { category: "laptop", makeModel: "Dell Latitude 5440", owner: "customer" } });
    await addSubscription({
      actor,
      caseId,
      input: { vendor: "Microsoft", product: "M365 Business Premium", quantity: 12, billingParty: "msp", monthlyCost: "264", currency: "USD" },
    });
    checklist = await getCaseChecklist({ caseId, now: BEFORE_CUTOVER });
    expect(item(checklist, "hardware-inventory").state).toBe("done");
    expect(item(checklist, "subscription-plans")).toMatchObject({ state: "pending", blockers: ["Microsoft M365 Business Premium: choose transfer, terminate or continue"] });

    await addBackupJob({ actor, caseId, input: { system: "Veeam", scope: "FS01", schedule: "Nightly", retention: "30 days" } });
    await addBackupSet({ actor, caseId, input: { description: "2019 archive", location: "Tape vault", sizeGb: 300 } });
    checklist = await getCaseChecklist({ caseId, now: BEFORE_CUTOVER });
    expect(item(checklist, "backup-jobs").state).toBe("done");
    expect(item(checklist, "backup-set-dispositions").state).toBe("pending");
    expect(foundationProgress(checklist)).toEqual({ done: 5, applicable: 7 });

    // A removed contact no longer counts.
    await removeContact({ actor, caseId, contactId: providerId });
    checklist = await getCaseChecklist({ caseId, now: BEFORE_CUTOVER });
    expect(item(checklist, "provider-contact").state).toBe("pending");
    expect(checklist.stage).toBe("intake");
  });

  it("reads cutover in the case's own time zone", async () => {
    const actor = actorFor(engineer);
    const cutover = { cutoverOn: "2026-03-10", supportTransferPlannedOn: "2026-03-10" };
    const berlin = await createCase({ actor, input: caseInputFor(engineer.id, { ...cutover, timeZone: "Europe/Berlin" }) });
    const newYork = await createCase({ actor, input: caseInputFor(engineer.id, { ...cutover, timeZone: "America/New_York" }) });
    // 23:30 UTC on the 9th: already the 10th in Berlin, still the 9th in New York.
    const now = new Date("2026-03-09T23:30:00Z");
    expect((await getCaseChecklist({ caseId: berlin.id, now })).stage).toBe("post_cutover");
    expect((await getCaseChecklist({ caseId: newYork.id, now })).stage).toBe("intake");
  });

  it("shows a closed case as closed", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    await closeCase({ actor: actorFor(engineer), caseId: id });
    expect((await getCaseChecklist({ caseId: id, now: BEFORE_CUTOVER })).stage).toBe("closed");
  });

  it("asks for a new responsible engineer when the current one is deactivated", async () => {
    const leaving = await createTestStaff({ role: "engineer" });
    const input = caseInputFor(leaving.id);
    const { id } = await createCase({ actor: actorFor(engineer), input });
    expect(item(await getCaseChecklist({ caseId: id }), "case-details").state).toBe("done");
    await testDb().update(staffUsers).set({ deactivatedAt: new Date() }).where(eq(staffUsers.id, leaving.id));
    const details = item(await getCaseChecklist({ caseId: id }), "case-details");
    expect(details.state).toBe("pending");
    expect(details.summary).toContain("active responsible engineer");
    await updateCase({ actor: actorFor(engineer), caseId: id, input: { ...input, responsibleEngineerId: engineer.id } });
    expect(item(await getCaseChecklist({ caseId: id }), "case-details").state).toBe("done");
  });
});

describe("the checklist registry", () => {
  it("lets an item depend on another: until that is settled it shows as blocked, with who acts next", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    const snapshot = (await loadCaseSnapshots(testDb(), { caseIds: [id], now: BEFORE_CUTOVER })).get(id)!;
    const signer = defineChecklistItem({
      id: "signer",
      title: "Signer named",
      phase: "intake",
      evaluate: (s) => (s.contacts.length ? outcome.done("ok") : outcome.pending("customer", "Name a signer")),
    });
    const waiver = defineChecklistItem({
      id: "waiver",
      title: "Waiver signed",
      phase: "transition",
      dependsOn: ["signer"],
      evaluate: () => outcome.pending("customer", "Sign the waiver"),
    });
    const extra = defineChecklistItem<number>({
      id: "extra",
      title: "Uses loaded data",
      phase: "transition",
      evaluate: (_s, count) => (count === 3 ? outcome.done("three") : outcome.pending("incoming_provider", "not three")),
    });
    const result = evaluateChecklist(snapshot, { registry: [signer, waiver, extra], extras: new Map([["extra", 3]]) });
    expect(result.items.map((i) => [i.id, i.state, i.nextStepOwner, i.blockers])).toEqual([
      ["signer", "pending", "customer", []],
      ["waiver", "blocked", "customer", ["Waiting for: Signer named"]],
      ["extra", "done", null, []],
    ]);
    expect(result.progress).toEqual({ done: 1, applicable: 3 });
    expect(result.stage).toBe("intake");
  });
});
