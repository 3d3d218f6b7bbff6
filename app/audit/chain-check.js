// @ts-check
// The audit chain's hash and its check, in plain JavaScript that needs nothing but Node: the
// recorder (audit.server.ts) hashes with it, `npx handover audit:verify` checks with it, and the
// evidence bundle ships this very file, so that the bundle's own script recomputes the chain the
// same way, years later, without Handover or npm. See docs/decisions/010-signed-checkpoints.md.
import { Buffer } from "node:buffer";
import * as crypto from "node:crypto";
import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. The same value always
 * encodes to the same bytes, whichever order its keys were written or stored in (jsonb reorders).
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("non-finite number in audit payload");
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = /** @type {Record<string, unknown>} */ (value);
  // Array.prototype.sort's default order compares UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(object).sort();
  let out = "{";
  for (const key of keys) {
    const entry = object[key];
    if (entry === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(entry)}`;
  }
  return `${out}}`;
}

/**
 * One stored event, as the chain hashes it.
 * @typedef {object} ChainEvent
 * @property {number} seq
 * @property {string} occurredAt ISO-8601 with milliseconds (Date.prototype.toISOString)
 * @property {string} actorType
 * @property {string | null} actorId
 * @property {string} actorLabel
 * @property {string | null} caseId
 * @property {string} action
 * @property {unknown} payload
 * @property {string | null} ip
 * @property {string | null} userAgent
 * @property {string} prevHash
 */

/**
 * SHA-256 (hex) of a string's UTF-8 bytes. The one-shot crypto.hash (Node 20.12 and later) costs
 * half of a Hash object; the bundle's script may meet an older Node, which has only the object.
 * @type {(text: string) => string}
 */
export const sha256Hex =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => createHash("sha256").update(text).digest("hex");

/** @param {string | null} value */
const str = (value) => (value === null || value === undefined ? "null" : JSON.stringify(value));

/**
 * The canonical JSON of every stored column but the hashes, spelled out in canonical (sorted)
 * key order: the same bytes canonicalJson() gives for the object, without sorting ten keys per event.
 * @param {ChainEvent} event
 * @param {boolean} withSeq
 */
function eventBody(event, withSeq) {
  return (
    `{"action":${str(event.action)},"actorId":${str(event.actorId)},"actorLabel":${str(event.actorLabel)},` +
    `"actorType":${str(event.actorType)},"caseId":${str(event.caseId)},"ip":${str(event.ip)},` +
    `"occurredAt":${str(event.occurredAt)},"payload":${canonicalJson(event.payload)},` +
    (withSeq ? `"seq":${canonicalJson(event.seq)},` : "") +
    `"userAgent":${str(event.userAgent)}}`
  );
}

/**
 * SHA-256 over the previous hash, a newline and the canonical JSON of every other stored column.
 * @param {ChainEvent} event
 * @returns {string}
 */
export function hashEvent(event) {
  return sha256Hex(`${event.prevHash}\n${eventBody(event, true)}`);
}

/**
 * What an event says, whatever its place in the chain (no seq, no previous hash): a checkpoint
 * names its head event by it, so that a rewritten chain still shows where that event went.
 * @param {ChainEvent} event
 */
export const eventContentId = (event) => sha256Hex(eventBody(event, false));

/**
 * What a checkpoint states: the chain's head at a moment, chained to the checkpoint before it.
 * @typedef {object} CheckpointClaim
 * @property {number} number
 * @property {number} seq the head event's sequence number
 * @property {string} head the head event's hash
 * @property {string} headAt the head event's occurredAt
 * @property {string} headId the head event's eventContentId()
 * @property {string} time when the checkpoint was signed
 * @property {string} prev SHA-256 (hex) of the previous checkpoint's JWS, or the genesis hash
 * @property {string} iss the portal that signed it
 */

/**
 * @typedef {{ number: number | null; seq: number | null; kind: string; detail: string }} CheckpointProblem
 * @typedef {{ jws: string; claim: CheckpointClaim; kid: string }} VerifiedCheckpoint
 */

/**
 * Checks each checkpoint's ES256 signature against the public keys (a JWKS), and that the
 * checkpoints chain one to the next. A JWS changed by one byte, or signed by an unknown key, is
 * reported as modified.
 * @param {string[]} jwsList compact JWS strings (duplicates allowed: the database and the files)
 * @param {{ keys: Array<Record<string, unknown>> }} jwks
 * @returns {{ checkpoints: VerifiedCheckpoint[]; problem: CheckpointProblem | null }}
 */
export function verifyCheckpoints(jwsList, jwks) {
  /** @type {Map<number, VerifiedCheckpoint>} */
  const byNumber = new Map();
  for (const jws of new Set(jwsList.map((j) => j.trim()))) {
    const checked = verifyCheckpointJws(jws, jwks);
    if ("problem" in checked) return { checkpoints: [], problem: checked.problem };
    const other = byNumber.get(checked.claim.number);
    if (other) {
      return {
        checkpoints: [],
        problem: { number: checked.claim.number, seq: Math.min(other.claim.seq, checked.claim.seq), kind: "recomputed", detail: `checkpoint ${checked.claim.number} exists in two different signed versions` },
      };
    }
    byNumber.set(checked.claim.number, checked);
  }
  const checkpoints = [...byNumber.values()].sort((a, b) => a.claim.number - b.claim.number);
  for (let i = 0; i < checkpoints.length; i++) {
    const current = /** @type {VerifiedCheckpoint} */ (checkpoints[i]);
    const before = checkpoints[i - 1];
    if (before && current.claim.number !== before.claim.number + 1) {
      return { checkpoints, problem: { number: before.claim.number + 1, seq: before.claim.seq + 1, kind: "deleted", detail: `checkpoint ${before.claim.number + 1} is missing` } };
    }
    const expectedPrev = before ? sha256Hex(before.jws) : current.claim.number === 1 ? GENESIS_HASH : null;
    if (expectedPrev !== null && current.claim.prev !== expectedPrev) {
      return { checkpoints, problem: { number: current.claim.number, seq: current.claim.seq, kind: "modified", detail: `checkpoint ${current.claim.number} does not follow checkpoint ${current.claim.number - 1}` } };
    }
    if (before && current.claim.seq <= before.claim.seq) {
      return { checkpoints, problem: { number: current.claim.number, seq: current.claim.seq, kind: "reordered", detail: `checkpoint ${current.claim.number} names an earlier head than checkpoint ${before.claim.number}` } };
    }
  }
  return { checkpoints, problem: null };
}

/**
 * @param {string} jws
 * @param {{ keys: Array<Record<string, unknown>> }} jwks
 * @returns {VerifiedCheckpoint | { problem: CheckpointProblem }}
 */
function verifyCheckpointJws(jws, jwks) {
  const parts = jws.split(".");
  /** @type {{ number?: number; seq?: number } | null} */
  let claimed = null;
  const broken = (/** @type {string} */ detail) => {
    const number = typeof claimed?.number === "number" ? claimed.number : null;
    const seq = typeof claimed?.seq === "number" ? claimed.seq : null;
    return { problem: { number, seq, kind: "modified", detail: `checkpoint${number === null ? "" : ` ${number}`}: ${detail}` } };
  };
  if (parts.length !== 3) return broken("not a compact JWS");
  const [encodedHeader, encodedPayload, encodedSignature] = /** @type {[string, string, string]} */ (parts);
  /** @type {{ alg?: string; kid?: string }} */
  let header;
  /** @type {CheckpointClaim} */
  let claim;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8"));
    claim = JSON.parse(Buffer.from(encodedPayload, "base64url").toString("utf8"));
    claimed = claim;
  } catch {
    return broken("its header or payload is not JSON");
  }
  if (header.alg !== "ES256") return broken(`unexpected algorithm ${String(header.alg)}`);
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) return broken(`signed by an unknown key (kid ${String(header.kid)})`);
  let valid = false;
  try {
    const { kid: _kid, alg: _alg, use: _use, ...keyMaterial } = jwk;
    const key = createPublicKey({ key: /** @type {import("node:crypto").JsonWebKey} */ (keyMaterial), format: "jwk" });
    valid = verifySignature("sha256", Buffer.from(`${encodedHeader}.${encodedPayload}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(encodedSignature, "base64url"));
  } catch {
    valid = false;
  }
  if (!valid) return broken("its signature does not verify");
  if (!Number.isSafeInteger(claim.number) || !Number.isSafeInteger(claim.seq) || typeof claim.head !== "string" || typeof claim.prev !== "string") {
    return broken("its payload lacks number, seq, head or prev");
  }
  return { jws, claim, kid: String(header.kid) };
}

