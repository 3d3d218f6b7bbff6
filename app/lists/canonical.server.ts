// What a published version is, byte for byte: canonical JSON (keys sorted at every depth, no
// whitespace, rows sorted by id) and its SHA-256. The same data gives the same bytes whatever the
// order rows were read in or keys were written in, so the hash names the content and nothing else.
import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/audit.server";
import type { HardwareListItem, ListItems, ListKind, SubscriptionListItem } from "./items";

/** Bumped only if the document's shape changes; old versions keep the format they were hashed in. */
export const LIST_DOCUMENT_FORMAT = "handover.list/1";

export interface ListDocument<K extends ListKind = ListKind> {
  format: typeof LIST_DOCUMENT_FORMAT;
  caseId: string;
  kind: K;
  items: ListItems[K][];
}

const orNull = <T>(value: T | undefined | null): T | null => (value === undefined ? null : value);

// Exactly these keys enter the document: a column added to the inventory later must not silently
// change the hash of the same list.
function hardwareItem(row: HardwareListItem): HardwareListItem {
  return {
    id: row.id,
    category: row.category,
    makeModel: row.makeModel,
    serialNumber: row.serialNumber,
    assetTag: row.assetTag,
    location: row.location,
    owner: orNull(row.owner),
    lessorName: orNull(row.lessorName),
    retrievalPlan: orNull(row.retrievalPlan),
    retrievalWindowStartsOn: orNull(row.retrievalWindowStartsOn),
    retrievalWindowEndsOn: orNull(row.retrievalWindowEndsOn),
    earlyRetrievalProposedOn: orNull(row.earlyRetrievalProposedOn),
    notes: row.notes,
  };
}

function subscriptionItem(row: SubscriptionListItem): SubscriptionListItem {
  return {
    id: row.id,
    vendor: row.vendor,
    product: row.product,
    quantity: row.quantity,
    billingParty: row.billingParty,
    termEndsOn: orNull(row.termEndsOn),
    plan: orNull(row.plan),
    planDate: orNull(row.planDate),
    monthlyCostCents: row.monthlyCostCents,
    currency: row.currency,
    notes: row.notes,
  };
}

export function listDocument<K extends ListKind>(kind: K, caseId: string, rows: ListItems[K][]): ListDocument<K> {
  const pick = (kind === "hardware" ? hardwareItem : subscriptionItem) as unknown as (row: ListItems[K]) => ListItems[K];
  const items = rows.map(pick).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { format: LIST_DOCUMENT_FORMAT, caseId, kind, items };
}

export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The canonical JSON of a list and its SHA-256 (hex): what a version stores and a customer acknowledges. */
export function hashList<K extends ListKind>(kind: K, caseId: string, rows: ListItems[K][]) {
  const document = listDocument(kind, caseId, rows);
  const json = canonicalJson(document);
  return { document, json, sha256: sha256Hex(json) };
}

/** The items of a stored version (its canonical JSON, parsed back). */
export function parseListDocument<K extends ListKind>(json: string): ListDocument<K> {
  const document = JSON.parse(json) as ListDocument<K>;
  if (document.format !== LIST_DOCUMENT_FORMAT) throw new Error(`Unknown list document format: ${String(document.format)}`);
  return document;
}
