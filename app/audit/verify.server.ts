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
  if (handle.kind === "postgres") await walkWithCursor(handle, walker);
  else await walkInBatches(executor, walker);
  return walker.finish();
}

interface RawRow {
  seq: string | number;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  case_id: string | null;
  action: string;
  payload: unknown;
  ip: string | null;
  user_agent: string | null;
  prev_hash: string;
  hash: string;
}

// The instant as toISOString() spells it, computed by the server: cheaper than a Date per row.
const ISO_INSTANT = `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const toEvent = (row: RawRow): StoredEvent => ({
  seq: Number(row.seq),
  occurredAt: row.occurred_at,
  actorType: row.actor_type,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  caseId: row.case_id,
  action: row.action,
  payload: row.payload,
  ip: row.ip,
  userAgent: row.user_agent,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** Feeds a batch; awaits only when the walker needs a lookup to name a problem. False: stop. */
async function addAll(walker: ChainWalker, events: Iterable<Parameters<ChainWalker["add"]>[0]>): Promise<boolean> {
  for (const event of events) {
    const added = walker.add(event);
    if (added === true) continue;
    if (!(await added)) return false;
  }
  return true;
}

/**
 * postgres.js cursor inside one read-only, repeatable-read transaction: one consistent snapshot of
 * the chain, read in batches without holding them all.
 */
async function walkWithCursor(handle: DatabaseHandle, walker: ChainWalker) {
  // drizzle keeps the driver's client as $client; the cursor is a postgres.js feature.
  const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
  await client.begin("isolation level repeatable read read only", async (sql) => {
    const query = sql.unsafe<RawRow[]>(
      `select seq, ${ISO_INSTANT} as occurred_at, actor_type, actor_id, actor_label, case_id, action, payload, ip, user_agent, prev_hash, hash
         from audit_events order by seq`,
    );
    // The iterator form: postgres.js does not await a cursor callback for the last batch. The next
    // batch is asked for before this one is checked, so the database reads while the hashes are computed.
    const batches = query.cursor(BATCH)[Symbol.asyncIterator]();
    let next = batches.next();
    try {
      for (;;) {
        const { value: rows, done } = await next;
        if (done) return;
        next = batches.next();
        if (!(await addAll(walker, rows.map(toEvent)))) return;
      }
    } finally {
      // Stopped early at a problem: the batch asked for is not wanted.
      next.catch(() => {});
      await batches.return?.();
    }
  });
}

/** Keyset batches on the embedded database (PGlite has no cursors across calls). */
async function walkInBatches(executor: Executor, walker: ChainWalker) {
  let after = 0;
  for (;;) {
    const rows = await executor
      .select(auditEventColumns)
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    if (!(await addAll(walker, rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() }))))) return;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}