/**
 * @typedef {{ seq: number; prevHash: string; hash: string }} StubEvent
 *   An event of another case inside an evidence bundle: only its place in the chain.
 * @typedef {(ChainEvent & { hash: string }) | StubEvent} StoredEvent
 * @typedef {{
 *   ok: true; events: number; head: { seq: number; hash: string } | null;
 *   latestCheckpoint: { number: number; seq: number; time: string } | null;
 *   checkpointsChecked: number;
 * } | { ok: false; seq: number; kind: string; detail: string; events: number }} ChainVerdict
 * @typedef {object} Lookups answers needed only once something is already wrong
 * @property {(hash: string) => Promise<number | null>} seqOfHash which event holds this hash
 * @property {(occurredAt: string) => Promise<ChainEvent[]>} eventsAt the events that happened at that instant
 */

/**
 * Walks the chain one event at a time (memory stays flat: only the previous hash and the
 * checkpoints are kept) and names the first problem:
 * - modified: an event's content no longer matches its hash, or its hash was recomputed so that
 *   the next event no longer links to it;
 * - deleted: a sequence number is missing;
 * - reordered: an event sits at another event's place in the chain;
 * - truncated: the chain ends before the head a checkpoint vouches for;
 * - inserted / recomputed: the chain is consistent in itself but no longer holds a checkpoint's
 *   head at its sequence number, because events were inserted (the checkpointed head event moved
 *   later) or the hashes were recomputed after an edit (the head event is in place, its hash not).
 */
