// `audit:verify` over a long trail: 1,000,000 events on PostgreSQL, then one signed checkpoint of
// the head, verified by a separate process (so its peak RSS is the verifier's alone, not the
// seeder's). Target: at least 200,000 events/s with a peak RSS under 200 MB — memory must stay flat
// however long the chain is.
//
// The events are seeded with COPY, their hashes chained here with the recorder's own hashEvent(), so
// the chain is exactly what recordAudit() would have written, a million times faster than one
// transaction per event.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type postgres from "postgres";
import { GENESIS_HASH, canonicalJson, hashEvent } from "../app/audit/chain-check.js";
import { createCheckpoint } from "../app/audit/checkpoints.server";
import { AUDIT_CHAIN_COPY } from "../app/audit/verify.server";
import { resetConfigCache } from "../app/config.server";
import { createBenchDatabase } from "./bench-db";

const EVENTS = 1_000_000;
const TARGET_EVENTS_PER_SECOND = 200_000;
const TARGET_RSS_BYTES = 200 * 1024 * 1024;
const run = promisify(execFile);
const cores = os.availableParallelism();
const BOUNDED_HEAP = ["--max-old-space-size=96", "--max-semi-space-size=4"];

// A mix of the trail's real shapes: small staff events, reveals, list acknowledgements with items.
const caseIds = Array.from({ length: 200 }, () => randomUUID());
const staffIds = Array.from({ length: 20 }, () => randomUUID());
function eventAt(seq: number, occurredAt: string, prevHash: string) {
  const caseId = caseIds[seq % caseIds.length]!;
  const staffId = staffIds[seq % staffIds.length]!;
  const kind = seq % 4;
  const base = { seq, occurredAt, prevHash, ip: "198.51.100.23", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" };
  if (kind === 0) return { ...base, actorType: "staff", actorId: staffId, actorLabel: "Priya Raman <priya@msp.example>", caseId: null, action: "staff.signed_in", payload: { userId: staffId } };
  if (kind === 1) {
    return { ...base, actorType: "contact", actorId: randomUUID(), actorLabel: "Sofia Lindqvist <sofia@provider.example>", caseId, action: "credential.revealed",
      payload: { credentialId: randomUUID(), name: "FortiGate 60F admin", withTotpCode: false, withNotes: true } };
  }
  if (kind === 2) {
    return { ...base, actorType: "staff", actorId: staffId, actorLabel: "Priya Raman <priya@msp.example>", caseId, action: "hardware.updated",
      payload: { itemId: randomUUID(), changes: { location: { from: "Comms cabinet", to: "Reception" }, serialNumber: { from: "FGT60F1", to: "FGT60F2" } } } };
  }
  return { ...base, actorType: "contact", actorId: randomUUID(), actorLabel: "Dr. Helen Carter <helen@customer.example>", caseId, action: "list.acknowledged",
    payload: { kind: "hardware", acknowledgementId: randomUUID(), versionId: randomUUID(), version: 3, sha256: "ab".repeat(32), contactId: randomUUID(), earlyRetrieval: [{ itemId: randomUUID(), item: "Synology DS920+ (NW-0420)", agreedFrom: "2026-01-12" }] } };
}

// COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL.
const copyText = (value: string | null) =>
  value === null ? "\\N" : value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

async function seedChain(client: postgres.Sql) {
  const stream = await client`copy audit_events (seq, occurred_at, actor_type, actor_id, actor_label, case_id, action, payload, ip, user_agent, prev_hash, hash) from stdin`.writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  const start = Date.now() - EVENTS; // one millisecond apart, ending now
  let prev = GENESIS_HASH;
  let chunk: string[] = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const event = eventAt(seq, new Date(start + seq).toISOString(), prev);
    const hash = hashEvent(event);
    chunk.push(
      [seq, event.occurredAt, event.actorType, event.actorId, event.actorLabel, event.caseId, event.action, canonicalJson(event.payload), event.ip, event.userAgent, prev, hash]
        .map((value) => copyText(value === null ? null : String(value)))
        .join("\t"),
    );
    prev = hash;
    if (chunk.length === 5_000 || seq === EVENTS) {
      // Waits for the socket to drain: the seeder's memory stays small too.
      if (!stream.write(`${chunk.join("\n")}\n`)) await new Promise((resolve) => stream.once("drain", resolve));
      chunk = [];
    }
  }
  stream.end();
  await done;
  await client`analyze audit_events`;
  return prev;
}

/**
 * The floor under any verifier on this machine: recomputing the hashes alone (canonical JSON and
 * SHA-256 of events already in memory, one thread), with no database and no rows to parse.
 */
