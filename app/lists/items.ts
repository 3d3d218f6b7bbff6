// The items of a published list, how people read them, and how two versions differ. Browser-safe
// (no database, no node:crypto): the staff pages, the portal, the emails and the receipt all use
// these same labels, so everyone sees a change described the same way.
import { LIST_KINDS } from "../../db/enums";
import type { HardwareCategory } from "../cases/vocabulary";
import { type InventoryDescription, fieldNames, formatValue } from "../inventory/describe";
import { type HardwareItem, hardwareInventory } from "../inventory/hardware";
import { type Subscription, subscriptionInventory } from "../inventory/subscriptions";

export { LIST_KINDS };
export { hardwareIdentity, retrievalSummary } from "../inventory/hardware";
export { planSummary } from "../inventory/subscriptions";
export type ListKind = (typeof LIST_KINDS)[number];
export const listKindLabels: Record<ListKind, string> = { hardware: "Hardware list", subscriptions: "Subscription list" };
/** The inventory each list is drawn from, as its tab is called. */
export const inventoryNames: Record<ListKind, string> = { hardware: "Hardware", subscriptions: "Subscriptions" };

export const isListKind = (value: string | undefined): value is ListKind => (LIST_KINDS as readonly string[]).includes(value ?? "");

/**
 * Network gear keeps the customer's office online: when the MSP owns it, it is collected on or
 * after cutover unless the customer agreed to an earlier date.
 */
export const NETWORK_CATEGORIES: readonly HardwareCategory[] = ["firewall", "router", "switch", "access_point"];

/** One hardware item as frozen in a version: its id and every described field (the canonical JSON's keys). */
export type HardwareListItem = { id: string } & HardwareItem;

/** One subscription as frozen in a version. */
export type SubscriptionListItem = { id: string } & Subscription;

export interface ListItems {
  hardware: HardwareListItem;
  subscriptions: SubscriptionListItem;
}
export type ListItem = HardwareListItem | SubscriptionListItem;

/** The description of each published kind: its fields, labels, columns and names. */
export const listInventories = { hardware: hardwareInventory, subscriptions: subscriptionInventory } satisfies Record<ListKind, unknown>;

// The kinds' descriptions read with a field name only known at run time (a diff, a form).
const described = (kind: ListKind) => listInventories[kind] as unknown as InventoryDescription<ListItem>;

/** The fields compared between versions, in reading order. */
export function fieldsOf(kind: ListKind): string[] {
  return fieldNames(described(kind));
}

export function fieldLabel(kind: ListKind, field: string): string {
  return described(kind).fields[field as keyof ListItem]?.label ?? field;
}

/** One field's value for people: labels for codes, dates spelled out, money with its currency. */
export function formatField(kind: ListKind, field: string, item: ListItem): string {
  return formatValue(described(kind), field as keyof ListItem, item);
}

/** How a hardware item is named in emails, disputes and receipts. */
export const hardwareLabel = (item: Pick<HardwareListItem, "makeModel" | "category" | "serialNumber">): string =>
  hardwareInventory.name(item as HardwareItem);

export function itemLabel(kind: ListKind, item: ListItem): string {
  return described(kind).name(item);
}

/** Rows in reading order (the canonical document is ordered by id, which means nothing to people). */
export function sortListItems<T extends ListItem>(kind: ListKind, items: T[]): T[] {
  return [...items].sort(described(kind).compare);
}

export const isEarlyRetrievalCandidate = (item: HardwareListItem) =>
  item.owner === "msp" && NETWORK_CATEGORIES.includes(item.category) && item.earlyRetrievalProposedOn !== null;

// ---------------------------------------------------------------------------------------------
// Differences between two versions

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

export interface ListDiff<T extends ListItem = ListItem> {
  added: T[];
  removed: T[];
  changed: { item: T; changes: FieldChange[] }[];
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** Items are matched by id, so an edited item shows as changed (field by field), not as removed and added. */
export function diffListItems<K extends ListKind>(kind: K, before: ListItems[K][], after: ListItems[K][]): ListDiff<ListItems[K]> {
  const previous = new Map(before.map((item) => [item.id, item]));
  const next = new Set(after.map((item) => item.id));
  const diff: ListDiff<ListItems[K]> = { added: [], removed: [], changed: [] };
  for (const item of after) {
    const old = previous.get(item.id);
    if (!old) {
      diff.added.push(item);
      continue;
    }
    const changes = fieldsOf(kind)
      .filter((field) => !same((old as unknown as Record<string, unknown>)[field], (item as unknown as Record<string, unknown>)[field]))
      .map((field) => ({
        field,
        label: fieldLabel(kind, field),
        from: formatField(kind, field, old),
        to: formatField(kind, field, item),
      }));
    if (changes.length > 0) diff.changed.push({ item, changes });
  }
  for (const item of before) if (!next.has(item.id)) diff.removed.push(item);
  return diff;
}

export const diffIsEmpty = (diff: ListDiff) => diff.added.length + diff.removed.length + diff.changed.length === 0;

/** The differences as plain lines, for emails and audit payloads. */
export function describeDiff(kind: ListKind, diff: ListDiff) {
  return {
    added: diff.added.map((item) => itemLabel(kind, item)),
    removed: diff.removed.map((item) => itemLabel(kind, item)),
    changed: diff.changed.map(({ item, changes }) => ({
      item: itemLabel(kind, item),
      fields: changes.map(({ label, from, to }) => ({ label, from, to })),
    })),
  };
}
export type DiffSummary = ReturnType<typeof describeDiff>;
