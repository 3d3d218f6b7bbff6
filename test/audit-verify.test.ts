// audit:verify against the seven ways someone with owner rights on the database could rewrite the
// record. Each tamper is plain SQL run as the database owner with the append-only triggers
// switched off (session_replication_role = replica), the way a person with psql would do it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, sql, type SQL } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Actor, hashAuditEvent, recordAudit } from "../app/audit/audit.server";
import { describeVerdict } from "../app/audit/chain-check.js";
import { checkpointFileName, createCheckpoint } from "../app/audit/checkpoints.server";
import { verifyAuditTrail } from "../app/audit/verify.server";
import { config, resetConfigCache } from "../app/config.server";
import { auditCommands } from "../cli/commands/audit";
import { type Database, type DatabaseHandle, databaseHandle, openPostgresDatabase, queryRows } from "../db/client";
import { auditEvents } from "../db/schema";
import { resetDatabase, testDb } from "./helpers/database";

const actor: Actor = { type: "staff", id: null, label: "Priya Raman <priya@msp.example>", ip: "203.0.113.9", userAgent: "vitest" };

async function appendEvents(count: number, database: Database = testDb()) {
  for (let i = 0; i < count; i++) {
    await database.transaction((tx) => recordAudit(tx, { actor, event: { action: "msp.profile_updated", payload: { fields: [`field-${i}`] } } }));
  }
}

