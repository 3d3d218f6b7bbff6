// The retrieval rule: MSP-owned network gear (firewall, router, switch, access point) keeps the
// customer's office online until cutover, so its retrieval window may not start before the cutover
// date — unless the customer agreed to the earlier date in a list acknowledgement. Staff propose
// the date (part of the draft, so it is in the version the customer reads); the customer's tick
// in the acknowledgement records a consent; the window may then start on or after that date.
// A trigger on hardware_items (db/migrations/0010_lists_rules.sql) enforces the same rule.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor, type Transaction } from "../../db/client";
import { hardwareItems, listEarlyRetrievalProposals, listRetrievalConsents } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "../cases/access.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import { calendarDate } from "../http/values";
import { formatDate } from "../cases/format";
import type { HardwareCategory, HardwareOwner } from "../cases/vocabulary";
import { NETWORK_CATEGORIES, hardwareLabel } from "./items";

interface RetrievalValues {
  category: HardwareCategory;
  owner: HardwareOwner | null;
  retrievalWindowStartsOn: string | null;
}

/** True when the item is MSP-owned network gear whose window starts before cutover. */
export function startsBeforeCutover(values: RetrievalValues, cutoverOn: string): boolean {
  return (
    values.owner === "msp" &&
    NETWORK_CATEGORIES.includes(values.category) &&
    values.retrievalWindowStartsOn !== null &&
    values.retrievalWindowStartsOn < cutoverOn
  );
}

/** The earliest date the customer agreed to for each item (across all their acknowledgements). */
export async function agreedEarliestDates(executor: Executor, { caseId, itemIds }: { caseId: string; itemIds: string[] }) {
  const agreed = new Map<string, string>();
  if (itemIds.length === 0) return agreed;
  const rows = await executor
    .select({ itemId: listRetrievalConsents.hardwareItemId, earliestOn: listRetrievalConsents.earliestOn })
    .from(listRetrievalConsents)
    .where(and(eq(listRetrievalConsents.caseId, caseId), inArray(listRetrievalConsents.hardwareItemId, itemIds)));
  for (const row of rows) {
    const known = agreed.get(row.itemId);
    if (!known || row.earliestOn < known) agreed.set(row.itemId, row.earliestOn);
  }
  return agreed;
}

/**
 * Why this window breaks the rule, for a person to act on; null when it is allowed. `itemId` is
 * null for an item not yet created (it cannot have a consent).
 */
export async function retrievalRuleError(
  executor: Executor,
  { caseId, itemId, values, cutoverOn }: { caseId: string; itemId: string | null; values: RetrievalValues; cutoverOn: string },
): Promise<string | null> {
  if (!startsBeforeCutover(values, cutoverOn)) return null;
  const agreedFrom = itemId ? (await agreedEarliestDates(executor, { caseId, itemIds: [itemId] })).get(itemId) : undefined;
  if (agreedFrom && agreedFrom <= values.retrievalWindowStartsOn!) return null;
  if (agreedFrom) {
    return `The customer agreed to collection from ${formatDate(agreedFrom)} at the earliest; the window cannot start before that.`;
  }
  return (
    `MSP-owned network gear is collected on or after cutover (${formatDate(cutoverOn)}). ` +
    "To collect it earlier, propose the date on the Lists page; the customer agrees to it when they acknowledge the hardware list."
  );
}

/** The domain check behind the database trigger; call it inside the transaction of the write. */
export async function assertRetrievalRule(
  tx: Transaction,
  args: { caseId: string; itemId: string | null; values: RetrievalValues; cutoverOn: string },
) {
  const message = await retrievalRuleError(tx, args);
  if (message) throw new InvalidInput({ retrievalWindowStartsOn: message });
}

// ---------------------------------------------------------------------------------------------
// Staff's proposals of an early date (part of the draft)

export const earlyRetrievalInput = z.object({
  itemId: z.uuid({ error: "Choose an item" }),
  proposedOn: calendarDate("Enter the proposed date (YYYY-MM-DD)"),
});
export type EarlyRetrievalInput = z.input<typeof earlyRetrievalInput>;

