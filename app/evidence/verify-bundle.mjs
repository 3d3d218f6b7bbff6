#!/usr/bin/env node
// @ts-check
// Checks a Handover evidence bundle with nothing but Node (20.11 or later): no npm install, no
// Handover, no network. Run it inside the unzipped folder: `node verify.mjs`.
// It prints the line `npx handover audit:verify` prints, in the same words (modified, deleted,
// reordered, inserted, truncated, recomputed), then one line about the bundle's files.
// Exit 0: intact. Exit 1: something was changed. Exit 2: a file the check needs cannot be read.
// This file ships inside every bundle as verify.mjs; chain-check.mjs beside it is the very code
// Handover hashes and verifies its audit trail with.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

class Unreadable extends Error {}

/** @param {string} name */
function read(name) {
  try {
    return fs.readFileSync(path.join(here, name));
  } catch {
    throw new Unreadable(`Cannot read ${name} in ${here}.`);
  }
}

/** @param {string} name */
function readJson(name) {
  const text = read(name).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** @param {Uint8Array} bytes */
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Every file below the folder, as a relative path with forward slashes. */
function listFiles(dir = here, prefix = "") {
  /** @type {string[]} */
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(path.join(dir, entry.name), relative));
    else files.push(relative);
  }
  return files;
}

/**
 * An event line as the chain hashes it: a full event of the case, or another case's event
 * reduced to its place in the chain (seq, prev_hash, hash).
 * @param {Record<string, unknown>} line
 */
function toStoredEvent(line) {
  const base = { seq: /** @type {number} */ (line.seq), prevHash: /** @type {string} */ (line.prev_hash), hash: /** @type {string} */ (line.hash) };
  if (!("occurred_at" in line)) return base;
  return {
    ...base,
    occurredAt: /** @type {string} */ (line.occurred_at),
    actorType: /** @type {string} */ (line.actor_type),
    actorId: /** @type {string | null} */ (line.actor_id),
    actorLabel: /** @type {string} */ (line.actor_label),
    caseId: /** @type {string | null} */ (line.case_id),
    action: /** @type {string} */ (line.action),
    payload: line.payload,
    ip: /** @type {string | null} */ (line.ip),
    userAgent: /** @type {string | null} */ (line.user_agent),
  };
}

