// The Records page: the chain verification `npx handover audit:verify` runs (the same function),
// run on request by legal or an admin. Each run is recorded as an `audit.verified` event with its
// finding, so the page shows the latest finding without walking the chain on every view, and the
// trail itself says who checked it when and what they found.
import { and, desc, eq, isNull } from "drizzle-orm";
import { databaseHandle, db } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { type ChainVerdict, describeVerdict } from "../audit/chain-check.js";
import { verifyAuditTrail } from "../audit/verify.server";
import { inTransaction } from "../http/transaction.server";
import type { VerificationFinding } from "./audit-events";

export interface VerificationRun {
  seq: number;
  ranAt: Date;
  ranBy: string;
  finding: VerificationFinding;
  /** The line the command prints for this finding, with the checkpoint's age at the time of the run. */
  message: string;
  /** The latest checkpoint's age when the run was made, in seconds. */
  checkpointAgeSeconds: number | null;
}

const findingOf = (verdict: ChainVerdict): VerificationFinding =>
  verdict.ok
    ? { ok: true, events: verdict.events, head: verdict.head, latestCheckpoint: verdict.latestCheckpoint, checkpointsChecked: verdict.checkpointsChecked }
    : { ok: false, seq: verdict.seq, kind: verdict.kind, detail: verdict.detail, events: verdict.events };

function runOf(row: { seq: number; occurredAt: Date; actorLabel: string; payload: unknown }): VerificationRun {
  const finding = row.payload as VerificationFinding;
  const checkpoint = finding.ok ? finding.latestCheckpoint : null;
  return {
    seq: row.seq,
    ranAt: row.occurredAt,
    ranBy: row.actorLabel,
    finding,
    message: describeVerdict(finding as ChainVerdict, row.occurredAt),
    checkpointAgeSeconds: checkpoint ? Math.round((row.occurredAt.getTime() - Date.parse(checkpoint.time)) / 1000) : null,
  };
}

// A walk over a long chain takes seconds; requests arriving while one runs share it instead of
// starting walks of their own (each run is still recorded for whoever asked).
let running: Promise<ChainVerdict> | null = null;

/** Recomputes the whole chain now and records who ran it and what it found. */
export async function runVerification({ actor }: { actor: Actor }): Promise<VerificationRun> {
  running ??= verifyAuditTrail({ handle: databaseHandle() }).finally(() => {
    running = null;
  });
  const verdict = await running;
  const finding = findingOf(verdict);
  const { seq } = await inTransaction((tx) => recordAudit(tx, { actor, event: { action: "audit.verified", payload: finding } }));
  const [row] = await db()
    .select({ seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel, payload: auditEvents.payload })
    .from(auditEvents)
    .where(eq(auditEvents.seq, seq));
  return runOf(row!);
}

/** The most recent recorded run, or null before the first. */
export async function latestVerification(): Promise<VerificationRun | null> {
  const [row] = await db()
    .select({ seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel, payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "audit.verified"), isNull(auditEvents.caseId)))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row ? runOf(row) : null;
}
