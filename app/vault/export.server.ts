// Export for the incoming provider: the released, rotated credentials as a file their password
// manager imports. Built in memory for the one response that carries it, recorded, and announced
// to the responsible engineer; never stored.
import { randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import { and, asc, eq, isNull } from "drizzle-orm";
import { inTransaction } from "../http/transaction.server";
import { cases, credentials } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { releasedTo, rotatedAfterNotice } from "./credentials.server";
import { openVault } from "./data-keys.server";
import { decryptField } from "./envelope.server";
import { NothingReadyError, SecretsPurgedError } from "./errors.server";
import { notifyEngineer } from "./reveal.server";
import { type ExportFormat, exportFormatLabels } from "./vocabulary";

export interface ExportedCredential {
  id: string;
  name: string;
  category: string;
  url: string;
  username: string;
  password: string;
  totp: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Bitwarden's unencrypted JSON export (the format Bitwarden and Vaultwarden import): folders by
 * category, and one login item (type 1) per credential.
 */
export function toBitwardenJson(items: ExportedCredential[]): string {
  const folders = new Map<string, string>();
  for (const item of items) if (item.category && !folders.has(item.category)) folders.set(item.category, randomUUID());
  return JSON.stringify(
    {
      encrypted: false,
      folders: [...folders].map(([name, id]) => ({ id, name })),
      items: items.map((item) => ({
        id: item.id,
        organizationId: null,
        folderId: item.category ? folders.get(item.category)! : null,
        type: 1,
        reprompt: 0,
        name: item.name,
        notes: item.notes,
        favorite: false,
        login: {
          uris: item.url ? [{ match: null, uri: item.url }] : [],
          username: item.username || null,
          password: item.password,
          totp: item.totp,
        },
        collectionIds: null,
        revisionDate: item.updatedAt.toISOString(),
        creationDate: item.createdAt.toISOString(),
      })),
    },
    null,
    2,
  );
}

const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/**
 * KeePassXC's CSV layout (what its own export writes and its CSV import maps by default): every
 * cell quoted, groups under "Root". Cells are not defused for spreadsheets: a password that starts
 * with "=" must arrive unchanged in the password manager.
 */
export function toKeePassXcCsv(items: ExportedCredential[]): string {
  return stringify(
    items.map((item) => [
      item.category ? `Root/${item.category}` : "Root",
      item.name,
      item.username,
      item.password,
      item.url,
      item.notes ?? "",
      item.totp ?? "",
      "0",
      isoSeconds(item.updatedAt),
      isoSeconds(item.createdAt),
    ]),
    {
      header: true,
      columns: ["Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon", "Last Modified", "Created"],
      quoted: true,
      quoted_empty: true,
      record_delimiter: "\n",
    },
  );
}

const FILES: Record<ExportFormat, { extension: string; contentType: string; render: (items: ExportedCredential[]) => string }> = {
  "bitwarden-json": { extension: "json", contentType: "application/json; charset=utf-8", render: toBitwardenJson },
  "keepassxc-csv": { extension: "csv", contentType: "text/csv; charset=utf-8", render: toKeePassXcCsv },
};

/**
 * The incoming provider's export: credentials released to them and rotated since notice, nothing
 * else. Recorded (who, when, IP, user agent, which credentials) in the same transaction.
 */
export async function exportForProvider({
  actor,
  caseId,
  format,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  format: ExportFormat;
  now?: Date;
}): Promise<{ filename: string; contentType: string; body: string; count: number }> {
  const id = assertId(caseId, "Case");
  return inTransaction(async (tx) => {
    const [kase] = await tx.select({ reference: cases.reference }).from(cases).where(eq(cases.id, id));
    const vault = await openVault(tx, id);
    if (vault?.state.purgedAt) throw new SecretsPurgedError();
    const rows = await tx
      .select({
        id: credentials.id,
        name: credentials.name,
        category: credentials.category,
        url: credentials.url,
        username: credentials.username,
        secretCiphertext: credentials.secretCiphertext,
        totpCiphertext: credentials.totpCiphertext,
        notesCiphertext: credentials.notesCiphertext,
        createdAt: credentials.createdAt,
        updatedAt: credentials.updatedAt,
      })
      .from(credentials)
      .innerJoin(cases, eq(cases.id, credentials.caseId))
      // The scrub gate again, in the query: unrotated credentials are not even read.
      .where(and(eq(credentials.caseId, id), releasedTo("incoming_provider"), rotatedAfterNotice, isNull(credentials.purgedAt)))
      .orderBy(asc(credentials.category), asc(credentials.name), asc(credentials.id));
    if (!kase || !vault || rows.length === 0) throw new NothingReadyError("No credentials are ready for export yet.");
    const dataKey = vault.dataKey();
    let items: ExportedCredential[];
    try {
      items = rows.map((row) => {
        const at = (field: "secret" | "totp" | "notes") => ({ dataKey, caseId: id, credentialId: row.id, field });
        return {
          id: row.id,
          name: row.name,
          category: row.category,
          url: row.url,
          username: row.username,
          password: decryptField({ ...at("secret"), sealed: row.secretCiphertext! }),
          totp: row.totpCiphertext ? decryptField({ ...at("totp"), sealed: row.totpCiphertext }) : null,
          notes: row.notesCiphertext ? decryptField({ ...at("notes"), sealed: row.notesCiphertext }) : null,
          createdAt: row.createdAt,
          updatedAt: row.updatedAt,
        };
      });
    } finally {
      dataKey.fill(0);
    }
    await recordAudit(tx, {
      actor,
      caseId: id,
      event: { action: "credentials.exported", payload: { format, count: items.length, credentialIds: items.map((item) => item.id) } },
    });
    await notifyEngineer(tx, {
      caseId: id,
      actor,
      what: "exported",
      credentialNames: items.map((item) => item.name),
      format: exportFormatLabels[format],
      occurredAt: now,
    });
    const file = FILES[format];
    return {
      filename: `handover-${kase.reference}-${format}.${file.extension}`,
      contentType: file.contentType,
      body: file.render(items),
      count: items.length,
    };
  });
}
