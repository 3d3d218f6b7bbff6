// The items of a published list, how people read them, and how two versions differ. Browser-safe
// (no database, no node:crypto): the staff pages, the portal, the emails and the receipt all use
// these same labels, so everyone sees a change described the same way.
import { formatDate, formatMoney } from "../cases/format";
import {
  type BillingParty,
  billingPartyLabels,
  type HardwareCategory,
  hardwareCategoryLabels,
  type HardwareOwner,
  hardwareOwnerLabels,
  type SubscriptionPlan,
  subscriptionPlanLabels,
} from "../cases/vocabulary";

import { LIST_KINDS } from "../../db/enums";

export { LIST_KINDS };
export type ListKind = (typeof LIST_KINDS)[number];
export const listKindLabels: Record<ListKind, string> = { hardware: "Hardware list", subscriptions: "Subscription list" };

export const isListKind = (value: string | undefined): value is ListKind => (LIST_KINDS as readonly string[]).includes(value ?? "");

/**
 * Network gear keeps the customer's office online: when the MSP owns it, it is collected on or
 * after cutover unless the customer agreed to an earlier date.
 */
export const NETWORK_CATEGORIES: readonly HardwareCategory[] = ["firewall", "router", "switch", "access_point"];

/** One hardware item as frozen in a version (the keys of the canonical JSON). */
export interface HardwareListItem {
  id: string;
  category: HardwareCategory;
  makeModel: string;
  serialNumber: string;
  assetTag: string;
  location: string;
  owner: HardwareOwner | null;
  lessorName: string | null;
  retrievalPlan: string | null;
  retrievalWindowStartsOn: string | null;
  retrievalWindowEndsOn: string | null;
  /** Staff's proposal to collect MSP-owned network gear before cutover, for the customer to agree to. */
  earlyRetrievalProposedOn: string | null;
  notes: string;
}

/** One subscription as frozen in a version. */
export interface SubscriptionListItem {
  id: string;
  vendor: string;
  product: string;
  quantity: number;
  billingParty: BillingParty;
  termEndsOn: string | null;
  plan: SubscriptionPlan | null;
  planDate: string | null;
  monthlyCostCents: number;
  currency: string;
  notes: string;
}

export interface ListItems {
  hardware: HardwareListItem;
  subscriptions: SubscriptionListItem;
}
export type ListItem = HardwareListItem | SubscriptionListItem;

/** The fields compared between versions, in reading order, with their labels. */
export const listFieldLabels: { [K in ListKind]: Partial<Record<keyof ListItems[K], string>> } = {
  hardware: {
    category: "Category",
    makeModel: "Make and model",
    serialNumber: "Serial number",
    assetTag: "Asset tag",
    location: "Location",
    owner: "Owner",
    lessorName: "Lessor",
    retrievalPlan: "Retrieval plan",
    retrievalWindowStartsOn: "Retrieval window starts",
    retrievalWindowEndsOn: "Retrieval window ends",
    earlyRetrievalProposedOn: "Early retrieval proposed for",
    notes: "Notes",
  },
  subscriptions: {
    vendor: "Vendor",
    product: "Product",
    quantity: "Quantity",
    billingParty: "Billed to",
    termEndsOn: "Term ends",
    plan: "Plan",
    planDate: "Plan date",
    monthlyCostCents: "Monthly cost",
    currency: "Currency",
    notes: "Notes",
  },
};

export function fieldsOf(kind: ListKind): string[] {
  return Object.keys(listFieldLabels[kind]);
}

export function fieldLabel(kind: ListKind, field: string): string {
  return (listFieldLabels[kind] as Record<string, string>)[field] ?? field;
}

/** One field's value for people: labels for codes, dates spelled out, money with its currency. */
export function formatField(kind: ListKind, field: string, item: ListItem): string {
  const value = (item as unknown as Record<string, unknown>)[field];
  if (value === null || value === undefined || value === "") return "—";
  if (kind === "hardware") {
    if (field === "category") return hardwareCategoryLabels[value as HardwareCategory];
    if (field === "owner") return hardwareOwnerLabels[value as HardwareOwner];
  } else {
    if (field === "billingParty") return billingPartyLabels[value as BillingParty];
    if (field === "plan") return subscriptionPlanLabels[value as SubscriptionPlan];
    if (field === "monthlyCostCents") return formatMoney(value as number, (item as SubscriptionListItem).currency);
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  return String(value);
}

/** How a hardware item is named in emails, disputes and receipts. */
export function hardwareLabel(item: Pick<HardwareListItem, "makeModel" | "category" | "serialNumber">): string {
  const serial = item.serialNumber ? `, S/N ${item.serialNumber}` : "";
  return `${item.makeModel} (${hardwareCategoryLabels[item.category].toLowerCase()}${serial})`;
}

export function itemLabel(kind: ListKind, item: ListItem): string {
  if (kind === "hardware") return hardwareLabel(item as HardwareListItem);
  const subscription = item as SubscriptionListItem;
  return `${subscription.vendor} ${subscription.product}`;
}

/** The retrieval window as one phrase; customer-owned and leased items are not collected by the MSP. */
export function retrievalSummary(item: HardwareListItem): string {
  if (item.owner !== "msp") return "Not collected by the MSP";
  if (!item.retrievalWindowStartsOn) return "Not scheduled yet";
  return `${formatDate(item.retrievalWindowStartsOn)} – ${formatDate(item.retrievalWindowEndsOn)}`;
}

/** A subscription's plan with its date, e.g. "Terminate on date: Apr 1, 2026". */
export function planSummary(item: SubscriptionListItem): string {
  if (!item.plan) return "Not decided";
  return item.planDate ? `${subscriptionPlanLabels[item.plan]}: ${formatDate(item.planDate)}` : subscriptionPlanLabels[item.plan];
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
