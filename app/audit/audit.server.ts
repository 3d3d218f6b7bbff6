import { desc, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { GENESIS_HASH, canonicalJson, hashEvent } from "./chain-check.js";
import type { AuditEvent } from "./events";

/** Every column an event's hash covers, with its seq and hash: what a verifier reads back. */
export const auditEventColumns = {
  seq: auditEvents.seq,
  occurredAt: auditEvents.occurredAt,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actorLabel: auditEvents.actorLabel,
  caseId: auditEvents.caseId,
  action: auditEvents.action,
  payload: auditEvents.payload,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  prevHash: auditEvents.prevHash,
  hash: auditEvents.hash,
};

export { GENESIS_HASH, canonicalJson } from "./chain-check.js";

/** Who did something, and from where. Every state change names one. */
export interface Actor {
  type: "staff" | "contact" | "system";
  id: string | null;
  label: string;
  ip?: string | null;
  userAgent?: string | null;
}

export const systemActor = (label = "Handover"): Actor => ({ type: "system", id: null, label });

// Any stable constant works; it only has to be the same for every writer of the trail.
const AUDIT_APPEND_LOCK = 0x48414e44; // "HAND"

export interface StoredAuditEvent {
  seq: number;
  occurredAt: Date;
  actorType: Actor["type"];
  actorId: string | null;
  actorLabel: string;
  caseId: string | null;
  action: string;
  payload: unknown;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
}

/** SHA-256 over the previous hash and every other stored column, so that no column can change unseen. */
export function hashAuditEvent(event: StoredAuditEvent): string {
  return hashEvent({ ...event, occurredAt: event.occurredAt.toISOString() });
}

/**
 * Serialises writers of the chain (and of its checkpoints) until the transaction ends, so that
 * sequence numbers and previous hashes never fork.
 */
export async function lockAuditAppend(tx: Transaction) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
}

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change, so the
 * change and its record commit together or not at all. The advisory lock serialises writers so
 * that sequence numbers and previous hashes never fork; it is released at commit.
 */
export async function recordAudit(
  tx: Transaction,
  { actor, caseId = null, event }: { actor: Actor; caseId?: string | null; event: AuditEvent },
): Promise<{ seq: number; hash: string }> {
  await lockAuditAppend(tx);
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const stored: StoredAuditEvent = {
    seq: (head?.seq ?? 0) + 1,
    // Millisecond precision survives the round trip through timestamptz exactly.
    occurredAt: new Date(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    caseId,
    action: event.action,
    payload: JSON.parse(canonicalJson(event.payload)) as unknown,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashAuditEvent(stored);
  await tx.insert(auditEvents).values({ ...stored, payload: stored.payload as object, hash });
  return { seq: stored.seq, hash };
}

/** Events of one case, newest first, for timelines. Payloads never hold secrets. */
export async function listCaseEvents(executor: Executor, { caseId, limit = 200 }: { caseId: string; limit?: number }) {
  return executor
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      payload: auditEvents.payload,
    })
    .from(auditEvents)
    .where(sql`${auditEvents.caseId} = ${caseId}`)
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
}
