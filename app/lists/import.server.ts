// CSV import of hardware and subscriptions as MSPs export them. The person maps each column to a
// field (suggested from the header), sees a preview with every bad line named by line and column,
// and imports all rows or none. Rows pass through the same zod schemas and the same retrieval rule
// as the staff forms, and are inserted through the same column mapping.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { db, type Executor } from "../../db/client";
import { hardwareItems, subscriptions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "../cases/access.server";
import { parseInput } from "../http/forms.server";
import { InvalidInput } from "../http/refusals.server";
import { hardwareValuesFromInput } from "../cases/hardware.server";
import { hardwareItemInput, subscriptionInput } from "../cases/schemas";
import { subscriptionValuesFromInput } from "../cases/subscriptions.server";
import {
  BILLING_PARTIES,
  billingPartyLabels,
  HARDWARE_CATEGORIES,
  HARDWARE_OWNERS,
  hardwareCategoryLabels,
  hardwareOwnerLabels,
  SUBSCRIPTION_PLANS,
  subscriptionPlanLabels,
} from "../cases/vocabulary";
import { importFieldLabel, importFields, suggestMapping } from "./import-fields";
import { type ListKind, LIST_KINDS } from "./items";
import { applyMapping, findMatchingMapping, getImportMapping, saveImportMapping } from "./mappings.server";
import { retrievalRuleError } from "./retrieval.server";

export const MAX_IMPORT_BYTES = 1_000_000;
export const MAX_IMPORT_ROWS = 5_000;

/** A CSV the person supplied, parsed: the header row and the data rows with their line numbers. */
export interface ParsedCsv {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

export class CsvError extends Error {
  override name = "CsvError";
}

/** The delimiter the header line uses most: comma, semicolon (European spreadsheets) or tab. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((delimiter) => ({ delimiter, count: firstLine.split(delimiter).length - 1 }));
  return counts.sort((a, b) => b.count - a.count)[0]!.count > 0 ? counts[0]!.delimiter : ",";
}

export function parseCsv(text: string): ParsedCsv {
  if (text.length > MAX_IMPORT_BYTES) throw new CsvError("The file is larger than 1 MB. Split it and import the parts.");
  // One kind of line break (spreadsheets on Windows write CRLF), so line numbers count as editors do.
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (body.trim() === "") throw new CsvError("The file is empty.");
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(body, {
      delimiter: detectDelimiter(body),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CsvError(`The file is not valid CSV: ${message}`);
  }
  // A record ends on info.lines; it starts as many lines earlier as it holds line breaks inside quotes.
  const startLine = (entry: (typeof records)[number]) =>
    entry.info.lines - (entry.raw.replace(/^(\r?\n)+/, "").replace(/\r?\n$/, "").match(/\n/g)?.length ?? 0);
  const [head, ...data] = records;
  if (!head) throw new CsvError("The file is empty.");
  const headers = head.record.map((header, index) => header.trim() || `Column ${index + 1}`);
  const rows = data
    .filter((entry) => entry.record.some((cell) => cell.trim() !== ""))
    .map((entry) => ({ line: startLine(entry), cells: entry.record }));
  if (rows.length === 0) throw new CsvError("The file has a header row but no data rows.");
  if (rows.length > MAX_IMPORT_ROWS) throw new CsvError(`The file has ${rows.length} rows; import at most ${MAX_IMPORT_ROWS} at once.`);
  return { headers, rows };
}

// ---------------------------------------------------------------------------------------------
// Mapping: column index → field name ("" = ignored)

export const importRequestInput = z.object({
  kind: z.enum(LIST_KINDS, { error: "Choose what the file holds" }),
  csv: z.string({ error: "Choose a CSV file" }).min(1, "Choose a CSV file"),
  filename: z.string().max(200).optional(),
  /** One entry per column, in column order. */
  mapping: z.array(z.string().max(60)),
  defaultCurrency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, "Enter a three-letter currency code").optional(),
  saveAs: z.string().trim().max(100, "Keep the name under 100 characters").optional(),
});
export type ImportRequest = z.input<typeof importRequestInput>;

