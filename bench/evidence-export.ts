// Exporting the evidence bundle of a case with 10,000 audit events (and a few of another case's
// between them, which the bundle carries by their hashes only): the time of the whole export,
// from reading the stretch of the chain to the zip and its recorded audit event.
import { desc, sql } from "drizzle-orm";
import { type Actor, hashAuditEvent } from "../app/audit/audit.server";
import { createCheckpoint } from "../app/audit/checkpoints.server";
import { createCase } from "../app/cases/cases.server";
import { resetConfigCache } from "../app/config.server";
import { exportEvidenceBundle } from "../app/evidence/bundle.server";
import { createStaffUser } from "../app/staff/users.server";
import { db } from "../db/client";
import { auditEvents } from "../db/schema";
import { createBenchDatabase } from "./bench-db";

const CASE_EVENTS = 10_000;
const TARGET_MS = 5_000;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function benchEvidenceExport() {
  resetConfigCache();
  const bench = await createBenchDatabase();
  try {
    const system: Actor = { type: "system", id: null, label: "bench" };
    const legal = await createStaffUser({ actor: system, email: "legal@bench.test", name: "Bench Legal", role: "legal" });
    const engineer = await createStaffUser({ actor: system, email: "engineer@bench.test", name: "Bench Engineer", role: "engineer" });
    const actor: Actor = { type: "staff", id: engineer.userId, label: "Bench Engineer <engineer@bench.test>" };
    const input = (customerLegalName: string) => ({
      customerLegalName,
      customerAddress: "1 Bench Street",
      incomingProviderName: "Bench IT",
      noticeReceivedOn: day(-10),
      cutoverOn: day(20),
      portalAccessEndsOn: day(90),
      timeZone: "Europe/London",
      responsibleEngineerId: engineer.userId,
    });
    const { id: caseId } = await createCase({ actor, input: input("Bench Case Ltd") });
    const { id: otherId } = await createCase({ actor, input: input("Other Customer Ltd") });
    // The events are hashed here and inserted in one statement: one by one through the recorder
    // would take minutes. Every 101st belongs to the other case.
    const [head] = await db().select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
    let prev = head!.hash;
    let seq = head!.seq;
    const rows: string[] = [];
    const start = new Date();
    for (let i = 0; i < CASE_EVENTS + CASE_EVENTS / 100; i++) {
      seq++;
      const mine = i % 101 !== 100;
      const event = {
        seq,
        occurredAt: new Date(start.getTime() + i),
        actorType: "staff" as const,
        actorId: engineer.userId,
        actorLabel: actor.label,
        caseId: mine ? caseId : otherId,
        action: "hardware.updated",
        payload: { itemId: "00000000-0000-4000-8000-000000000000", changes: { notes: { from: `note ${i}`, to: `note ${i + 1}` } } },
        ip: "203.0.113.9",
        userAgent: "bench",
        prevHash: prev,
      };
      const hash = hashAuditEvent(event);
      rows.push(JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString(), hash }));
      prev = hash;
    }
    await db().execute(sql`
      insert into audit_events (seq, occurred_at, actor_type, actor_id, actor_label, case_id, action, payload, ip, user_agent, prev_hash, hash)
      select (e->>'seq')::bigint, (e->>'occurredAt')::timestamptz, (e->>'actorType')::actor_type, (e->>'actorId')::uuid, e->>'actorLabel',
             (e->>'caseId')::uuid, e->>'action', e->'payload', e->>'ip', e->>'userAgent', e->>'prevHash', e->>'hash'
        from jsonb_array_elements(${`[${rows.join(",")}]`}::jsonb) as e`);
    await createCheckpoint({ reason: "on_demand" });

    const legalActor: Actor = { type: "staff", id: legal.userId, label: "Bench Legal <legal@bench.test>" };
    const started = performance.now();
    const bundle = await exportEvidenceBundle({ actor: legalActor, caseId, via: "cli" });
    const ms = performance.now() - started;
    return {
      name: "Evidence export of a case with 10,000 events (PostgreSQL)",
      lines: [
        `${bundle.caseEvents} events of the case, ${bundle.events - bundle.caseEvents} of another case as hashes only; zip ${(bundle.bytes.byteLength / 1024).toFixed(0)} KiB`,
        `export: ${ms.toFixed(0)} ms (target ≤ ${TARGET_MS} ms)`,
      ],
      ok: ms <= TARGET_MS,
    };
  } finally {
    await bench.drop();
  }
}
