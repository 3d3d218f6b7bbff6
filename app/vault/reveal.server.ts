// Revealing one secret to one person, on the record. The value leaves the server only in the
// response to this explicit request; the audit event and the email say who saw which credential,
// never what it is.
import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { cases, credentials, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { NotFound, Forbidden } from "../http/refusals.server";
import type { ContactRole } from "../cases/vocabulary";
import { enqueueEmail } from "../mail/outbox.server";
import { partyOfRole, releasedTo, rotatedAfterNotice } from "./credentials.server";
import { openVault } from "./data-keys.server";
import { decryptField } from "./envelope.server";
import { AwaitingRotationError, KeysReceivedError, SecretsPurgedError } from "./errors.server";
import { currentTotpCode } from "./totp.server";

export interface RevealedCredential {
  credentialId: string;
  name: string;
  secret: string;
  notes: string | null;
  /** The code an authenticator would show now, when a TOTP seed is stored (never the seed itself). */
  totp: { code: string; secondsLeft: number } | null;
}

const STAFF_WHO_MAY_REVEAL = ["admin", "engineer"] as const;

async function credentialRow(tx: Transaction, caseId: string, credentialId: string, party: ReturnType<typeof partyOfRole> | null) {
  const id = assertId(credentialId, "Credential");
  const [row] = await tx
    .select({
      id: credentials.id,
      caseId: credentials.caseId,
      name: credentials.name,
      secretCiphertext: credentials.secretCiphertext,
      totpCiphertext: credentials.totpCiphertext,
      notesCiphertext: credentials.notesCiphertext,
      purgedAt: credentials.purgedAt,
      ready: rotatedAfterNotice,
    })
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(and(eq(credentials.caseId, caseId), eq(credentials.id, id), ...(party ? [releasedTo(party)] : [])));
  // Another case's credential, or one not released to this party: as if it did not exist.
  if (!row) throw new NotFound("Credential not found");
  return row;
}

function decryptAll(dataKey: Buffer, row: Awaited<ReturnType<typeof credentialRow>>, now: Date): RevealedCredential {
  if (row.purgedAt || !row.secretCiphertext) throw new SecretsPurgedError();
  const at = (field: "secret" | "totp" | "notes") => ({ dataKey, caseId: row.caseId, credentialId: row.id, field });
  const totpUri = row.totpCiphertext ? decryptField({ ...at("totp"), sealed: row.totpCiphertext }) : null;
  return {
    credentialId: row.id,
    name: row.name,
    secret: decryptField({ ...at("secret"), sealed: row.secretCiphertext }),
    notes: row.notesCiphertext ? decryptField({ ...at("notes"), sealed: row.notesCiphertext }) : null,
    totp: totpUri ? currentTotpCode(totpUri, now.getTime()) : null,
  };
}

/** The responsible engineer hears of every reveal and export of the case's credentials. */
export async function notifyEngineer(
  tx: Transaction,
  {
    caseId,
    actor,
    what,
    credentialNames,
    format,
    occurredAt,
  }: { caseId: string; actor: Actor; what: "revealed" | "exported"; credentialNames: string[]; format?: string; occurredAt: Date },
) {
  const [row] = await tx
    .select({
      reference: cases.reference,
      customer: cases.customerLegalName,
      timeZone: cases.timeZone,
      engineerName: staffUsers.name,
      engineerEmail: staffUsers.email,
      engineerDeactivatedAt: staffUsers.deactivatedAt,
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(eq(cases.id, caseId));
  if (!row || row.engineerDeactivatedAt) return;
  await enqueueEmail(tx, {
    to: { name: row.engineerName, email: row.engineerEmail },
    template: "credential-access",
    caseId,
    props: {
      recipientName: row.engineerName,
      actorLabel: actor.label,
      actorKind: actor.type === "contact" ? "external" : actor.type === "staff" ? "staff" : "system",
      what,
      credentialNames,
      format,
      caseName: `${row.customer} (${row.reference})`,
      occurredAt,
      timeZone: row.timeZone,
      ip: actor.ip ?? null,
      caseUrl: `/app/cases/${caseId}/credentials`,
    },
  });
}

/**
 * A customer signer or incoming-provider contact reveals one credential released to their party
 * and rotated since notice. The route has checked role and a fresh step-up.
 */
export async function revealForContact({
  actor,
  caseId,
  credentialId,
  role,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  credentialId: string;
  role: ContactRole;
  now?: Date;
}): Promise<RevealedCredential> {
  return inTransaction(async (tx) => {
    const row = await credentialRow(tx, caseId, credentialId, partyOfRole(role));
    if (row.purgedAt) throw new SecretsPurgedError();
    // The scrub gate, enforced where the value is read: an unrotated secret never leaves.
    if (!row.ready) throw new AwaitingRotationError();
    return revealRow(tx, { actor, row, now });
  });
}

async function revealRow(tx: Transaction, { actor, row, now }: { actor: Actor; row: Awaited<ReturnType<typeof credentialRow>>; now: Date }) {
  const vault = await openVault(tx, row.caseId);
  if (!vault || vault.state.purgedAt) throw new SecretsPurgedError();
  const dataKey = vault.dataKey();
  let revealed: RevealedCredential;
  try {
    revealed = decryptAll(dataKey, row, now);
  } finally {
    dataKey.fill(0);
  }
  await recordAudit(tx, {
    actor,
    caseId: row.caseId,
    event: {
      action: "credential.revealed",
      payload: { credentialId: row.id, name: row.name, withTotpCode: revealed.totp !== null, withNotes: revealed.notes !== null },
    },
  });
  await notifyEngineer(tx, { caseId: row.caseId, actor, what: "revealed", credentialNames: [row.name], occurredAt: now });
  return revealed;
}

/**
 * An admin or engineer reveals one credential of the case (to rotate it, or to answer the
 * customer). Refused, and recorded, once the incoming provider has confirmed the keys received.
 */
export async function revealForStaff({
  actor,
  caseId,
  credentialId,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  credentialId: string;
  now?: Date;
}): Promise<RevealedCredential> {
  const outcome = await inTransaction(async (tx) => {
    // The role as it is now, not as the session believed: a demotion to legal takes effect at once.
    const [staff] =
      actor.type === "staff" && actor.id
        ? await tx
            .select({ role: staffUsers.role })
            .from(staffUsers)
            .where(and(eq(staffUsers.id, actor.id), isNull(staffUsers.deactivatedAt)))
        : [];
    if (!staff || !(STAFF_WHO_MAY_REVEAL as readonly string[]).includes(staff.role)) {
      throw new Forbidden("Only admins and engineers can reveal credentials.");
    }
    const row = await credentialRow(tx, assertId(caseId, "Case"), credentialId, null);
    const vault = await openVault(tx, row.caseId);
    if (vault?.state.keysReceivedAt) {
      const receivedAt = vault.state.keysReceivedAt;
      await recordAudit(tx, {
        actor,
        caseId: row.caseId,
        event: {
          action: "credential.reveal_refused",
          payload: { credentialId: row.id, name: row.name, reason: "keys_received", keysReceivedAt: receivedAt.toISOString() },
        },
      });
      // Committed as a refusal: the attempt stays on the record.
      return { refused: receivedAt, revealed: null };
    }
    return { refused: null, revealed: await revealRow(tx, { actor, row, now }) };
  });
  if (outcome.refused) throw new KeysReceivedError(outcome.refused);
  return outcome.revealed!;
}
