// Credentials of a case: entered and maintained by MSP staff, listed for staff and for the parties
// they are released to. Secret fields are encrypted here, before anything reaches the database;
// what leaves this module for lists and pages never holds a secret value.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db, type Executor, type Transaction } from "../../db/client";
import { caseVaults, cases, credentials } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase, type LockedCase } from "../cases/access.server";
import { changesBetween } from "../cases/changes";
import { todayIn } from "../cases/dates";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import type { ContactRole } from "../cases/vocabulary";
import { dataKeyForWrite, openVault } from "./data-keys.server";
import { encryptField } from "./envelope.server";
import { SecretsPurgedError } from "./errors.server";
import {
  type CredentialChangesInput,
  type NewCredentialInput,
  type RotationInput,
  credentialChangesInput,
  newCredentialInput,
  releaseInput,
  rotationInput,
} from "./schemas.server";
import { normaliseTotp } from "./totp.server";
import type { CredentialAudience, Party, ReleaseChoice } from "./vocabulary";

export const partyOfRole = (role: ContactRole): Party => (role === "provider" ? "incoming_provider" : "customer");

/** Released to this party (alone or with the other). */
export const releasedTo = (party: Party) => inArray(credentials.releaseTo, [party, "both"]);

/**
 * The scrub gate: only a credential rotated on or after the day notice was received may leave.
 * Both are calendar dates in the case's time zone, so the comparison is exact.
 */
export const rotatedAfterNotice = sql<boolean>`coalesce(${credentials.rotatedOn} >= ${cases.noticeReceivedOn}, false)`;

const audienceOf = (choice: ReleaseChoice): CredentialAudience | null => (choice === "none" ? null : choice);

// Columns safe to show: never the ciphertexts themselves, only whether they exist.
const listColumns = {
  id: credentials.id,
  name: credentials.name,
  category: credentials.category,
  url: credentials.url,
  username: credentials.username,
  hasTotp: sql<boolean>`${credentials.totpCiphertext} is not null`,
  hasNotes: sql<boolean>`${credentials.notesCiphertext} is not null`,
  releaseTo: credentials.releaseTo,
  rotatedOn: credentials.rotatedOn,
  rotationMethod: credentials.rotationMethod,
  rotatedByLabel: credentials.rotatedByLabel,
  rotationRecordedAt: credentials.rotationRecordedAt,
  purgedAt: credentials.purgedAt,
  ready: rotatedAfterNotice,
};

/** The case facts the vault needs; an unknown or malformed id is "not found". */
async function caseFacts(executor: Executor, caseId: string) {
  const id = assertId(caseId, "Case");
  const [row] = await executor
    .select({
      id: cases.id,
      reference: cases.reference,
      customerLegalName: cases.customerLegalName,
      incomingProviderName: cases.incomingProviderName,
      noticeReceivedOn: cases.noticeReceivedOn,
      portalAccessEndsOn: cases.portalAccessEndsOn,
      timeZone: cases.timeZone,
      status: cases.status,
      responsibleEngineerId: cases.responsibleEngineerId,
    })
    .from(cases)
    .where(eq(cases.id, id));
  if (!row) throw new NotFound("Case not found");
  return row;
}

/** Everything the staff page lists: metadata, release, rotation; whether secrets exist, not what they are. */
export async function listCredentialsForStaff({ caseId }: { caseId: string }) {
  const kase = await caseFacts(db(), caseId);
  const vault = await openVault(db(), kase.id);
  const rows = await db()
    .select(listColumns)
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(eq(credentials.caseId, kase.id))
    .orderBy(asc(credentials.category), asc(credentials.name), asc(credentials.id));
  return { case: kase, vault: vault?.state ?? null, credentials: rows };
}

export type StaffCredentialRow = Awaited<ReturnType<typeof listCredentialsForStaff>>["credentials"][number];

/** One credential's metadata for its edit page. */
export async function getCredentialForStaff({ caseId, credentialId }: { caseId: string; credentialId: string }) {
  const kase = await caseFacts(db(), caseId);
  const id = assertId(credentialId, "Credential");
  const [row] = await db()
    .select(listColumns)
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(and(eq(credentials.caseId, kase.id), eq(credentials.id, id)));
  if (!row) throw new NotFound("Credential not found");
  return { case: kase, credential: row };
}

