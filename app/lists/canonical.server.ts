// What a published version is, byte for byte: canonical JSON (keys sorted at every depth, no
// whitespace, rows sorted by id) and its SHA-256. The same data gives the same bytes whatever the
// order rows were read in or keys were written in, so the hash names the content and nothing else.
import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/audit.server";
import { type ListItems, type ListKind, fieldsOf } from "./items";

/** Bumped only if the document's shape changes; old versions keep the format they were hashed in. */
export const LIST_DOCUMENT_FORMAT = "handover.list/1";

export interface ListDocument<K extends ListKind = ListKind> {
  format: typeof LIST_DOCUMENT_FORMAT;
  caseId: string;
  kind: K;
  items: ListItems[K][];
}

// The keys of the format's first items, always written (null when unset), in the order they were
// first written (key order does not matter: canonical JSON sorts keys).
const FIRST_KEYS: Record<ListKind, readonly string[]> = {
  hardware: [
    "id",
    "category",
    "makeModel",
    "serialNumber",
    "assetTag",
    "location",
    "owner",
    "lessorName",
    "retrievalPlan",
    "retrievalWindowStartsOn",
    "retrievalWindowEndsOn",
    "earlyRetrievalProposedOn",
    "notes",
  ],
  subscriptions: ["id", "vendor", "product", "quantity", "billingParty", "termEndsOn", "plan", "planDate", "monthlyCostCents", "currency", "notes"],
};

// An item holds its id and the fields its kind describes (app/inventory/), read by name, so what
// a row carries beyond them never reaches the bytes. A field described later is written only when
// it holds a value: describing one changes no existing list's hash, and stored versions keep the
// bytes they were hashed in.
function pickDescribed<K extends ListKind>(kind: K, row: ListItems[K]): ListItems[K] {
  const values = row as unknown as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of FIRST_KEYS[kind]) picked[field] = values[field] ?? null;
  for (const field of fieldsOf(kind)) if (!(field in picked) && values[field] !== null && values[field] !== undefined) picked[field] = values[field];
  return picked as ListItems[K];
}

export function listDocument<K extends ListKind>(kind: K, caseId: string, rows: ListItems[K][]): ListDocument<K> {
  const items = rows.map((row) => pickDescribed(kind, row)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
