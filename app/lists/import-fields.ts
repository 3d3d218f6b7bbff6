// The fields a CSV column can be mapped to, per list, with the header names MSP tools use for
// them (IT Glue configurations, Hudu assets, RMM inventories, spreadsheets), read from the
// inventory descriptions. Browser-safe: the mapping form lists the same fields the server validates.
import type { FieldDescription } from "../inventory/describe";
import { type ListKind, fieldsOf, listInventories } from "./items";

export interface ImportField {
  field: string;
  label: string;
  /** The import cannot run without a column for it. */
  required: boolean;
  /** Free text: several columns may feed it (e.g. "Manufacturer" + "Model"), joined with a space. */
  combinable: boolean;
  /** Header names (normalised: lower case, letters and digits only) that suggest this field. */
  synonyms: string[];
}

const describedField = (kind: ListKind, name: string) => listInventories[kind].fields[name as never] as FieldDescription<unknown, never>;

// A field's own label is always one of its names: a file Handover wrote (the handover packet's
// CSVs) maps back column for column.
function importFieldsOf(kind: ListKind): ImportField[] {
  return fieldsOf(kind).flatMap((name) => {
    const { label, csv } = describedField(kind, name);
    if (!csv) return [];
    const synonyms = [...new Set([normaliseHeader(label), ...csv.synonyms])];
    return [{ field: csv.input ?? name, label, required: csv.required ?? false, combinable: csv.combinable ?? false, synonyms }];
  });
}

/** The importable fields of each list, in reading order, as the inventory descriptions give them. */
export const importFields: Record<ListKind, ImportField[]> = { hardware: importFieldsOf("hardware"), subscriptions: importFieldsOf("subscriptions") };

/**
 * Labels of described fields the import cannot fill (e.g. "Early retrieval proposed for"): such a
 * column is left unmapped rather than guessed into a field whose name it contains.
 */
const unimportableOf = (kind: ListKind) =>
  new Set(
    fieldsOf(kind)
      .map((name) => describedField(kind, name))
      .filter((field) => !field.csv)
      .map((field) => normaliseHeader(field.label)),
  );
const unimportableLabels: Record<ListKind, Set<string>> = { hardware: unimportableOf("hardware"), subscriptions: unimportableOf("subscriptions") };

/** "Serial Number", "serial_number", "S/N" → "serialnumber", "serialnumber", "sn". */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export function importFieldLabel(kind: ListKind, name: string): string {
  return importFields[kind].find((candidate) => candidate.field === name)?.label ?? name;
}

/**
 * A suggested field for each header (or "" to ignore it): exact names first, then headers that
 * contain a known name ("Device Serial Number"). A field is suggested once, except free-text
 * fields that several columns may feed.
 */
export function suggestMapping(kind: ListKind, headers: string[]): string[] {
  const fields = importFields[kind];
  const taken = new Set<string>();
  const result = headers.map(() => "");
  const claim = (index: number, candidate: ImportField | undefined) => {
    if (!candidate || (taken.has(candidate.field) && !candidate.combinable)) return;
    result[index] = candidate.field;
    taken.add(candidate.field);
  };
  headers.forEach((header, index) => {
    const name = normaliseHeader(header);
    claim(
      index,
      fields.find((candidate) => candidate.synonyms.includes(name)),
    );
  });
  headers.forEach((header, index) => {
    if (result[index]) return;
    const name = normaliseHeader(header);
    if (name.length < 4 || unimportableLabels[kind].has(name)) return;
    // Longest synonym first, so "Retrieval start date" prefers the window over the plan.
    const matches = fields
      .flatMap((candidate) => candidate.synonyms.filter((synonym) => synonym.length >= 4 && name.includes(synonym)).map((synonym) => ({ candidate, synonym })))
      .sort((a, b) => b.synonym.length - a.synonym.length);
    const free = matches.find(({ candidate }) => !taken.has(candidate.field) || candidate.combinable);
    claim(index, free?.candidate);
  });
  return result;
}