/**
 * What an external party sees: only credentials released to them. Those not rotated since notice
 * appear as "awaiting rotation", with no more than their name and category.
 */
export async function listCredentialsForParty({ caseId, party }: { caseId: string; party: Party }) {
  const kase = await caseFacts(db(), caseId);
  const vault = await openVault(db(), kase.id);
  const rows = await db()
    .select({
      id: credentials.id,
      name: credentials.name,
      category: credentials.category,
      url: credentials.url,
      username: credentials.username,
      hasTotp: listColumns.hasTotp,
      hasNotes: listColumns.hasNotes,
      rotatedOn: credentials.rotatedOn,
      purgedAt: credentials.purgedAt,
      ready: rotatedAfterNotice,
    })
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(and(eq(credentials.caseId, kase.id), releasedTo(party)))
    .orderBy(asc(credentials.category), asc(credentials.name), asc(credentials.id));
  return {
    case: kase,
    vault: vault?.state ?? null,
    // Until rotated, even the URL and username stay back: they would help an attacker of the old account.
    credentials: rows.map((row) =>
      row.ready
        ? { ...row, status: row.purgedAt ? ("destroyed" as const) : ("ready" as const) }
        : { id: row.id, name: row.name, category: row.category, url: "", username: "", hasTotp: false, hasNotes: false, rotatedOn: null, purgedAt: row.purgedAt, ready: false, status: "awaiting_rotation" as const },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes (admins and engineers; `changeOpenCase` checks the role, locks the case, refuses closed ones)

interface SealedValues {
  secret?: string;
  totpUri?: string | null;
  notes?: string | null;
}

function sealValues(dataKey: Buffer, caseId: string, credentialId: string, values: SealedValues) {
  const at = (field: "secret" | "totp" | "notes") => ({ dataKey, caseId, credentialId, field });
  const sealed: { secretCiphertext?: Uint8Array; totpCiphertext?: Uint8Array | null; notesCiphertext?: Uint8Array | null } = {};
  if (values.secret !== undefined) sealed.secretCiphertext = encryptField({ ...at("secret"), plaintext: values.secret });
  if (values.totpUri !== undefined) sealed.totpCiphertext = values.totpUri === null ? null : encryptField({ ...at("totp"), plaintext: values.totpUri });
  if (values.notes !== undefined) sealed.notesCiphertext = values.notes === null ? null : encryptField({ ...at("notes"), plaintext: values.notes });
  return sealed;
}

export interface NewCredential {
  name: string;
  category: string;
  url: string;
  username: string;
  secret: string;
  totpUri: string | null;
  notes: string | null;
  releaseTo: CredentialAudience | null;
}

/** Validates and normalises one credential (form, CSV line, demo). Throws field messages. */
export function toNewCredential(input: NewCredentialInput): NewCredential {
  const v = parseInput(newCredentialInput, input);
  return {
    name: v.name,
    category: v.category ?? "",
    url: v.url ?? "",
    username: v.username ?? "",
    secret: v.secret,
    totpUri: v.totp ? normaliseTotp(v.totp, v.name) : null,
    notes: v.notes?.trim() ? v.notes : null,
    releaseTo: audienceOf(v.releaseTo),
  };
}

/** Inserts credentials of a locked, open case under its data key; the caller records the audit. */
export async function insertCredentials(tx: Transaction, kase: LockedCase, items: NewCredential[]): Promise<string[]> {
  if (items.length === 0) return [];
  const dataKey = await dataKeyForWrite(tx, kase.id);
  try {
    const rows = items.map((item) => {
      const id = randomUUID();
      return {
        id,
        caseId: kase.id,
        name: item.name,
        category: item.category,
        url: item.url,
        username: item.username,
        releaseTo: item.releaseTo,
        ...sealValues(dataKey, kase.id, id, { secret: item.secret, totpUri: item.totpUri, notes: item.notes }),
      };
    });
    // Batches keep one statement's parameters well under PostgreSQL's limit.
    for (let start = 0; start < rows.length; start += 200) await tx.insert(credentials).values(rows.slice(start, start + 200));
    return rows.map((row) => row.id);
  } finally {
    dataKey.fill(0);
  }
}

export async function addCredential({ actor, caseId, input }: { actor: Actor; caseId: string; input: NewCredentialInput }) {
  const item = toNewCredential(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [id] = await insertCredentials(tx, kase, [item]);
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "credential.added",
        payload: {
          credentialId: id!,
          name: item.name,
          category: item.category,
          releaseTo: item.releaseTo,
          hasTotp: item.totpUri !== null,
          hasNotes: item.notes !== null,
        },
      },
    });
    return { id: id! };
  });
}

