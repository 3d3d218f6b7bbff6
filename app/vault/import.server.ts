// Importing credentials from the CSV exports of Bitwarden, KeePassXC and 1Password: parsed and
// validated whole first (a preview with per-line errors), then written all together or not at all.
// Nothing here ever repeats a cell's content in a message: a cell may be a password.
import { parse } from "csv-parse/sync";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "../cases/access.server";
import { InvalidInput } from "../http/refusals.server";
import { insertCredentials, type NewCredential, toNewCredential } from "./credentials.server";
import type { NewCredentialInput } from "./schemas.server";
import { IMPORT_FORMATS, type ImportFormat, type ReleaseChoice, importFormatLabels } from "./vocabulary";

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 2_000;

interface Layout {
  /** Columns that must be in the header (lower case). */
  required: string[];
  /** Cells of one row (by lower-case header) → the credential's fields; a string is a line error. */
  map(cell: (column: string) => string): Record<string, string> | string;
}

// Header names as the three programs write them; matched without regard to case.
const LAYOUTS: Record<ImportFormat, Layout> = {
  // folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp
  bitwarden: {
    required: ["type", "name", "login_uri", "login_username", "login_password"],
    map(cell) {
      const type = cell("type").trim().toLowerCase();
      if (type !== "login" && type !== "") return `Bitwarden item type “${type.slice(0, 20)}” is not a login; remove the line or import it another way`;
      return {
        name: cell("name"),
        category: cell("folder"),
        // Bitwarden writes several URIs comma-separated: the first is the sign-in address.
        url: cell("login_uri").split(",")[0]!.trim(),
        username: cell("login_username"),
        secret: cell("login_password"),
        totp: cell("login_totp"),
        notes: cell("notes"),
      };
    },
  },
  // "Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"
  keepassxc: {
    required: ["group", "title", "username", "password", "url"],
    map(cell) {
      return {
        name: cell("title"),
        category: cell("group").replace(/^Root(\/|$)/, ""),
        url: cell("url"),
        username: cell("username"),
        secret: cell("password"),
        totp: cell("totp"),
        notes: cell("notes"),
      };
    },
  },
  // Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes
  "1password": {
    required: ["title", "url", "username", "password"],
    map(cell) {
      return {
        name: cell("title"),
        category: cell("tags").split(",")[0]!.trim(),
        url: cell("url"),
        username: cell("username"),
        secret: cell("password"),
        totp: cell("otpauth"),
        notes: cell("notes"),
      };
    },
  },
};

/** Recognises the exporting program from the header row. */
export function detectFormat(header: string[]): ImportFormat | null {
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  if (columns.has("login_password")) return "bitwarden";
  if (columns.has("otpauth") && columns.has("title")) return "1password";
  if (columns.has("group") && columns.has("title")) return "keepassxc";
  if (columns.has("title") && columns.has("password")) return "1password";
  return null;
}

export interface ImportLineError {
  line: number;
  message: string;
}

export interface ImportPlan {
  format: ImportFormat;
  items: (NewCredential & { line: number })[];
  errors: ImportLineError[];
}

// The CSV columns behind each field, so a message points at what the person sees in their file.
const COLUMN_OF: Record<ImportFormat, Record<string, string>> = {
  bitwarden: { name: "name", category: "folder", url: "login_uri", username: "login_username", secret: "login_password", totp: "login_totp", notes: "notes" },
  keepassxc: { name: "Title", category: "Group", url: "URL", username: "Username", secret: "Password", totp: "TOTP", notes: "Notes" },
  "1password": { name: "Title", category: "Tags", url: "Url", username: "Username", secret: "Password", totp: "OTPAuth", notes: "Notes" },
};

const CSV_READ_ERRORS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: "a quoted cell is not closed properly",
  CSV_QUOTE_NOT_CLOSED: "a quoted cell is never closed",
  CSV_INVALID_OPENING_QUOTE: "a quote appears inside an unquoted cell",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "text follows a closing quote",
};

/**
 * Reads a CSV export into credentials without writing anything. Every problem is reported with
 * its line number; when there is any, nothing may be imported.
 */