async function main() {
  const { ChainWalker, canonicalJson, checkpointVerdict, describeVerdict, verifyCheckpoints } = await import("./chain-check.mjs").catch(() => {
    throw new Unreadable(`Cannot load chain-check.mjs in ${here}.`);
  });
  const manifest = readJson("manifest.json") ?? {};
  const jwks = readJson("keys/jwks.json") ?? { keys: [] };

  // 1. The checkpoints: each signature, and that they chain one to the next.
  const checkpointNames = fs.existsSync(path.join(here, "checkpoints"))
    ? fs.readdirSync(path.join(here, "checkpoints")).filter((name) => name.endsWith(".jws")).sort()
    : [];
  const { checkpoints, problem } = verifyCheckpoints(
    checkpointNames.map((name) => read(`checkpoints/${name}`).toString("utf8")),
    jwks,
  );

  // 2. The chain: every event of the case recomputed, every link followed, up to the checkpoint.
  /** @type {import("./chain-check.mjs").ChainVerdict} */
  let verdict;
  /** @type {Map<number, Record<string, unknown>>} */
  const fullEvents = new Map();
  if (problem) {
    verdict = checkpointVerdict(problem);
  } else {
    const lines = read("audit-events.jsonl").toString("utf8").split("\n").filter((line) => line !== "");
    /** @type {Array<ReturnType<typeof toStoredEvent>>} */
    const events = [];
    /** @type {{ seq: number; kind: string; detail: string } | null} */
    let unreadable = null;
    for (const [index, text] of lines.entries()) {
      try {
        const event = toStoredEvent(JSON.parse(text));
        events.push(event);
        if ("occurredAt" in event) fullEvents.set(event.seq, event);
      } catch {
        const seq = (events.at(-1)?.seq ?? Number(manifest.fromSeq) - 1) + 1;
        unreadable = { seq, kind: "modified", detail: `line ${index + 1} of audit-events.jsonl is not a readable event` };
        break;
      }
    }
    const walker = new ChainWalker({
      checkpoints,
      startAnywhere: true,
      lookups: {
        seqOfHash: async (hash) => events.find((event) => event.hash === hash)?.seq ?? null,
        eventsAt: async (occurredAt) => [...fullEvents.values()].filter((event) => event.occurredAt === occurredAt),
      },
    });
    for (const event of events) if (!(await walker.add(event))) break;
    verdict = walker.finish();
    if (verdict.ok && unreadable) verdict = { ok: false, ...unreadable, events: verdict.events };
    // The bundle starts at the case's first event: a stretch that starts later lost events.
    if (verdict.ok && events[0]?.seq !== manifest.fromSeq) {
      verdict = { ok: false, seq: Number(manifest.fromSeq), kind: "deleted", detail: `the bundle's events start at seq ${events[0]?.seq} instead of ${manifest.fromSeq}`, events: verdict.events };
    }
    // Full events belong to this case alone: another case's event appears only by its hashes.
    const foreign = [...fullEvents.values()].find((event) => event.caseId !== manifest.caseId);
    if (verdict.ok && foreign) {
      verdict = { ok: false, seq: Number(foreign.seq), kind: "inserted", detail: `event ${foreign.seq} belongs to no event of this case`, events: verdict.events };
    }
  }
  process.stdout.write(`${describeVerdict(verdict)}\n`);

  // 3. The files: each one against SHA256SUMS, and each document against the audit event that recorded it.
  /** @type {string[]} */
  const fileProblems = [];
  /** @type {Map<string, string>} */
  const listed = new Map();
  for (const line of read("SHA256SUMS").toString("utf8").split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) listed.set(/** @type {string} */ (match[2]), /** @type {string} */ (match[1]));
  }
  for (const [name, expected] of listed) {
    if (!fs.existsSync(path.join(here, name))) fileProblems.push(`${name}: deleted — listed in SHA256SUMS but missing`);
    else if (sha256(read(name)) !== expected) fileProblems.push(`${name}: modified — its SHA-256 differs from SHA256SUMS`);
  }
  for (const name of listFiles()) {
    if (name !== "SHA256SUMS" && !listed.has(name)) fileProblems.push(`${name}: inserted — not listed in SHA256SUMS`);
  }
  let recorded = 0;
  for (const document of Array.isArray(manifest.documents) ? manifest.documents : []) {
    if (!fs.existsSync(path.join(here, document.path))) continue;
    const actual = sha256(read(document.path));
    if (actual !== document.sha256) {
      fileProblems.push(`${document.path}: modified — its SHA-256 ${actual} is not the ${document.sha256} the bundle records`);
      continue;
    }
    if (document.recordedAt === null || document.recordedAt === undefined) continue;
    const event = fullEvents.get(document.recordedAt);
    if (!event || !canonicalJson(event.payload).includes(actual)) {
      fileProblems.push(`${document.path}: modified — audit event ${document.recordedAt} does not record its SHA-256 ${actual}`);
      continue;
    }
    recorded++;
  }
  if (fileProblems.length > 0) {
    for (const line of fileProblems) process.stdout.write(`Evidence file ${line}.\n`);
  } else {
    process.stdout.write(`Evidence files intact: ${listed.size} files match SHA256SUMS, ${recorded} documents as the audit trail recorded them.\n`);
  }
  return verdict.ok && fileProblems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error instanceof Unreadable ? error.message : `verify.mjs failed: ${String(error?.stack ?? error)}`}\n`);
    process.exitCode = 2;
  },
);