/** Problems with the mapping itself (shown on the mapping step), keyed by `mapping.<index>` or "form". */
export function mappingErrors(kind: ListKind, headers: string[], mapping: string[], { defaultCurrency }: { defaultCurrency?: string }) {
  const errors: Record<string, string> = {};
  const fields = importFields[kind];
  const known = new Set(fields.map((candidate) => candidate.field));
  const used = new Map<string, number[]>();
  headers.forEach((_, index) => {
    const target = mapping[index] ?? "";
    if (target === "") return;
    if (!known.has(target)) errors[`mapping.${index}`] = "Choose a field from the list";
    else used.set(target, [...(used.get(target) ?? []), index]);
  });
  for (const candidate of fields) {
    const columns = used.get(candidate.field) ?? [];
    if (columns.length > 1 && !candidate.combinable) {
      errors[`mapping.${columns[1]}`] = `Only one column can be mapped to ${candidate.label}`;
    }
  }
  const missing = fields
    .filter((candidate) => candidate.required && !used.has(candidate.field))
    .filter((candidate) => !(candidate.field === "currency" && defaultCurrency))
    .map((candidate) => candidate.label);
  if (kind === "subscriptions" && !used.has("currency") && !defaultCurrency) missing.push("Currency (or a currency for all rows)");
  if (missing.length > 0) errors.form = `Map a column to: ${missing.join(", ")}.`;
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Cell values → the schemas' input

const squash = (value: string) =>
  value
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

function choiceReader<T extends string>(values: readonly T[], labels: Record<T, string>, synonyms: Record<string, T>, contains: [string, T][] = []) {
  const lookup = new Map<string, T>();
  for (const value of values) {
    lookup.set(squash(value), value);
    lookup.set(squash(labels[value]), value);
  }
  for (const [word, value] of Object.entries(synonyms)) lookup.set(squash(word), value);
  const allowed = values.map((value) => labels[value]).join(", ");
  return (raw: string): { ok: true; value: T } | { ok: false; message: string } => {
    const key = squash(raw);
    const exact = lookup.get(key);
    if (exact) return { ok: true, value: exact };
    const partial = contains.find(([word]) => key.includes(word));
    if (partial) return { ok: true, value: partial[1] };
    return { ok: false, message: `“${raw}” is not one of: ${allowed}` };
  };
}

const readCategory = choiceReader(
  HARDWARE_CATEGORIES,
  hardwareCategoryLabels,
  { ap: "access_point", wap: "access_point", wifi: "access_point", nas: "storage", san: "storage", pc: "workstation", desktop: "workstation", notebook: "laptop", fw: "firewall", mfp: "printer", copier: "printer", voip: "phone", ipphone: "phone" },
  [
    ["firewall", "firewall"],
    ["accesspoint", "access_point"],
    ["switch", "switch"],
    ["router", "router"],
    ["server", "server"],
    ["laptop", "laptop"],
    ["notebook", "laptop"],
    ["desktop", "workstation"],
    ["workstation", "workstation"],
    ["printer", "printer"],
    ["storage", "storage"],
  ],
);
const readOwner = choiceReader(HARDWARE_OWNERS, hardwareOwnerLabels, {
  ours: "msp",
  managedserviceprovider: "msp",
  mspowned: "msp",
  client: "customer",
  customerowned: "customer",
  clientowned: "customer",
  leased: "third_party_lessor",
  lease: "third_party_lessor",
  lessor: "third_party_lessor",
  thirdparty: "third_party_lessor",
});
const readBillingParty = choiceReader(BILLING_PARTIES, billingPartyLabels, {
  client: "customer",
  provider: "incoming_provider",
  newprovider: "incoming_provider",
  incoming: "incoming_provider",
});
const readPlan = choiceReader(SUBSCRIPTION_PLANS, subscriptionPlanLabels, {
  transfertoprovider: "transfer_to_incoming_provider",
  transfertonewprovider: "transfer_to_incoming_provider",
  terminate: "terminate_on_date",
  cancel: "terminate_on_date",
  terminateon: "terminate_on_date",
  continue: "continue_until_date",
  continueuntil: "continue_until_date",
  keepuntil: "continue_until_date",
});

const CHOICES: Record<string, (raw: string) => { ok: true; value: string } | { ok: false; message: string }> = {
  category: readCategory,
  owner: readOwner,
  billingParty: readBillingParty,
  plan: readPlan,
};

/** "2026-04-01", "2026/04/01" or an ISO timestamp → "2026-04-01"; anything else is left for the schema to refuse. */
function readDate(raw: string) {
  const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ].*)?$/.exec(raw);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : raw;
}

