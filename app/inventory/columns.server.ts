// An inventory table's columns, read from the schema: a column added to the table is selected,
// stored and offered to its edit form without being listed again here or in the domain module.
import { type InferSelectModel, type Table, getTableColumns } from "drizzle-orm";

type Bookkeeping = "caseId" | "createdAt" | "updatedAt";

/** Every column but the case and the timestamps: what pages and lists read of a record. */
export function recordColumns<T extends Table>(table: T) {
  const { caseId: _caseId, createdAt: _createdAt, updatedAt: _updatedAt, ...columns } = getTableColumns(table) as T["_"]["columns"] & Record<Bookkeeping, unknown>;
  return columns as Omit<T["_"]["columns"], Bookkeeping>;
}

/**
 * Validated input as the values to store: a field left blank is the column's default where it
 * has one ("" for text that is never null) and null otherwise.
 */
export function storedValues<T extends Table>(table: T, input: Record<string, unknown>) {
  const values: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(recordColumns(table))) {
    if (name === "id") continue;
    const { hasDefault, default: fallback } = column as { hasDefault: boolean; default: unknown };
    values[name] = input[name] ?? (hasDefault && typeof fallback !== "object" ? fallback : null);
  }
  return values as Omit<InferSelectModel<T>, Bookkeeping | "id">;
}

/** A record's values for its edit form: text, blank where nothing is recorded. */
export function formValues<K extends string>(fields: readonly K[], record: Record<string, unknown>): Record<K, string> {
  return Object.fromEntries(fields.map((field) => [field, record[field] === null || record[field] === undefined ? "" : String(record[field])])) as Record<K, string>;
}