function hashingAlonePerSecond() {
  // A small set hashed over and over: the events stay in the young generation, so the figure is
  // the hashing's, not the garbage collector's. Median of five passes.
  const events = Array.from({ length: 20_000 }, (_, index) => eventAt(index + 1, new Date(1_760_000_000_000 + index).toISOString(), GENESIS_HASH));
  const rates = Array.from({ length: 5 }, () => {
    const started = performance.now();
    for (let round = 0; round < 5; round++) for (const event of events) hashEvent(event);
    return (5 * events.length) / ((performance.now() - started) / 1000);
  }).sort((a, b) => a - b);
  return rates[2]!;
}

export async function benchAuditVerify() {
  const checkpointDir = fs.mkdtempSync(path.join(process.env.HANDOVER_DATA_DIR!, "checkpoints-"));
  process.env.HANDOVER_CHECKPOINT_DIR = checkpointDir;
  resetConfigCache();
  const bench = await createBenchDatabase();
  try {
    const client = (bench.handle.db as unknown as { $client: postgres.Sql }).$client;
    const started = performance.now();
    const head = await seedChain(client);
    const seedSeconds = (performance.now() - started) / 1000;
    const checkpoint = await createCheckpoint({ reason: "on_demand" });
    if (!checkpoint || checkpoint.headHash !== head) throw new Error("bench: the checkpoint does not vouch for the seeded head");

    // The verifier runs alone in its own process, as `npx handover audit:verify` would: once as it
    // starts by default, once with a bounded heap (NODE_OPTIONS), where V8 collects garbage early
    // instead of growing — the streamed rows are garbage the moment they are hashed.
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), "audit-verify-child.ts");
    const verify = async (nodeFlags: string[], args: string[] = []) => {
      const started = performance.now();
      const { stdout } = await run(process.execPath, [...nodeFlags, "--import", "tsx", child, ...args], {
        env: { ...process.env, DATABASE_URL: bench.url, HANDOVER_CHECKPOINT_DIR: checkpointDir },
        maxBuffer: 1024 * 1024,
      });
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { ok: boolean; events: number; message: string; seconds: number; maxRssBytes: number };
      return { ...result, perSecond: result.events / result.seconds, processSeconds: (performance.now() - started) / 1000 };
    };
    // The database's own share: PostgreSQL producing the verifier's COPY stream, psql discarding it.
    const serverStarted = performance.now();
    await run("sh", ["-c", 'psql "$0" -X -q -c "$1" > /dev/null', bench.url, AUDIT_CHAIN_COPY]);
    const serverSeconds = (performance.now() - serverStarted) / 1000;
    const floor = hashingAlonePerSecond();
    const reading = await verify([], ["--read-only"]);
    const plain = await verify([]);
    const bounded = await verify(BOUNDED_HEAP);
    const describe = (label: string, result: typeof plain) =>
      `${label}: ${result.seconds.toFixed(2)} s, ${Math.round(result.perSecond).toLocaleString("en-GB")} events/s, peak RSS ${(result.maxRssBytes / 1024 / 1024).toFixed(0)} MB (whole process ${result.processSeconds.toFixed(1)} s)`;
    return {
      name: `audit:verify over ${EVENTS.toLocaleString("en-GB")} events (PostgreSQL)`,
      lines: [
        `seeded with COPY in ${seedSeconds.toFixed(1)} s; checkpoint ${checkpoint.number} at seq ${checkpoint.auditSeq}`,
        `verdict: ${plain.message}`,
        describe("default heap", plain),
        describe(`NODE_OPTIONS="${BOUNDED_HEAP.join(" ")}"`, bounded),
        `PostgreSQL producing the stream alone (psql to /dev/null): ${serverSeconds.toFixed(2)} s, ${Math.round(EVENTS / serverSeconds).toLocaleString("en-GB")} events/s`,
        describe("reading the rows alone, nothing hashed", reading),
        `hashing alone, in memory, one thread: ${Math.round(floor).toLocaleString("en-GB")} events/s (the verifier reaches ${Math.round((plain.perSecond / floor) * 100)} % of it)`,
        // The database and the hashing share this machine's cores: even split perfectly over all of
        // them, the verifier cannot beat their summed work divided by the core count.
        `floor on ${cores} cores (PostgreSQL's work plus the hashing, perfectly shared): ${Math.round(EVENTS / ((serverSeconds + EVENTS / floor) / cores)).toLocaleString("en-GB")} events/s at best`,
        `targets: ≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString("en-GB")} events/s, peak RSS < ${TARGET_RSS_BYTES / 1024 / 1024} MB (judged on the default heap)`,
      ],
      ok: plain.ok && bounded.ok && plain.events === EVENTS && plain.perSecond >= TARGET_EVENTS_PER_SECOND && plain.maxRssBytes < TARGET_RSS_BYTES,
    };
  } finally {
    await bench.drop();
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  }
}
