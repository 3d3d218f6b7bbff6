import { beforeAll, describe, expect, it } from "vitest";
import {
  addBackupJob,
  addBackupSet,
  getBackupJob,
  listBackupSets,
  removeBackupJob,
  setBackupJobState,
  updateBackupJob,
  updateBackupSet,
} from "../app/cases/backups.server";
import { createCase } from "../app/cases/cases.server";
import { InvalidInput, Forbidden, NotFound } from "../app/http/refusals.server";
import { constraintViolation } from "../app/http/transaction.server";
import { addHardwareItem, getHardwareItem, listHardwareItems, removeHardwareItem, updateHardwareItem } from "../app/cases/hardware.server";
import { addSubscription, getSubscription, monthlyTotals, subscriptionFormValues, updateSubscription } from "../app/cases/subscriptions.server";
import { hardwareItems } from "../db/schema";
import { testDb } from "./helpers/database";
import { actorFor, auditCount, caseInputFor, latestEvent } from "./helpers/cases";
import { createTestStaff } from "./helpers/staff";

type Staff = Awaited<ReturnType<typeof createTestStaff>>;
let engineer: Staff;
let legal: Staff;

beforeAll(async () => {
  engineer = await createTestStaff({ role: "engineer" });
  legal = await createTestStaff({ role: "legal" });
});

const newCase = async () => (await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) })).id;

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).errors;
}

const firewall = {
  category: "firewall" as const,
  makeModel: "Cisco Meraki MX68",
  serialNumber: "Q2KN-4PLX-7Z3D",
  assetTag: "MSP-00412",
  location: "Server closet, 2nd floor",
  owner: "msp" as const,
  retrievalPlan: "Swap for the new provider's firewall on cutover evening; collect the next morning.",
  retrievalWindowStartsOn: "2026-04-01",
  retrievalWindowEndsOn: "2026-04-03",
};

