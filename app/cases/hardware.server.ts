// The customer's hardware: who owns each item and, for what the MSP owns, how and when it is
// collected. Every query names the case, so an item id of another case is simply not found.
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { hardwareItems } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertRetrievalRule } from "../lists/retrieval.server";
import { changeOpenCase } from "./access.server";
import { changesBetween } from "./changes";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { type HardwareItemInput, hardwareItemInput } from "./schemas";
import { constraintMessages } from "../http/transaction.server";
import { formValues, recordColumns, storedValues } from "../inventory/columns.server";

// What the database rules of these tables mean for the person filling in the form.
constraintMessages({
  hardware_items_make_model_given: { field: "makeModel", message: "Enter the make and model" },
  hardware_items_lessor_named: { field: "lessorName", message: "Name the lessor for leased items only" },
  hardware_items_retrieval_only_msp: { field: "retrievalPlan", message: "Only MSP-owned items are retrieved" },
  hardware_items_retrieval_window_complete: { field: "retrievalWindowEndsOn", message: "Enter both the start and the end of the retrieval window" },
  hardware_items_retrieval_window_order: { field: "retrievalWindowEndsOn", message: "The window cannot end before it starts" },
  hardware_items_network_retrieval_after_cutover: { field: "retrievalWindowStartsOn", message: "MSP-owned network gear is collected on or after cutover unless the customer agreed to an earlier date" },
  cases_cutover_before_network_retrieval: { field: "cutoverOn", message: "MSP-owned network gear is scheduled for retrieval before this date without the customer's agreement: move its retrieval window first" },
});

/** The columns of an item as pages and lists read it. */
export const hardwareColumns = recordColumns(hardwareItems);

function toColumns(input: HardwareItemInput) {
  return storedValues(hardwareItems, parseInput(hardwareItemInput, input));
}

export async function addHardwareItem({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: HardwareItemInput;
}): Promise<{ id: string }> {
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    await assertRetrievalRule(tx, { caseId: kase.id, itemId: null, values, cutoverOn: kase.cutoverOn });
    const [row] = await tx
      .insert(hardwareItems)
      .values({ ...values, caseId: kase.id })
      .returning({ id: hardwareItems.id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "hardware.added", payload: { itemId: row!.id, item: values } } });
    return { id: row!.id };
  });
}

export async function updateHardwareItem({
  actor,
  caseId,
  itemId,
  input,
}: {
  actor: Actor;
  caseId: string;
  itemId: string;
  input: HardwareItemInput;
}): Promise<{ changed: string[] }> {
  const id = assertId(itemId, "Hardware item");
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select(hardwareColumns)
      .from(hardwareItems)
      .where(and(eq(hardwareItems.id, id), eq(hardwareItems.caseId, kase.id)))
      .for("update");
    if (!before) throw new NotFound("Hardware item not found");
    const changes = changesBetween(before, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    await assertRetrievalRule(tx, { caseId: kase.id, itemId: id, values, cutoverOn: kase.cutoverOn });
    await tx
      .update(hardwareItems)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(hardwareItems.id, id), eq(hardwareItems.caseId, kase.id)));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "hardware.updated", payload: { itemId: id, changes } } });
    return { changed: Object.keys(changes) };
  });
}

export async function removeHardwareItem({ actor, caseId, itemId }: { actor: Actor; caseId: string; itemId: string }) {
  const id = assertId(itemId, "Hardware item");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [removed] = await tx
      .delete(hardwareItems)
      .where(and(eq(hardwareItems.id, id), eq(hardwareItems.caseId, kase.id)))
      .returning(hardwareColumns);
    if (!removed) throw new NotFound("Hardware item not found");
    const { id: _id, ...item } = removed;
    // The audit event keeps what the item was, so removing it leaves a record.
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "hardware.removed", payload: { itemId: id, item } } });
  });
}

export async function listHardwareItems({ caseId }: { caseId: string }) {
  return db()
    .select(hardwareColumns)
    .from(hardwareItems)
    .where(eq(hardwareItems.caseId, assertId(caseId, "Case")))
    .orderBy(hardwareItems.category, hardwareItems.makeModel, hardwareItems.createdAt);
}
export type HardwareItemRow = Awaited<ReturnType<typeof listHardwareItems>>[number];

export async function getHardwareItem({ caseId, itemId }: { caseId: string; itemId: string }) {
  const [row] = await db()
    .select(hardwareColumns)
    .from(hardwareItems)
    .where(and(eq(hardwareItems.id, assertId(itemId, "Hardware item")), eq(hardwareItems.caseId, assertId(caseId, "Case"))));
  if (!row) throw new NotFound("Hardware item not found");
  return row;
}

/** Form values for editing an item (blank where nothing is recorded). */
export function hardwareFormValues(item: HardwareItemRow): Record<keyof HardwareItemInput, string> {
  return formValues(hardwareItemInput.keyof().options, item);
}

/** An input's validated column values: the CSV import (app/lists) inserts rows through the same rules. */
export const hardwareValuesFromInput = toColumns;