export class ChainWalker {
  /**
   * @param {{ checkpoints: VerifiedCheckpoint[]; lookups: Lookups; startAnywhere?: boolean }} options
   *   startAnywhere: the first event may be any seq and link to any hash (an evidence bundle holds
   *   a stretch of the chain that ends at a checkpoint).
   */
  constructor({ checkpoints, lookups, startAnywhere = false }) {
    this.checkpoints = [...checkpoints].sort((a, b) => a.claim.seq - b.claim.seq);
    this.lookups = lookups;
    this.startAnywhere = startAnywhere;
    /** @type {number | null} */
    this.expectedSeq = startAnywhere ? null : 1;
    this.prev = GENESIS_HASH;
    this.count = 0;
    this.nextCheckpoint = 0;
    /** the last sequence number a checkpoint vouched for and the chain still holds */
    this.lastGoodCheckpointSeq = 0;
    /** @type {{ seq: number; kind: string; detail: string } | null} */
    this.failure = null;
    /** @type {{ seq: number; hash: string } | null} */
    this.head = null;
  }

  /**
   * Synchronous for an intact event (a million of them should not cost a million promises); a
   * promise only when a problem needs a lookup to be named.
   * @param {StoredEvent} row
   * @returns {boolean | Promise<boolean>} false once a problem is found (stop feeding)
   */
  add(row) {
    if (this.failure) return false;
    if (this.expectedSeq === null) {
      this.expectedSeq = row.seq;
      this.prev = row.prevHash;
      this.lastGoodCheckpointSeq = row.seq - 1;
      // Checkpoints before the stretch cannot be compared with it.
      while (this.checkpoints[this.nextCheckpoint] && /** @type {VerifiedCheckpoint} */ (this.checkpoints[this.nextCheckpoint]).claim.seq < row.seq) this.nextCheckpoint++;
    }
    if (row.seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, "deleted", `event ${this.expectedSeq} is missing (the next stored event is ${row.seq})`);
    }
    const full = "occurredAt" in row;
    const contentOk = !full || hashEvent(row) === row.hash;
    const linkOk = row.prevHash === this.prev;
    if (!contentOk) return this.failMismatch(row, linkOk);
    if (!linkOk) {
      if (row.seq - 1 < (this.startAnywhere ? -1 : 1)) return this.fail(row.seq, "modified", `event ${row.seq} does not start the chain`);
      return this.fail(row.seq - 1, "modified", `event ${row.seq - 1}'s hash was changed: event ${row.seq} no longer links to it`);
    }
    const checkpoint = this.checkpoints[this.nextCheckpoint];
    if (checkpoint && checkpoint.claim.seq === row.seq) {
      if (checkpoint.claim.head !== row.hash) return this.failAtCheckpoint(checkpoint, full ? /** @type {ChainEvent} */ (row) : null);
      this.lastGoodCheckpointSeq = row.seq;
      this.nextCheckpoint++;
    }
    this.prev = row.hash;
    this.head = { seq: row.seq, hash: row.hash };
    this.expectedSeq = row.seq + 1;
    this.count++;
    return true;
  }

  /**
   * An event that no longer matches its hash: edited in place, or moved (it follows another's hash).
   * @param {StoredEvent} row
   * @param {boolean} linkOk
   */
  async failMismatch(row, linkOk) {
    const holder = linkOk ? null : await this.lookups.seqOfHash(row.prevHash);
    if (holder !== null && holder !== row.seq - 1) {
      return this.fail(row.seq, "reordered", `event ${row.seq} follows event ${holder}'s hash: events were moved`);
    }
    return this.fail(row.seq, "modified", `event ${row.seq} no longer matches its hash`);
  }

  /**
   * @param {VerifiedCheckpoint} checkpoint
   * @param {ChainEvent | null} row
   */
  async failAtCheckpoint(checkpoint, row) {
    const { claim } = checkpoint;
    const firstSuspect = this.lastGoodCheckpointSeq + 1;
    const holds = `no longer holds checkpoint ${claim.number}'s head at seq ${claim.seq}`;
    if (row && eventContentId(row) === claim.headId) {
      return this.fail(firstSuspect, "recomputed", `the chain ${holds}: hashes after seq ${firstSuspect - 1} were recomputed`);
    }
    const candidates = claim.headAt ? await this.lookups.eventsAt(claim.headAt) : [];
    const moved = candidates.find((event) => eventContentId(event) === claim.headId)?.seq ?? null;
    if (moved !== null && moved > claim.seq) {
      return this.fail(firstSuspect, "inserted", `the chain ${holds}: events were inserted after seq ${firstSuspect - 1} (that head is now seq ${moved})`);
    }
    if (moved !== null && moved < claim.seq) {
      return this.fail(firstSuspect, "deleted", `the chain ${holds}: events were deleted after seq ${firstSuspect - 1} and the chain recomputed (that head is now seq ${moved})`);
    }
    return this.fail(firstSuspect, "recomputed", `the chain ${holds}: hashes after seq ${firstSuspect - 1} were recomputed`);
  }

  /**
   * @param {number} seq
   * @param {string} kind
   * @param {string} detail
   */
  fail(seq, kind, detail) {
    this.failure = { seq, kind, detail };
    return false;
  }

  /** @returns {ChainVerdict} */
  finish() {
    if (!this.failure) {
      const lastSeq = this.head?.seq ?? 0;
      const beyond = this.checkpoints.find((c) => c.claim.seq > lastSeq);
      if (beyond) {
        this.failure = {
          seq: lastSeq + 1,
          kind: "truncated",
          detail: `the chain ends at seq ${lastSeq} but checkpoint ${beyond.claim.number} vouches for seq ${beyond.claim.seq}`,
        };
      }
    }
    if (this.failure) return { ok: false, ...this.failure, events: this.count };
    const latest = [...this.checkpoints].sort((a, b) => b.claim.number - a.claim.number)[0];
    return {
      ok: true,
      events: this.count,
      head: this.head,
      latestCheckpoint: latest ? { number: latest.claim.number, seq: latest.claim.seq, time: latest.claim.time } : null,
      checkpointsChecked: this.checkpoints.length,
    };
  }
}