async function networkItem(tx: Transaction, caseId: string, itemId: string) {
  const [item] = await tx
    .select({
      id: hardwareItems.id,
      category: hardwareItems.category,
      makeModel: hardwareItems.makeModel,
      serialNumber: hardwareItems.serialNumber,
      owner: hardwareItems.owner,
    })
    .from(hardwareItems)
    .where(and(eq(hardwareItems.id, assertId(itemId, "Hardware item")), eq(hardwareItems.caseId, caseId)));
  if (!item) throw new NotFound("Hardware item not found");
  return item;
}

/** Proposes (or moves) the date from which staff would like to collect a network item before cutover. */
export async function proposeEarlyRetrieval({ actor, caseId, input }: { actor: Actor; caseId: string; input: EarlyRetrievalInput }) {
  const { itemId, proposedOn } = parseInput(earlyRetrievalInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const item = await networkItem(tx, kase.id, itemId);
    if (item.owner !== "msp" || !NETWORK_CATEGORIES.includes(item.category)) {
      throw new InvalidInput({ form: "Only MSP-owned firewalls, routers, switches and access points need the customer's agreement." });
    }
    if (proposedOn >= kase.cutoverOn) {
      throw new InvalidInput({
        proposedOn: `That is on or after cutover (${formatDate(kase.cutoverOn)}): no agreement is needed, set the retrieval window directly.`,
      });
    }
    await tx
      .insert(listEarlyRetrievalProposals)
      .values({ hardwareItemId: item.id, caseId: kase.id, proposedOn })
      .onConflictDoUpdate({ target: listEarlyRetrievalProposals.hardwareItemId, set: { proposedOn } });
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "list.early_retrieval_proposed", payload: { itemId: item.id, item: hardwareLabel(item), proposedOn } },
    });
  });
}

export async function withdrawEarlyRetrieval({ actor, caseId, itemId }: { actor: Actor; caseId: string; itemId: string }) {
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const item = await networkItem(tx, kase.id, itemId);
    const [removed] = await tx
      .delete(listEarlyRetrievalProposals)
      .where(and(eq(listEarlyRetrievalProposals.hardwareItemId, item.id), eq(listEarlyRetrievalProposals.caseId, kase.id)))
      .returning({ proposedOn: listEarlyRetrievalProposals.proposedOn });
    if (!removed) throw new NotFound("No early retrieval is proposed for this item");
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "list.early_retrieval_withdrawn", payload: { itemId: item.id, item: hardwareLabel(item), proposedOn: removed.proposedOn } },
    });
  });
}

/** MSP-owned network items of the case, with any proposal and the customer's agreed date. */
export async function listEarlyRetrievalStatus({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const items = await db()
    .select({
      id: hardwareItems.id,
      category: hardwareItems.category,
      makeModel: hardwareItems.makeModel,
      serialNumber: hardwareItems.serialNumber,
      retrievalWindowStartsOn: hardwareItems.retrievalWindowStartsOn,
      proposedOn: listEarlyRetrievalProposals.proposedOn,
    })
    .from(hardwareItems)
    .leftJoin(
      listEarlyRetrievalProposals,
      and(eq(listEarlyRetrievalProposals.hardwareItemId, hardwareItems.id), eq(listEarlyRetrievalProposals.caseId, hardwareItems.caseId)),
    )
    .where(and(eq(hardwareItems.caseId, id), eq(hardwareItems.owner, "msp"), inArray(hardwareItems.category, [...NETWORK_CATEGORIES])))
    .orderBy(hardwareItems.category, hardwareItems.makeModel);
  const agreed = await agreedEarliestDates(db(), { caseId: id, itemIds: items.map((item) => item.id) });
  return items.map((item) => ({ ...item, label: hardwareLabel(item), agreedFrom: agreed.get(item.id) ?? null }));
}