async function lockCredential(tx: Transaction, caseId: string, credentialId: string) {
  const id = assertId(credentialId, "Credential");
  const [row] = await tx
    .select({
      id: credentials.id,
      name: credentials.name,
      category: credentials.category,
      url: credentials.url,
      username: credentials.username,
      releaseTo: credentials.releaseTo,
      purgedAt: credentials.purgedAt,
    })
    .from(credentials)
    .where(and(eq(credentials.caseId, caseId), eq(credentials.id, id)))
    .for("update");
  if (!row) throw new NotFound("Credential not found");
  return row;
}

/** Changes details and release; replaces the secret, TOTP seed or notes only when new ones are given. */
export async function updateCredential({
  actor,
  caseId,
  credentialId,
  input,
}: {
  actor: Actor;
  caseId: string;
  credentialId: string;
  input: CredentialChangesInput;
}): Promise<{ changed: string[] }> {
  const v = parseInput(credentialChangesInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const before = await lockCredential(tx, kase.id, credentialId);
    if (before.purgedAt) throw new SecretsPurgedError();
    const details = {
      name: v.name,
      category: v.category ?? "",
      url: v.url ?? "",
      username: v.username ?? "",
      releaseTo: audienceOf(v.releaseTo),
    };
    const values: SealedValues = {};
    const replaced: ("secret" | "totp" | "notes")[] = [];
    const removed: ("totp" | "notes")[] = [];
    if (v.secret) {
      values.secret = v.secret;
      replaced.push("secret");
    }
    if (v.totp) {
      values.totpUri = normaliseTotp(v.totp, v.name);
      replaced.push("totp");
    } else if (v.removeTotp) {
      values.totpUri = null;
      removed.push("totp");
    }
    if (v.notes?.trim()) {
      values.notes = v.notes;
      replaced.push("notes");
    } else if (v.clearNotes) {
      values.notes = null;
      removed.push("notes");
    }
    const { id: _id, purgedAt: _purged, ...comparable } = before;
    const changes = changesBetween(comparable, details);
    if (Object.keys(changes).length === 0 && replaced.length === 0 && removed.length === 0) return { changed: [] };
    let sealed = {};
    if (replaced.length + removed.length > 0) {
      const dataKey = await dataKeyForWrite(tx, kase.id);
      try {
        sealed = sealValues(dataKey, kase.id, before.id, values);
      } finally {
        dataKey.fill(0);
      }
    }
    await tx
      .update(credentials)
      .set({ ...details, ...sealed, updatedAt: new Date() })
      .where(and(eq(credentials.caseId, kase.id), eq(credentials.id, before.id)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "credential.updated", payload: { credentialId: before.id, name: details.name, changes, replaced, removed } },
    });
    return { changed: [...Object.keys(changes), ...replaced, ...removed] };
  });
}

/** Chooses who receives a credential: the customer, the incoming provider, both, or nobody yet. */
export async function setCredentialRelease({
  actor,
  caseId,
  credentialId,
  input,
}: {
  actor: Actor;
  caseId: string;
  credentialId: string;
  input: { releaseTo?: string };
}) {
  const { releaseTo } = parseInput(releaseInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const before = await lockCredential(tx, kase.id, credentialId);
    const to = audienceOf(releaseTo);
    if (before.releaseTo === to) return { changed: false };
    await tx
      .update(credentials)
      .set({ releaseTo: to, updatedAt: new Date() })
      .where(and(eq(credentials.caseId, kase.id), eq(credentials.id, before.id)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "credential.updated",
        payload: { credentialId: before.id, name: before.name, changes: { releaseTo: { from: before.releaseTo, to } }, replaced: [], removed: [] },
      },
    });
    return { changed: true };
  });
}

/**
 * Records that a credential was rotated (changed so that the MSP's copy no longer works), when and
 * how, optionally with the new secret and TOTP seed. The scrub gate reads this record.
 */
