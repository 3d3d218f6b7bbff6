import { createHash } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { auditEvents } from "../../db/schema";
import type { AuditEvent } from "./events";

export const GENESIS_HASH = "0".repeat(64);

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

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. The same value always
 * encodes to the same bytes, whichever order its keys were written or stored in (jsonb reorders).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("non-finite number in audit payload");
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

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
  const body = canonicalJson({
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    caseId: event.caseId,
    action: event.action,
    payload: event.payload,
    ip: event.ip,
    userAgent: event.userAgent,
  });
  return createHash("sha256").update(event.prevHash).update("\n").update(body).digest("hex");
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
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
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

/** Recomputes the chain from the start; returns the first broken link, if any. */
export async function verifyAuditChain(
  executor: Executor,
): Promise<{ ok: true; count: number; headHash: string } | { ok: false; brokenAtSeq: number; reason: string }> {
  const rows = await executor.select().from(auditEvents).orderBy(auditEvents.seq);
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { ok: false, brokenAtSeq: row.seq, reason: "sequence gap" };
    if (row.prevHash !== prev) return { ok: false, brokenAtSeq: row.seq, reason: "previous hash mismatch" };
    const recomputed = hashAuditEvent({ ...row, actorType: row.actorType });
    if (recomputed !== row.hash) return { ok: false, brokenAtSeq: row.seq, reason: "content hash mismatch" };
    prev = row.hash;
    expectedSeq++;
  }
  return { ok: true, count: rows.length, headHash: prev };
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