/** Runs SQL as the database owner with every trigger off, in one transaction. */
async function asOwnerWithoutTriggers(statements: SQL[]) {
  await testDb().transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

/** What an owner who knows the algorithm does to hide an edit: recompute every hash from `fromSeq` on. */
async function recomputeChainFrom(fromSeq: number) {
  const rows = await testDb().select().from(auditEvents).orderBy(asc(auditEvents.seq));
  const statements: SQL[] = [];
  let prev = rows.find((row) => row.seq === fromSeq - 1)?.hash ?? "0".repeat(64);
  for (const row of rows.filter((r) => r.seq >= fromSeq)) {
    const hash = hashAuditEvent({ ...row, prevHash: prev });
    statements.push(sql`update audit_events set prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`);
    prev = hash;
  }
  await asOwnerWithoutTriggers(statements);
}

const verify = () => verifyAuditTrail({ handle: databaseHandle() });

let checkpointDir: string;
beforeEach(async () => {
  await resetDatabase();
  checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-checkpoints-"));
  process.env.HANDOVER_CHECKPOINT_DIR = checkpointDir;
  resetConfigCache();
  // Twelve events, vouched for by checkpoint 1 at seq 4 and checkpoint 2 at seq 12.
  await appendEvents(4);
  await createCheckpoint({ reason: "on_demand" });
  await appendEvents(8);
  await createCheckpoint({ reason: "on_demand" });
});

afterEach(() => {
  fs.rmSync(checkpointDir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("audit:verify on an intact trail", () => {
  it("counts the events and names the head and the latest checkpoint", async () => {
    const verdict = await verify();
    const [head] = await testDb().select({ hash: auditEvents.hash }).from(auditEvents).where(sql`seq = 12`);
    expect(verdict).toMatchObject({ ok: true, events: 12, head: { seq: 12, hash: head!.hash }, latestCheckpoint: { number: 2, seq: 12 } });
    expect(describeVerdict(verdict)).toMatch(
      new RegExp(`^Audit trail intact: 12 events checked, head seq 12 hash ${head!.hash}, latest checkpoint 2 at seq 12, \\d+ seconds old\\.$`),
    );
  });
});

describe("audit:verify names each kind of tampering", () => {
  it("modified: a payload changed", async () => {
    await asOwnerWithoutTriggers([sql`update audit_events set payload = '{"fields":["forged"]}' where seq = 7`]);
    expect(await verify()).toMatchObject({ ok: false, seq: 7, kind: "modified" });
  });

  it("modified: a row changed and its own hash recomputed", async () => {
    const [row] = await testDb().select().from(auditEvents).where(sql`seq = 7`);
    const forged = { ...row!, actorLabel: "Someone Else <someone@msp.example>" };
    await asOwnerWithoutTriggers([sql`update audit_events set actor_label = ${forged.actorLabel}, hash = ${hashAuditEvent(forged)} where seq = 7`]);
    expect(await verify()).toMatchObject({ ok: false, seq: 7, kind: "modified" });
  });

  it("deleted: a middle event removed", async () => {
    await asOwnerWithoutTriggers([sql`delete from audit_events where seq = 7`]);
    expect(await verify()).toMatchObject({ ok: false, seq: 7, kind: "deleted" });
  });

  it("truncated: the last events removed after a checkpoint vouched for them", async () => {
    await asOwnerWithoutTriggers([sql`delete from audit_events where seq > 10`]);
    expect(await verify()).toMatchObject({ ok: false, seq: 11, kind: "truncated" });
  });

  it("reordered: two events swapped", async () => {
    await asOwnerWithoutTriggers([
      sql`update audit_events set seq = 100000 where seq = 6`,
      sql`update audit_events set seq = 6 where seq = 7`,
      sql`update audit_events set seq = 7 where seq = 100000`,
    ]);
    expect(await verify()).toMatchObject({ ok: false, seq: 6, kind: "reordered" });
  });

  it("inserted: a forged event slipped in, the chain recomputed and the checkpoints deleted — caught by the checkpoint files", async () => {
    await asOwnerWithoutTriggers([
      sql`update audit_events set seq = seq + 100000 where seq >= 7`,
      sql`update audit_events set seq = seq - 100000 + 1 where seq >= 100000`,
      sql`insert into audit_events (seq, occurred_at, actor_type, actor_label, action, payload, prev_hash, hash)
          values (7, now() - interval '1 day', 'contact', 'Customer <ceo@customer.example>', 'waiver.signed', '{}', repeat('0', 64), repeat('e', 64))`,
      sql`delete from audit_checkpoints`,
    ]);
    await recomputeChainFrom(7);
    // Inside the database the rewrite is consistent: only the files outside it tell.
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-no-checkpoints-"));
    expect(await verifyAuditTrail({ handle: databaseHandle(), checkpointDir: emptyDir })).toMatchObject({ ok: true, events: 13 });
    expect(await verify()).toMatchObject({ ok: false, seq: 5, kind: "inserted" });
  });

  it("recomputed: an edit hidden by recomputing the whole chain and deleting the checkpoints — caught by the checkpoint files", async () => {
    await asOwnerWithoutTriggers([sql`update audit_events set payload = '{"fields":["forged"]}' where seq = 7`, sql`delete from audit_checkpoints`]);
    await recomputeChainFrom(1);
    const verdict = await verify();
    // Events 1–4 hash as before (nothing there changed), so checkpoint 1 still holds: the damage is after seq 4.
    expect(verdict).toMatchObject({ ok: false, seq: 5, kind: "recomputed" });
    expect(describeVerdict(verdict)).toMatch(/^Audit trail broken at seq 5: recomputed — the chain no longer holds checkpoint 2's head at seq 12/);
  });

  it("modified: a checkpoint file changed by one byte no longer verifies", async () => {
    const file = path.join(checkpointDir, checkpointFileName(1));
    const text = fs.readFileSync(file, "utf8");
    const at = text.lastIndexOf(".") + 5;
    fs.writeFileSync(file, text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1));
    expect(await verify()).toMatchObject({ ok: false, kind: "modified", detail: "checkpoint 1: its signature does not verify" });
  });
});

describe("the audit:verify command", () => {
  const command = auditCommands.find((c) => c.name === "audit:verify")!;

  async function run(values: Record<string, string | boolean>) {
    const printed: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const code = await command.run(values, { handle: databaseHandle() });
    vi.restoreAllMocks();
    return { code, out: printed.join("") };
  }

  it("exits 0 with one line when intact, 1 with the first bad seq when not, and prints only JSON with --json", async () => {
    const intact = await run({});
    expect(intact.code).toBe(0);
    expect(intact.out.trim().split("\n")).toHaveLength(1);
    expect(intact.out).toMatch(/^Audit trail intact: 12 events checked/);

    await asOwnerWithoutTriggers([sql`delete from audit_events where seq = 3`]);
    const broken = await run({ json: true });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toMatchObject({ ok: false, seq: 3, kind: "deleted", message: expect.stringMatching(/^Audit trail broken at seq 3: deleted/) });
  });

  it("reads checkpoint files from --checkpoints DIR", async () => {
    await asOwnerWithoutTriggers([sql`update audit_events set payload = '{"fields":["forged"]}' where seq = 2`, sql`delete from audit_checkpoints`]);
    await recomputeChainFrom(1);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "handover-copied-checkpoints-"));
    fs.cpSync(checkpointDir, elsewhere, { recursive: true });
    fs.rmSync(checkpointDir, { recursive: true, force: true });
    expect((await run({})).code).toBe(0);
    const result = await run({ checkpoints: elsewhere });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Audit trail broken at seq 1: recomputed/);
  });

  it("exits 2 when it cannot connect, and when the embedded database is held by a running server", () => {
    const cli = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["bin/handover.js", "audit:verify"], {
        env: { ...process.env, ...env, NODE_ENV: "development" },
        encoding: "utf8",
        timeout: 60_000,
      });
    const unreachable = cli({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/handover" });
    expect(unreachable.status).toBe(2);
    expect(unreachable.stdout).toBe("");

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-locked-"));
    fs.writeFileSync(path.join(dataDir, "pglite.lock"), JSON.stringify({ pid: process.pid, holder: "the Handover server" }));
    const { DATABASE_URL: _unused, ...withoutUrl } = process.env;
    const locked = spawnSync(process.execPath, ["bin/handover.js", "audit:verify"], {
      env: { ...withoutUrl, HANDOVER_DATA_DIR: dataDir, NODE_ENV: "development" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(locked.status).toBe(2);
    expect(locked.stderr).toContain("is in use by the Handover server");
    // Two cold starts of the command line: slow on a loaded machine, and the answer is what counts.
  }, 150_000);
});

describe.runIf(!!process.env.DATABASE_URL)("concurrent appends on PostgreSQL", () => {
  let second: DatabaseHandle | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
  });

  it("keep one chain when two connections append at once", async () => {
    const [current] = await queryRows<{ name: string }>(testDb(), sql`select current_database() as name`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${current!.name}`;
    second = openPostgresDatabase(url.toString(), { max: 4 });
    const appendMany = (database: Database) => Promise.all(Array.from({ length: 4 }, () => appendEvents(10, database)));
    await Promise.all([appendMany(testDb()), appendMany(second.db)]);
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, events: 12 + 80 });
    const [counts] = await queryRows<{ n: number; distinct_prev: number }>(testDb(), sql`select count(*)::int as n, count(distinct prev_hash)::int as distinct_prev from audit_events`);
    expect(counts).toEqual({ n: 92, distinct_prev: 92 });
  });
});

// The configured folder is the default one for checkpoints written by createCheckpoint().
it("writes checkpoints to HANDOVER_CHECKPOINT_DIR", () => {
  expect(config().HANDOVER_CHECKPOINT_DIR).toBe(checkpointDir);
  expect(fs.readdirSync(checkpointDir).sort()).toEqual([checkpointFileName(1), checkpointFileName(2)]);
});