/** "$1,250.00", "€ 80", "120.5 GBP" → "1250.00", "80", "120.5". A decimal comma stays for the schema to refuse. */
function readMoney(raw: string) {
  const bare = raw.replace(/^[^\d-]*?(?=[\d-])/, "").replace(/\s*[A-Za-z$€£¥]+$/, "").trim();
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(bare) ? bare.replaceAll(",", "") : bare;
}

const DATE_FIELDS = new Set(["retrievalWindowStartsOn", "retrievalWindowEndsOn", "termEndsOn", "planDate"]);

export interface RowError {
  line: number;
  column: string;
  message: string;
}

export interface CheckedRow {
  line: number;
  input: Record<string, string | undefined>;
}

/** Builds each row's input and checks it with the list's schema; errors name the line and the column. */
export function checkRows(
  kind: ListKind,
  parsed: ParsedCsv,
  mapping: string[],
  { defaultCurrency }: { defaultCurrency?: string },
): { rows: CheckedRow[]; errors: RowError[] } {
  const columnsOf = new Map<string, number[]>();
  mapping.forEach((target, index) => {
    if (target && index < parsed.headers.length) columnsOf.set(target, [...(columnsOf.get(target) ?? []), index]);
  });
  const columnName = (target: string) => {
    const columns = columnsOf.get(target);
    return columns ? columns.map((index) => parsed.headers[index]).join(" + ") : `${importFieldLabel(kind, target)} (no column in the file)`;
  };
  const schema = kind === "hardware" ? hardwareItemInput : subscriptionInput;
  const rows: CheckedRow[] = [];
  const errors: RowError[] = [];
  for (const { line, cells } of parsed.rows) {
    const input: Record<string, string | undefined> = {};
    const rowErrors: RowError[] = [];
    for (const [target, columns] of columnsOf) {
      const raw = columns
        .map((index) => (cells[index] ?? "").trim())
        .filter(Boolean)
        .join(" ");
      if (raw === "") continue;
      const choose = CHOICES[target];
      if (choose) {
        const chosen = choose(raw);
        if (chosen.ok) input[target] = chosen.value;
        else rowErrors.push({ line, column: columnName(target), message: chosen.message });
      } else if (DATE_FIELDS.has(target)) input[target] = readDate(raw);
      else if (target === "monthlyCost") input[target] = readMoney(raw);
      else input[target] = raw;
    }
    if (kind === "subscriptions" && !input.currency && defaultCurrency) input.currency = defaultCurrency;
    const result = schema.safeParse(input);
    if (!result.success) {
      const seen = new Set(rowErrors.map((error) => error.column));
      for (const issue of result.error.issues) {
        const target = String(issue.path[0] ?? "");
        const column = columnName(target);
        // A value already refused above (e.g. an unknown category) is not reported twice.
        if (seen.has(column)) continue;
        seen.add(column);
        rowErrors.push({ line, column, message: issue.message });
      }
    }
    errors.push(...rowErrors);
    rows.push({ line, input });
  }
  return { rows, errors };
}

