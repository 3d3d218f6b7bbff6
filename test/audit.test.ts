import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { canonicalJson, recordAudit, systemActor } from "../app/audit/audit.server";
import { verifyAuditTrail } from "../app/audit/verify.server";
import { databaseHandle, queryRows } from "../db/client";
import { auditEvents } from "../db/schema";
import { testDb } from "./helpers/database";

async function appendEvents(count: number) {
  for (let i = 0; i < count; i++) {
    await testDb().transaction((tx) =>
      recordAudit(tx, {
        actor: { ...systemActor(), ip: "203.0.113.7", userAgent: "vitest" },
        event: { action: "msp.profile_updated", payload: { fields: [`field-${i}`] } },
      }),
    );
  }
}

describe("audit trail", () => {
  it("chains every event to the one before it", async () => {
    await appendEvents(3);
    const rows = await testDb().select().from(auditEvents).orderBy(auditEvents.seq);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    const verdict = await verifyAuditTrail({ handle: databaseHandle() });
    expect(verdict).toMatchObject({ ok: true, events: 3, head: { seq: 3, hash: rows[2]!.hash } });
  });

  it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    await appendEvents(1);
    await expect(testDb().execute(sql`update audit_events set actor_label = 'someone else'`)).rejects.toThrow();
    await expect(testDb().execute(sql`delete from audit_events`)).rejects.toThrow();
    await expect(testDb().execute(sql`truncate audit_events`)).rejects.toThrow();
    expect((await verifyAuditTrail({ handle: databaseHandle() })).ok).toBe(true);
  });

  it("rolls the event back with the change it records", async () => {
    const before = (await testDb().select().from(auditEvents)).length;
    await expect(
      testDb().transaction(async (tx) => {
        await recordAudit(tx, { actor: systemActor(), event: { action: "msp.profile_updated", payload: { fields: [] } } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect((await testDb().select().from(auditEvents)).length).toBe(before);
  });

  it("encodes payloads canonically whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, { y: 2, z: 1 }] }, b: 1 }),
    );
  });
});

describe("audit chain verification", () => {
  it("detects a row altered behind the triggers' back", async () => {
    await appendEvents(3);
    // Only a database owner can do this; the chain must still tell.
    await testDb().execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
    try {
      await testDb().execute(
        sql`update audit_events set ip = '198.51.100.1' where seq = (select max(seq) - 1 from audit_events)`,
      );
    } finally {
      await testDb().execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    }
    const verdict = await verifyAuditTrail({ handle: databaseHandle() });
    const [head] = await queryRows<{ max: number }>(testDb(), sql`select max(seq)::int as max from audit_events`);
    expect(verdict).toMatchObject({ ok: false, kind: "modified", seq: head!.max - 1 });
  });
});
