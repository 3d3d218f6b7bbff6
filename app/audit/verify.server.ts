// Recomputes the whole audit chain from the first event and checks it against every signed
// checkpoint, from the database and from the checkpoint files. Rows are streamed (a cursor on
// PostgreSQL, keyset batches on the embedded database), so memory stays flat however long the
// chain is. The checking itself is chain-check.js, the file the evidence bundle ships.
import { asc, eq, gt } from "drizzle-orm";
import type { JWK } from "jose";
import type postgres from "postgres";
import { type DatabaseHandle, type Executor } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { config } from "../config.server";
import { ChainWalker, type ChainVerdict, type Lookups, type StoredEvent, checkpointVerdict, verifyCheckpoints } from "./chain-check.js";
import { auditEventColumns } from "./audit.server";
import { checkpointKey } from "./checkpoint-key.server";
import { checkpointPublicKeys, listCheckpoints, readCheckpointFiles } from "./checkpoints.server";

const BATCH = 10_000;


export interface VerifyOptions {
  handle: DatabaseHandle;
  /** Folder of checkpoint files; HANDOVER_CHECKPOINT_DIR by default. */
  checkpointDir?: string;
}

/** Every key that ever signed a checkpoint. The current key may be absent where only reading. */
async function trustedKeys(executor: Executor): Promise<{ keys: JWK[] }> {
  const keys = await checkpointPublicKeys(executor, { includeCurrent: false });
  const current = await checkpointKey().then(
    (key) => key.publicJwk,
    () => null,
  );
  if (current && !keys.some((key) => key.kid === current.kid)) keys.push(current);
  return { keys };
}

export async function verifyAuditTrail({ handle, checkpointDir = config().HANDOVER_CHECKPOINT_DIR }: VerifyOptions): Promise<ChainVerdict> {
  const executor = handle.db;
  const jwks = await trustedKeys(executor);
  const stored = (await listCheckpoints(executor)).map((checkpoint) => checkpoint.jws);
  const { checkpoints, problem } = verifyCheckpoints([...stored, ...readCheckpointFiles(checkpointDir)], jwks as never);
  if (problem) return checkpointVerdict(problem);

  const lookups: Lookups = {
    seqOfHash: async (hash) => {
      const [row] = await executor.select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.hash, hash));
      return row?.seq ?? null;
    },
    eventsAt: async (occurredAt) => {
      const rows = await executor
        .select(auditEventColumns)
        .from(auditEvents)
        .where(eq(auditEvents.occurredAt, new Date(occurredAt)))
        .orderBy(asc(auditEvents.seq));
      return rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() }));
    },
  };
  const walker = new ChainWalker({ checkpoints, lookups });
  await streamAuditEvents(handle, (events) => addAll(walker, events));
  return walker.finish();
}

// The instant as toISOString() spells it, computed by the server: cheaper than a Date per row.
const ISO_INSTANT = `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Every stored column of the chain in sequence order, as COPY's text format. */
export const AUDIT_CHAIN_COPY = `copy (select seq, ${ISO_INSTANT}, actor_type, actor_id, actor_label, case_id, action, payload, ip, user_agent, prev_hash, hash
  from audit_events order by seq) to stdout`;

/** Feeds a batch; awaits only when the walker needs a lookup to name a problem. False: stop. */
async function addAll(walker: ChainWalker, events: StoredEvent[]): Promise<boolean> {
  for (const event of events) {
    const added = walker.add(event);
    if (added === true) continue;
    if (!(await added)) return false;
  }
  return true;
}

/** Takes one batch of events in chain order; false stops the stream. */
export type EventBatchConsumer = (events: StoredEvent[]) => boolean | Promise<boolean>;

/** Every stored event in sequence order, in batches, from one consistent snapshot where the driver allows. */
export async function streamAuditEvents(handle: DatabaseHandle, consume: EventBatchConsumer) {
  if (handle.kind === "postgres") await streamWithCopy(handle, consume);
  else await streamInBatches(handle.db, consume);
}

/**
 * COPY of the ordered rows inside one read-only, repeatable-read transaction: one consistent
 * snapshot of the chain, streamed in the text format and split here. Parsing the stream costs a
 * fraction of what the driver's row decoding does (a Buffer and a string per column per row), and
 * only one network chunk is held at a time.
 */
async function streamWithCopy(handle: DatabaseHandle, consume: EventBatchConsumer) {
  // drizzle keeps the driver's client as $client; COPY streams are a postgres.js feature.
  const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
  await client.begin("isolation level repeatable read read only", async (sql) => {
    const stream = await sql.unsafe(AUDIT_CHAIN_COPY).readable();
    let rest = "";
    let stopped = false;
    // Iterating drains the stream even after a stop: COPY cannot be left half-read in a transaction.
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (stopped) continue;
      // A newline byte never occurs inside a UTF-8 sequence: cut there, decode whole lines only.
      const cut = chunk.lastIndexOf(10);
      if (cut < 0) {
        rest += chunk.toString("utf8");
        continue;
      }
      const lines = (rest + chunk.toString("utf8", 0, cut)).split("\n");
      rest = chunk.toString("utf8", cut + 1);
      const events = lines.map(eventFromCopyLine);
      const keepGoing = consume(events);
      stopped = !(keepGoing === true || (await keepGoing));
    }
    if (!stopped && rest !== "") await consume([eventFromCopyLine(rest)]);
  });
}

// COPY's text format: \N is NULL; backslash sequences stand for the backslash and control characters.
const COPY_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const copyField = (field: string): string | null => {
  if (field === "\\N") return null;
  return field.includes("\\") ? field.replace(/\\(.)/g, (_, char: string) => COPY_ESCAPES[char] ?? char) : field;
};

function eventFromCopyLine(line: string): StoredEvent {
  const [seq, occurredAt, actorType, actorId, actorLabel, caseId, action, payload, ip, userAgent, prevHash, hash] = line.split("\t").map(copyField);
  return {
    seq: Number(seq),
    occurredAt: occurredAt!,
    actorType: actorType!,
    actorId,
    actorLabel: actorLabel!,
    caseId,
    action: action!,
    payload: JSON.parse(payload!) as unknown,
    ip,
    userAgent,
    prevHash: prevHash!,
    hash: hash!,
  };
}

/** Keyset batches on the embedded database (PGlite has no cursors across calls). */
async function streamInBatches(executor: Executor, consume: EventBatchConsumer) {
  let after = 0;
  for (;;) {
    const rows = await executor
      .select(auditEventColumns)
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    if (!(await consume(rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() }))))) return;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}