/** Applies the retrieval rule to checked hardware rows (new items: no agreement can exist yet). */
async function retrievalErrors(executor: Executor, kind: ListKind, caseId: string, cutoverOn: string, rows: CheckedRow[], column: string) {
  if (kind !== "hardware") return [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const values = row.input;
    if (!values.category) continue;
    const message = await retrievalRuleError(executor, {
      caseId,
      itemId: null,
      cutoverOn,
      values: {
        category: values.category as never,
        owner: (values.owner ?? null) as never,
        retrievalWindowStartsOn: values.retrievalWindowStartsOn ?? null,
      },
    });
    if (message) errors.push({ line: row.line, column, message });
  }
  return errors;
}

export interface ImportPreview {
  kind: ListKind;
  headers: string[];
  total: number;
  rows: CheckedRow[];
  errors: RowError[];
}

function prepare(request: ImportRequest) {
  const options = parseInput(importRequestInput, request);
  let parsed: ParsedCsv;
  try {
    parsed = parseCsv(options.csv);
  } catch (error) {
    if (error instanceof CsvError) throw new InvalidInput({ file: error.message });
    throw error;
  }
  const problems = mappingErrors(options.kind, parsed.headers, options.mapping, options);
  if (Object.keys(problems).length > 0) throw new InvalidInput(problems);
  return { options, parsed };
}

/** Validates every row without writing: what the preview shows. */
export async function previewImport({
  executor = db(),
  caseId,
  cutoverOn,
  request,
}: {
  executor?: Executor;
  caseId: string;
  cutoverOn: string;
  request: ImportRequest;
}): Promise<ImportPreview> {
  const { options, parsed } = prepare(request);
  const checked = checkRows(options.kind, parsed, options.mapping, options);
  const startColumn = options.mapping.findIndex((target) => target === "retrievalWindowStartsOn");
  const rule = await retrievalErrors(
    executor,
    options.kind,
    caseId,
    cutoverOn,
    checked.rows,
    startColumn >= 0 ? parsed.headers[startColumn]! : "Retrieval window starts",
  );
  const errors = [...checked.errors, ...rule].sort((a, b) => a.line - b.line);
  return { kind: options.kind, headers: parsed.headers, total: parsed.rows.length, rows: checked.rows, errors };
}

/** The rows could not all be imported: nothing was written. */
export class ImportRowsError extends Error {
  override name = "ImportRowsError";
  constructor(readonly preview: ImportPreview) {
    super(`${preview.errors.length} problem(s) in the file; nothing was imported`);
  }
}

/** Imports every row in one transaction, or none. Optionally saves the mapping for later imports. */
export async function importRows({ actor, caseId, request }: { actor: Actor; caseId: string; request: ImportRequest }) {
  const { options, parsed } = prepare(request);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    // Checked again inside the transaction, against the locked case's cutover date.
    const preview = await previewImport({ executor: tx, caseId: kase.id, cutoverOn: kase.cutoverOn, request });
    if (preview.errors.length > 0) throw new ImportRowsError(preview);
    const itemIds: string[] = [];
    for (const row of preview.rows) {
      if (options.kind === "hardware") {
        const values = hardwareValuesFromInput(row.input as never);
        const [created] = await tx.insert(hardwareItems).values({ ...values, caseId: kase.id }).returning({ id: hardwareItems.id });
        itemIds.push(created!.id);
        await recordAudit(tx, { actor, caseId: kase.id, event: { action: "hardware.added", payload: { itemId: created!.id, item: values } } });
      } else {
        const values = subscriptionValuesFromInput(row.input as never);
        const [created] = await tx.insert(subscriptions).values({ ...values, caseId: kase.id }).returning({ id: subscriptions.id });
        itemIds.push(created!.id);
        await recordAudit(tx, {
          actor,
          caseId: kase.id,
          event: { action: "subscription.added", payload: { subscriptionId: created!.id, subscription: values } },
        });
      }
    }
    const source = options.filename?.trim() || "pasted CSV";
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "list.imported", payload: { kind: options.kind, source, count: itemIds.length, itemIds } },
    });
    if (options.saveAs) {
      const columns: Record<string, string> = {};
      // Ignored columns are kept too (as ""), so the mapping is recognised for a file with the same headers.
      parsed.headers.forEach((header, index) => {
        columns[header] = options.mapping[index] ?? "";
      });
      await saveImportMapping(tx, { actor, kind: options.kind, name: options.saveAs, columns });
    }
    return { kind: options.kind, count: itemIds.length };
  });
}

