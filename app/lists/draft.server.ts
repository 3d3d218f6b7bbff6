// The draft of each list is the live inventory: hardware_items (with staff's early-retrieval
// proposals) and subscriptions. Publishing freezes what these queries return.
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { hardwareItems, listEarlyRetrievalProposals, subscriptions } from "../../db/schema";
import { hardwareColumns } from "../cases/hardware.server";
import { subscriptionColumns } from "../cases/subscriptions.server";
import type { InventoryDescription } from "../inventory/describe";
import { type HardwareListItem, type ListItems, type ListKind, type SubscriptionListItem, listInventories } from "./items";

type WithCase<T> = T & { caseId: string };

async function hardwareRows(executor: Executor, caseIds: string[]): Promise<WithCase<HardwareListItem>[]> {
  if (caseIds.length === 0) return [];
  return executor
    .select({ caseId: hardwareItems.caseId, ...hardwareColumns, earlyRetrievalProposedOn: listEarlyRetrievalProposals.proposedOn })
    .from(hardwareItems)
    .leftJoin(
      listEarlyRetrievalProposals,
      // The case is part of the join: a proposal only ever describes an item of its own case.
      and(eq(listEarlyRetrievalProposals.hardwareItemId, hardwareItems.id), eq(listEarlyRetrievalProposals.caseId, hardwareItems.caseId)),
    )
    .where(inArray(hardwareItems.caseId, caseIds))
    .then((rows) =>
      rows.map((row) => ({ ...row, earlyRetrievalProposedOn: row.earlyRetrievalProposedOn ?? null })),
    );
}

async function subscriptionRows(executor: Executor, caseIds: string[]): Promise<WithCase<SubscriptionListItem>[]> {
  if (caseIds.length === 0) return [];
  return executor
    .select({ caseId: subscriptions.caseId, ...subscriptionColumns })
    .from(subscriptions)
    .where(inArray(subscriptions.caseId, caseIds));
}

/** The drafts of one kind for many cases, in one query. */
export async function readDrafts<K extends ListKind>(
  executor: Executor,
  { caseIds, kind }: { caseIds: string[]; kind: K },
): Promise<Map<string, ListItems[K][]>> {
  const rows = (kind === "hardware" ? await hardwareRows(executor, caseIds) : await subscriptionRows(executor, caseIds)) as unknown as WithCase<
    ListItems[K]
  >[];
  const drafts = new Map<string, ListItems[K][]>(caseIds.map((id) => [id, []]));
  for (const { caseId, ...item } of rows) drafts.get(caseId)?.push(item as unknown as ListItems[K]);
  return drafts;
}

export async function readDraft<K extends ListKind>(executor: Executor, { caseId, kind }: { caseId: string; kind: K }) {
  return (await readDrafts(executor, { caseIds: [caseId], kind })).get(caseId) ?? [];
}

/**
 * What must be settled before a list can be put in front of the customer: every item's owner and,
 * for MSP-owned items, the retrieval plan and window; for subscriptions, the transition plan.
 */
export function publishProblems<K extends ListKind>(kind: K, items: ListItems[K][]): string[] {
  const { unsettled } = listInventories[kind] as unknown as InventoryDescription<ListItems[K]>;
  return unsettled ? items.map(unsettled).filter((problem): problem is string => problem !== null) : [];
}