describe("hardware items", () => {
  it("records owners and, for MSP-owned items, the retrieval plan and window", async () => {
    const caseId = await newCase();
    const { id } = await addHardwareItem({ actor: actorFor(engineer), caseId, input: firewall });
    expect(await getHardwareItem({ caseId, itemId: id })).toMatchObject({ owner: "msp", retrievalWindowEndsOn: "2026-04-03" });
    expect(await latestEvent(caseId)).toMatchObject({
      action: "hardware.added",
      payload: { itemId: id, item: { makeModel: "Cisco Meraki MX68", owner: "msp" } },
    });
  });

  it("allows an unknown owner while the inventory is being entered", async () => {
    const caseId = await newCase();
    const { id } = await addHardwareItem({ actor: actorFor(engineer), caseId, input: { category: "printer", makeModel: "HP LaserJet M507" } });
    expect((await getHardwareItem({ caseId, itemId: id })).owner).toBeNull();
  });

  it("refuses retrieval for items the MSP does not own, and a lessor for items not leased", async () => {
    const caseId = await newCase();
    const errors = await fieldErrors(
      addHardwareItem({
        actor: actorFor(engineer),
        caseId,
        input: { ...firewall, owner: "customer", lessorName: "Acme Leasing" },
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(["lessorName", "retrievalPlan", "retrievalWindowEndsOn", "retrievalWindowStartsOn"]);
    const leased = await fieldErrors(
      addHardwareItem({ actor: actorFor(engineer), caseId, input: { category: "printer", makeModel: "Ricoh IM C3000", owner: "third_party_lessor" } }),
    );
    expect(leased).toEqual({ lessorName: "Name the lessor" });
    const window = await fieldErrors(
      addHardwareItem({ actor: actorFor(engineer), caseId, input: { ...firewall, retrievalWindowEndsOn: "2026-03-01" } }),
    );
    expect(window).toEqual({ retrievalWindowEndsOn: "The window cannot end before it starts" });
    expect(await listHardwareItems({ caseId })).toEqual([]);
  });

  it("edits with a from → to record and removes with a record of what the item was", async () => {
    const caseId = await newCase();
    const actor = actorFor(engineer);
    const { id } = await addHardwareItem({ actor, caseId, input: firewall });
    await updateHardwareItem({ actor, caseId, itemId: id, input: { ...firewall, location: "Reception rack" } });
    expect(await latestEvent(caseId)).toMatchObject({
      action: "hardware.updated",
      payload: { itemId: id, changes: { location: { from: "Server closet, 2nd floor", to: "Reception rack" } } },
    });
    await removeHardwareItem({ actor, caseId, itemId: id });
    expect(await listHardwareItems({ caseId })).toEqual([]);
    expect(await latestEvent(caseId)).toMatchObject({ action: "hardware.removed", payload: { item: { serialNumber: "Q2KN-4PLX-7Z3D" } } });
  });

  it("never reaches an item through another case", async () => {
    const actor = actorFor(engineer);
    const mine = await newCase();
    const theirs = await newCase();
    const { id } = await addHardwareItem({ actor, caseId: theirs, input: firewall });
    await expect(getHardwareItem({ caseId: mine, itemId: id })).rejects.toBeInstanceOf(NotFound);
    await expect(updateHardwareItem({ actor, caseId: mine, itemId: id, input: { ...firewall, makeModel: "Stolen" } })).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(removeHardwareItem({ actor, caseId: mine, itemId: id })).rejects.toBeInstanceOf(NotFound);
    expect((await getHardwareItem({ caseId: theirs, itemId: id })).makeModel).toBe("Cisco Meraki MX68");
  });

  it("refuses legal", async () => {
    const caseId = await newCase();
    await expect(addHardwareItem({ actor: actorFor(legal), caseId, input: firewall })).rejects.toBeInstanceOf(Forbidden);
    expect(await listHardwareItems({ caseId })).toEqual([]);
  });
});

describe("subscriptions", () => {
  const m365 = {
    vendor: "Microsoft",
    product: "Microsoft 365 Business Premium",
    quantity: 24,
    billingParty: "msp" as const,
    termEndsOn: "2026-09-30",
    plan: "transfer_to_incoming_provider" as const,
    monthlyCost: "528.00",
    currency: "usd",
  };

  it("stores money exactly in cents and normalises the currency code", async () => {
    const caseId = await newCase();
    const { id } = await addSubscription({ actor: actorFor(engineer), caseId, input: { ...m365, monthlyCost: "19.99" } });
    const row = await getSubscription({ caseId, subscriptionId: id });
    expect(row).toMatchObject({ monthlyCostCents: 1999, currency: "USD", quantity: 24 });
    expect(subscriptionFormValues(row).monthlyCost).toBe("19.99");
    expect(monthlyTotals([row, { monthlyCostCents: 1, currency: "USD" }, { monthlyCostCents: 500, currency: "EUR" }])).toEqual([
      { currency: "USD", cents: 2000 },
      { currency: "EUR", cents: 500 },
    ]);
  });

  it("needs a date for 'terminate on' and 'continue until', and a valid amount and currency", async () => {
    const caseId = await newCase();
    const errors = await fieldErrors(
      addSubscription({
        actor: actorFor(engineer),
        caseId,
        input: { ...m365, plan: "terminate_on_date", monthlyCost: "12,50", currency: "XYZ", quantity: 0 },
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(["currency", "monthlyCost", "planDate", "quantity"]);
    const { id } = await addSubscription({ actor: actorFor(engineer), caseId, input: { ...m365, plan: "continue_until_date", planDate: "2026-06-30" } });
    await updateSubscription({ actor: actorFor(engineer), caseId, subscriptionId: id, input: { ...m365, plan: undefined } });
    expect(await latestEvent(caseId)).toMatchObject({
      action: "subscription.updated",
      payload: { changes: { plan: { from: "continue_until_date", to: null }, planDate: { from: "2026-06-30", to: null } } },
    });
  });
});

describe("backups", () => {
  const job = { system: "Veeam B&R – HD-FS01", scope: "File server D:\\Patients, daily incremental", schedule: "Nightly 01:00", retention: "30 daily, 12 monthly" };

  it("pauses and resumes through setBackupJobState, recording from → to", async () => {
    const caseId = await newCase();
    const actor = actorFor(engineer);
    const { id } = await addBackupJob({ actor, caseId, input: job });
    expect((await getBackupJob({ caseId, jobId: id })).state).toBe("running");
    expect(await setBackupJobState({ actor, caseId, jobId: id, state: "paused" })).toEqual({ changed: true });
    expect(await latestEvent(caseId)).toMatchObject({ action: "backup_job.state_changed", payload: { from: "running", to: "paused" } });
    const events = await auditCount({ caseId });
    expect(await setBackupJobState({ actor, caseId, jobId: id, state: "paused" })).toEqual({ changed: false });
    expect(await auditCount({ caseId })).toBe(events);
  });

  it("never stops a job: that is reserved for the backup interlock", async () => {
    const caseId = await newCase();
    const actor = actorFor(engineer);
    const errors = await fieldErrors(addBackupJob({ actor, caseId, input: { ...job, state: "stopped" as never } }));
    expect(errors).toHaveProperty("state");
    const { id } = await addBackupJob({ actor, caseId, input: job });
    const events = await auditCount({ caseId });
    expect(await fieldErrors(setBackupJobState({ actor, caseId, jobId: id, state: "stopped" }))).toHaveProperty("state");
    expect((await getBackupJob({ caseId, jobId: id })).state).toBe("running");
    // Nothing changed, but the refused attempt is on record (the backup interlock records refusals).
    expect(await auditCount({ caseId })).toBe(events + 1);
    expect(await auditCount({ caseId, action: "backup_job.stop_refused" })).toBe(1);
  });

  it("edits a job's details without touching its state, and removes it", async () => {
    const caseId = await newCase();
    const actor = actorFor(engineer);
    const { id } = await addBackupJob({ actor, caseId, input: { ...job, state: "paused" } });
    await updateBackupJob({ actor, caseId, jobId: id, input: { ...job, retention: "14 daily" } });
    expect(await getBackupJob({ caseId, jobId: id })).toMatchObject({ retention: "14 daily", state: "paused" });
    await removeBackupJob({ actor, caseId, jobId: id });
    await expect(getBackupJob({ caseId, jobId: id })).rejects.toBeInstanceOf(NotFound);
  });

  it("proposes a disposition for historical sets: hand over needs a method and a date", async () => {
    const caseId = await newCase();
    const actor = actorFor(engineer);
    const set = { description: "Monthly archives 2019–2024", location: "Wasabi bucket hd-archive (us-east-1)", sizeGb: "1840.5" };
    const errors = await fieldErrors(addBackupSet({ actor, caseId, input: { ...set, proposedDisposition: "hand_over" } }));
    expect(Object.keys(errors).sort()).toEqual(["dispositionOn", "handOverMethod"]);
    const { id } = await addBackupSet({ actor, caseId, input: set });
    await updateBackupSet({
      actor,
      caseId,
      setId: id,
      input: { ...set, proposedDisposition: "hand_over", dispositionOn: "2026-04-10", handOverMethod: "Encrypted USB disk by courier" },
    });
    expect((await listBackupSets({ caseId }))[0]).toMatchObject({ sizeGb: 1840.5, proposedDisposition: "hand_over" });
    expect(await latestEvent(caseId)).toMatchObject({
      action: "backup_set.updated",
      payload: { changes: { proposedDisposition: { from: null, to: "hand_over" } } },
    });
  });
});

describe("constraint violations", () => {
  it("become field messages, not crashes", async () => {
    const caseId = await newCase();
    const error = await testDb()
      .insert(hardwareItems)
      .values({ caseId, category: "router", makeModel: "ER-X", owner: "customer", retrievalPlan: "collect" })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(constraintViolation(error)?.errors).toEqual({ retrievalPlan: "Only MSP-owned items are retrieved" });
    expect(constraintViolation(new Error("connection reset"))).toBeNull();
  });
});
