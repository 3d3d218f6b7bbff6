// Signed checkpoints of the audit chain's head. A checkpoint is a JWS (ES256) over
// {number, seq, head, headAt, headId, time, prev}; prev is the SHA-256 of the previous checkpoint's JWS,
// so checkpoints form a chain of their own. Each is stored in the database and, once its
// transaction has committed, copied as a file to HANDOVER_CHECKPOINT_DIR — outside the database,
// where someone who rewrites the chain with database access cannot follow. See decision 010.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { asc, desc, gt } from "drizzle-orm";
import { CompactSign, type JWK } from "jose";
import { type Executor, type Transaction, db } from "../../db/client";
import { auditCheckpointKeys, auditCheckpoints, auditEvents, type checkpointReason } from "../../db/schema";
import { config } from "../config.server";
import { inTransaction } from "../http/transaction.server";
import { logger } from "../log.server";
import { auditEventColumns, lockAuditAppend } from "./audit.server";
import { GENESIS_HASH, type CheckpointClaim, eventContentId, sha256Hex } from "./chain-check.js";
import { CHECKPOINT_ALGORITHM, checkpointKey } from "./checkpoint-key.server";

export type CheckpointReason = (typeof checkpointReason.enumValues)[number];

export interface StoredCheckpoint {
  number: number;
  auditSeq: number;
  headHash: string;
  signedAt: Date;
  jws: string;
}

const checkpointColumns = {
  number: auditCheckpoints.number,
  auditSeq: auditCheckpoints.auditSeq,
  headHash: auditCheckpoints.headHash,
  signedAt: auditCheckpoints.signedAt,
  jws: auditCheckpoints.jws,
};

/**
 * Signs the chain's current head inside `tx`. Holds the audit append lock, so no event can slip
 * in between reading the head and storing the checkpoint. Returns null when the head is already
 * checkpointed (nothing new to vouch for) or the chain is empty. Call writeCheckpointFile() with
 * the result after the transaction commits.
 */
export async function appendCheckpoint(tx: Transaction, { reason }: { reason: CheckpointReason }): Promise<StoredCheckpoint | null> {
  await lockAuditAppend(tx);
  const [head] = await tx
    .select(auditEventColumns)
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  if (!head) return null;
  const [latest] = await tx
    .select({ number: auditCheckpoints.number, auditSeq: auditCheckpoints.auditSeq, jws: auditCheckpoints.jws })
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.number))
    .limit(1);
  if (latest && latest.auditSeq >= head.seq) return null;

  const key = await checkpointKey();
  const signedAt = new Date();
  const claim: CheckpointClaim = {
    iss: config().HANDOVER_PUBLIC_URL,
    number: (latest?.number ?? 0) + 1,
    seq: head.seq,
    head: head.hash,
    headAt: head.occurredAt.toISOString(),
    headId: eventContentId({ ...head, occurredAt: head.occurredAt.toISOString() }),
    time: signedAt.toISOString(),
    prev: latest ? sha256Hex(latest.jws) : GENESIS_HASH,
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claim)))
    .setProtectedHeader({ alg: CHECKPOINT_ALGORITHM, kid: key.kid, typ: "handover-checkpoint+jws" })
    .sign(key.privateKey);
  // The public half is kept for good: after a key change, older checkpoints still verify.
  await tx.insert(auditCheckpointKeys).values({ kid: key.kid, publicJwk: key.publicJwk }).onConflictDoNothing();
  const [stored] = await tx
    .insert(auditCheckpoints)
    .values({ number: claim.number, auditSeq: claim.seq, headHash: claim.head, signedAt, prevHash: claim.prev, kid: key.kid, reason, jws })
    .returning(checkpointColumns);
  return stored!;
}

/** Signs the current head in its own transaction and writes the file. Null when nothing is new. */
export async function createCheckpoint({ reason }: { reason: CheckpointReason }): Promise<StoredCheckpoint | null> {
  const stored = await inTransaction((tx) => appendCheckpoint(tx, { reason }));
  if (stored) writeCheckpointFile(stored);
  return stored;
}

export const checkpointFileName = (number: number) => `checkpoint-${String(number).padStart(8, "0")}.jws`;
const CHECKPOINT_FILE = /^checkpoint-\d{8,}\.jws$/;

/**
 * Copies a committed checkpoint to the checkpoint folder. A failure is logged, not thrown: the
 * checkpoint is safe in the database and the next start writes every missing file.
 */
export function writeCheckpointFile(checkpoint: Pick<StoredCheckpoint, "number" | "jws">, dir = config().HANDOVER_CHECKPOINT_DIR): boolean {
  const file = path.join(dir, checkpointFileName(checkpoint.number));
  try {
    if (fs.existsSync(file)) return false;
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temporary, `${checkpoint.jws}\n`);
    fs.renameSync(temporary, file);
    return true;
  } catch (error) {
    logger.error({ err: error, file }, "could not write the checkpoint file; it is rewritten at the next start");
    return false;
  }
}

/** At start: writes the file of every stored checkpoint that the folder lacks. */
export async function syncCheckpointFiles({ dir = config().HANDOVER_CHECKPOINT_DIR }: { dir?: string } = {}): Promise<number> {
  let written = 0;
  let after = 0;
  for (;;) {
    const batch = await db()
      .select({ number: auditCheckpoints.number, jws: auditCheckpoints.jws })
      .from(auditCheckpoints)
      .where(gt(auditCheckpoints.number, after))
      .orderBy(asc(auditCheckpoints.number))
      .limit(500);
    for (const checkpoint of batch) if (writeCheckpointFile(checkpoint, dir)) written++;
    if (batch.length < 500) break;
    after = batch[batch.length - 1]!.number;
  }
  if (written > 0) logger.info({ written, dir }, "wrote missing checkpoint files");
  return written;
}

/** Every stored checkpoint, oldest first. Checkpoints are few (hourly at most, plus seals and closures). */
export async function listCheckpoints(executor: Executor = db()): Promise<StoredCheckpoint[]> {
  return executor.select(checkpointColumns).from(auditCheckpoints).orderBy(asc(auditCheckpoints.number));
}

/** The JWS texts of the checkpoint files in a folder (a missing folder holds none). */
export function readCheckpointFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => CHECKPOINT_FILE.test(name))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name), "utf8").trim());
}

/** Every public key that signed a checkpoint, and (unless told not to) the current one, for the JWKS. */
export async function checkpointPublicKeys(executor: Executor = db(), { includeCurrent = true }: { includeCurrent?: boolean } = {}): Promise<JWK[]> {
  const rows = await executor.select({ publicJwk: auditCheckpointKeys.publicJwk }).from(auditCheckpointKeys).orderBy(asc(auditCheckpointKeys.firstUsedAt));
  const keys = rows.map((row) => row.publicJwk as JWK);
  if (!includeCurrent) return keys;
  const current = (await checkpointKey()).publicJwk;
  if (!keys.some((key) => key.kid === current.kid)) keys.push(current);
  return keys;
}
