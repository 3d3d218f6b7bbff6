// An inventory kind (hardware, subscriptions, backup jobs, backup sets) described once: its fields,
// how people read each of them, and how it is shown. Forms' field errors, the staff tables, the
// published lists and their differences, CSV imports, the case history and the receipts all read
// these descriptions, so a new field is labelled in one place. Browser-safe.
import { formatDate } from "../cases/format";

/** What a column of a CSV export from another tool can fill. */
export interface CsvField {
  /** Header names (normalised: lower case, letters and digits only) that suggest this field. */
  synonyms: string[];
  /** The import cannot run without a column for it. */
  required?: boolean;
  /** Free text: several columns may feed it (e.g. "Manufacturer" + "Model"), joined with a space. */
  combinable?: boolean;
  /** The input field it fills, when the stored one differs (money is typed in units, stored in cents). */
  input?: string;
}

export interface FieldDescription<Row, K extends keyof Row> {
  /** The field's name for people: tables, list differences, CSV mapping, receipts. */
  label: string;
  /** The field inside a sentence of the case history: "serial number: A → B". */
  inHistory: string;
  /** The value for people, when it is more than text or a date (codes, money). */
  format?: (value: NonNullable<Row[K]>, row: Row) => string;
  /** Present when a CSV import can fill the field. */
  csv?: CsvField;
}

/** Every field of a row, described: a field without a label fails the typecheck. */
export type FieldDescriptions<Row> = { [K in keyof Row]-?: FieldDescription<Row, K> };

/** A column of a table or receipt: its header and the fields shown in it, line by line. */
export interface Column<Row> {
  header: string;
  /** Share of a receipt's width. */
  width: number;
  fields: (keyof Row & string)[];
  /** The column's lines; by default each field's formatted value, empty ones left out. */
  lines?: (row: Row) => (string | null | false | undefined)[];
}

export interface InventoryDescription<Row> {
  /** The fields in reading order. */
  fields: FieldDescriptions<Row>;
  /** How one item is named in emails, disputes, receipts and the history. */
  name: (row: Row) => string;
  /** Reading order of items (stored documents are ordered by id, which means nothing to people). */
  compare?: (a: Row, b: Row) => number;
  /** The columns of the published list's table and receipt, for kinds that are published. */
  columns?: Column<Row>[];
  /** What must be settled about an item before its list is put in front of the customer, if anything. */
  unsettled?: (row: Row) => string | null;
}

export const describeInventory = <Row>(description: InventoryDescription<Row>) => description;

const isCalendarDate = (value: unknown): value is string => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** One field's value for people: labels for codes, dates spelled out, "—" for nothing. */
export function formatValue<Row>(description: InventoryDescription<Row>, field: keyof Row, row: Row): string {
  const value = row[field];
  if (value === null || value === undefined || value === "") return "—";
  const format = description.fields[field].format;
  if (format) return format(value as NonNullable<Row[typeof field]>, row);
  return isCalendarDate(value) ? formatDate(value) : String(value);
}

/** A column's lines for one row, nothing empty. */
export function columnLines<Row>(description: InventoryDescription<Row>, column: Column<Row>, row: Row): string[] {
  const lines = column.lines ? column.lines(row) : column.fields.map((field) => (row[field] ? formatValue(description, field, row) : null));
  return lines.filter((line): line is string => typeof line === "string" && line !== "");
}

export const fieldNames = <Row>(description: InventoryDescription<Row>) => Object.keys(description.fields) as (keyof Row & string)[];

/** The history's words for each field, by field name. */
export const historyLabels = <Row>(description: InventoryDescription<Row>): Record<string, string> =>
  Object.fromEntries(fieldNames(description).map((field) => [field, description.fields[field].inHistory]));