/** @param {number} seconds */
function age(seconds) {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} seconds old`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes old`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} hours old`;
  return `${Math.round(seconds / 86400)} days old`;
}

/**
 * The one line both audit:verify and the bundle's script print.
 * @param {ChainVerdict} verdict
 * @param {Date} [now]
 */
export function describeVerdict(verdict, now = new Date()) {
  if (!verdict.ok) return `Audit trail broken at seq ${verdict.seq}: ${verdict.kind} — ${verdict.detail}.`;
  const head = verdict.head ? `head seq ${verdict.head.seq} hash ${verdict.head.hash}` : "no events yet";
  const checkpoint = verdict.latestCheckpoint
    ? `latest checkpoint ${verdict.latestCheckpoint.number} at seq ${verdict.latestCheckpoint.seq}, ${age((now.getTime() - Date.parse(verdict.latestCheckpoint.time)) / 1000)}`
    : "no checkpoint yet";
  return `Audit trail intact: ${verdict.events} events checked, ${head}, ${checkpoint}.`;
}

/**
 * A checkpoint problem as a verdict (the chain is not walked once a checkpoint is bad).
 * @param {CheckpointProblem} problem
 * @returns {ChainVerdict}
 */
export function checkpointVerdict(problem) {
  return { ok: false, seq: problem.seq ?? 0, kind: problem.kind, detail: problem.detail, events: 0 };
}