export async function recordRotation({
  actor,
  caseId,
  credentialId,
  input,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  credentialId: string;
  input: RotationInput;
  now?: Date;
}) {
  const v = parseInput(rotationInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const before = await lockCredential(tx, kase.id, credentialId);
    if (before.purgedAt) throw new SecretsPurgedError();
    const [{ timeZone } = { timeZone: "UTC" }] = await tx.select({ timeZone: cases.timeZone }).from(cases).where(eq(cases.id, kase.id));
    const today = todayIn(timeZone, now);
    const rotatedOn = v.rotatedOn ?? today;
    if (rotatedOn > today) throw new InvalidInput({ rotatedOn: "A rotation cannot be in the future" });
    let sealed = {};
    if (v.secret || v.totp) {
      const dataKey = await dataKeyForWrite(tx, kase.id);
      try {
        sealed = sealValues(dataKey, kase.id, before.id, {
          ...(v.secret ? { secret: v.secret } : {}),
          ...(v.totp ? { totpUri: normaliseTotp(v.totp, before.name) } : {}),
        });
      } finally {
        dataKey.fill(0);
      }
    }
    await tx
      .update(credentials)
      .set({
        ...sealed,
        rotatedOn,
        rotationMethod: v.method,
        rotatedById: actor.type === "staff" ? actor.id : null,
        rotatedByLabel: actor.label,
        rotationRecordedAt: now,
        updatedAt: now,
      })
      .where(and(eq(credentials.caseId, kase.id), eq(credentials.id, before.id)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "credential.rotation_recorded",
        payload: {
          credentialId: before.id,
          name: before.name,
          rotatedOn,
          method: v.method,
          secretReplaced: !!v.secret,
          totpReplaced: !!v.totp,
        },
      },
    });
    return { rotatedOn, releasable: rotatedOn >= kase.noticeReceivedOn };
  });
}

export async function removeCredential({ actor, caseId, credentialId }: { actor: Actor; caseId: string; credentialId: string }) {
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const before = await lockCredential(tx, kase.id, credentialId);
    await tx.delete(credentials).where(and(eq(credentials.caseId, kase.id), eq(credentials.id, before.id)));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "credential.removed", payload: { credentialId: before.id, name: before.name } } });
    return { name: before.name };
  });
}

/** Counts per case for the checklist: one grouped query for any number of cases. */
export async function loadVaultSummaries(executor: Executor, caseIds: string[]) {
  const summaries = new Map<string, VaultSummary>();
  if (caseIds.length === 0) return summaries;
  const rows = await executor
    .select({
      caseId: credentials.caseId,
      name: credentials.name,
      releaseTo: credentials.releaseTo,
      ready: rotatedAfterNotice,
      purged: sql<boolean>`${credentials.purgedAt} is not null`,
    })
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(inArray(credentials.caseId, caseIds))
    .orderBy(asc(credentials.name));
  const vaults = await executor
    .select({
      caseId: caseVaults.caseId,
      keysReceivedAt: caseVaults.keysReceivedAt,
      keysReceivedByLabel: caseVaults.keysReceivedByLabel,
      purgedAt: caseVaults.purgedAt,
    })
    .from(caseVaults)
    .where(inArray(caseVaults.caseId, caseIds));
  for (const vault of vaults) {
    summaries.set(vault.caseId, {
      total: 0,
      awaitingRotation: [],
      unreleased: [],
      releasedToProvider: 0,
      readyForProvider: 0,
      keysReceivedAt: vault.keysReceivedAt,
      keysReceivedBy: vault.keysReceivedByLabel?.replace(/\s*<[^>]*>$/, "") ?? null,
      purgedAt: vault.purgedAt,
    });
  }
  for (const row of rows) {
    const summary = summaries.get(row.caseId);
    if (!summary) continue;
    summary.total++;
    if (!row.ready) summary.awaitingRotation.push(row.name);
    if (!row.releaseTo) summary.unreleased.push(row.name);
    if (row.releaseTo === "incoming_provider" || row.releaseTo === "both") {
      summary.releasedToProvider++;
      if (row.ready && !row.purged) summary.readyForProvider++;
    }
  }
  return summaries;
}

export interface VaultSummary {
  total: number;
  awaitingRotation: string[];
  unreleased: string[];
  releasedToProvider: number;
  readyForProvider: number;
  keysReceivedAt: Date | null;
  keysReceivedBy: string | null;
  purgedAt: Date | null;
}