// ---------------------------------------------------------------------------------------------
// The wizard's steps, as the import page shows them

/** Step 2: the columns with a few sample values and a suggested (or saved) field for each. */
export async function mappingStep({
  kind,
  csv,
  filename,
  mappingId,
  current,
}: {
  kind: ListKind;
  csv: string;
  filename?: string;
  /** A saved mapping the person chose to apply. */
  mappingId?: string;
  /** The choices the person already made (when going back from the preview). */
  current?: string[];
}) {
  let parsed: ParsedCsv;
  try {
    parsed = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvError) throw new InvalidInput({ file: error.message });
    throw error;
  }
  const saved = mappingId ? await getImportMapping({ mappingId, kind }) : current ? null : await findMatchingMapping(kind, parsed.headers);
  return {
    step: "map" as const,
    kind,
    csv,
    filename: filename ?? "",
    rowCount: parsed.rows.length,
    columns: parsed.headers.map((header, index) => ({
      index,
      header,
      samples: parsed.rows
        .map((row) => (row.cells[index] ?? "").trim())
        .filter(Boolean)
        .slice(0, 3),
    })),
    mapping: saved
      ? applyMapping(kind, parsed.headers, saved.columns)
      : current
        ? parsed.headers.map((_, index) => current[index] ?? "")
        : suggestMapping(kind, parsed.headers),
    appliedMapping: saved?.name ?? null,
  };
}

const MAX_PREVIEW_ROWS = 25;

const CHOICE_LABELS: Record<string, Record<string, string>> = {
  category: hardwareCategoryLabels,
  owner: hardwareOwnerLabels,
  billingParty: billingPartyLabels,
  plan: subscriptionPlanLabels,
};

/** A value as people read it: labels for codes ("msp" → "MSP"). */
const shown = (field: string, value: string | undefined) => (value ? (CHOICE_LABELS[field]?.[value] ?? value) : "");
const MAX_LISTED_ERRORS = 200;

/** Step 3: the first rows as they will be imported, and every problem by line and column. */
export function previewStep(preview: ImportPreview, request: ImportRequest) {
  const badLines = new Set(preview.errors.map((error) => error.line));
  const fields = importFields[preview.kind].filter((candidate) => request.mapping.includes(candidate.field) || (candidate.field === "currency" && request.defaultCurrency));
  return {
    step: "preview" as const,
    kind: preview.kind,
    total: preview.total,
    fields: fields.map((candidate) => ({ field: candidate.field, label: candidate.label })),
    rows: preview.rows.slice(0, MAX_PREVIEW_ROWS).map((row) => ({
      line: row.line,
      problem: badLines.has(row.line),
      values: fields.map((candidate) => shown(candidate.field, row.input[candidate.field])),
    })),
    errorCount: preview.errors.length,
    errors: preview.errors.slice(0, MAX_LISTED_ERRORS),
    request: {
      kind: request.kind,
      csv: request.csv,
      filename: request.filename ?? "",
      mapping: request.mapping,
      defaultCurrency: request.defaultCurrency ?? "",
      saveAs: request.saveAs ?? "",
    },
  };
}