export function planImport({
  text,
  format: requested,
  releaseTo = "none",
}: {
  text: string;
  format?: ImportFormat;
  releaseTo?: ReleaseChoice;
}): ImportPlan {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    // csv-parse quotes the offending cell in its message; only the line number and kind are kept.
    const e = error as { code?: string; lines?: number };
    const what = (e.code && CSV_READ_ERRORS[e.code]) ?? "it is not valid CSV";
    return { format: requested ?? "bitwarden", items: [], errors: [{ line: e.lines ?? 1, message: `The file cannot be read: ${what}.` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { format: requested ?? "bitwarden", items: [], errors: [{ line: 1, message: "The file is empty." }] };
  const format = requested ?? detectFormat(header.record);
  if (!format) {
    return {
      format: "bitwarden",
      items: [],
      errors: [{ line: 1, message: `The header row matches none of ${IMPORT_FORMATS.map((f) => importFormatLabels[f]).join(", ")}.` }],
    };
  }
  const columns = header.record.map((h) => h.trim().toLowerCase());
  const missing = LAYOUTS[format].required.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    return { format, items: [], errors: [{ line: 1, message: `This is not a ${importFormatLabels[format]} header: missing ${missing.join(", ")}.` }] };
  }
  if (rows.length > MAX_IMPORT_ROWS) {
    return { format, items: [], errors: [{ line: 1, message: `Import at most ${MAX_IMPORT_ROWS} credentials at a time.` }] };
  }
  const items: ImportPlan["items"] = [];
  const errors: ImportLineError[] = [];
  for (const { record, info } of rows) {
    // csv-parse reports the line a record ends on; quoted cells may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.split("\n").length - 1), 0);
    if (record.length !== columns.length) {
      errors.push({ line, message: `This line has ${record.length} cells; the header has ${columns.length}.` });
      continue;
    }
    const cell = (column: string) => {
      const index = columns.indexOf(column);
      return index === -1 ? "" : (record[index] ?? "");
    };
    const mapped = LAYOUTS[format].map(cell);
    if (typeof mapped === "string") {
      errors.push({ line, message: mapped });
      continue;
    }
    try {
      const credential = toNewCredential({
        name: mapped.name?.trim() || undefined,
        category: mapped.category?.trim() || undefined,
        url: mapped.url?.trim() || undefined,
        username: mapped.username?.trim() || undefined,
        // Kept exactly: a password may begin or end with a space.
        secret: mapped.secret || undefined,
        totp: mapped.totp?.trim() || undefined,
        notes: mapped.notes || undefined,
        releaseTo,
      } as NewCredentialInput);
      items.push({ ...credential, line });
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      for (const [field, message] of Object.entries(error.errors)) {
        errors.push({ line, message: `${COLUMN_OF[format][field] ?? field}: ${message}` });
      }
    }
  }
  if (rows.length === 0) errors.push({ line: 2, message: "The file has a header but no credentials." });
  return { format, items, errors };
}

/** The import was refused as a whole: nothing was written. */
export class ImportRejectedError extends Error {
  override name = "ImportRejectedError";
  constructor(readonly errors: ImportLineError[]) {
    super(`The import was refused: ${errors.length} problem${errors.length === 1 ? "" : "s"} (nothing was imported).`);
  }
}

/** What a person sees before importing: never a secret, only whether there is one. */
export function previewOf(plan: ImportPlan) {
  return {
    format: plan.format,
    errors: plan.errors,
    items: plan.items.map((item) => ({
      line: item.line,
      name: item.name,
      category: item.category,
      url: item.url,
      username: item.username,
      hasTotp: item.totpUri !== null,
      hasNotes: item.notes !== null,
    })),
  };
}

/** Imports every line of the file or none: any line error refuses the whole file. */
export async function importCredentials({
  actor,
  caseId,
  text,
  format,
  releaseTo,
}: {
  actor: Actor;
  caseId: string;
  text: string;
  format?: ImportFormat;
  releaseTo?: ReleaseChoice;
}): Promise<{ count: number; format: ImportFormat }> {
  const plan = planImport({ text, format, releaseTo });
  if (plan.errors.length > 0) throw new ImportRejectedError(plan.errors);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const ids = await insertCredentials(tx, kase, plan.items);
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "credentials.imported", payload: { format: plan.format, count: ids.length, credentialIds: ids } },
    });
    return { count: ids.length, format: plan.format };
  });
}
