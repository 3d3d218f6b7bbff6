// Which master key a database's secrets are sealed under, kept in the database as a key check
// value (master_key_check). Instances on one PostgreSQL must share the key: one started with
// another key (a forgotten HANDOVER_MASTER_KEY, a key generated in its own data folder) would seal
// what the others cannot open, and fail to open what they sealed. It refuses to start instead.
import { timingSafeEqual } from "node:crypto";
import { and, isNotNull, ne, sql } from "drizzle-orm";
import { type Executor, type Transaction, db } from "../../db/client";
import { caseVaults, masterKeyCheck } from "../../db/schema";
import { ConfigError, config } from "../config.server";
import { inTransaction } from "../http/transaction.server";
import { type MasterKey, generatedMasterKeyFile, masterKey, masterKeyCheckValue } from "./master-key.server";
import { looksSealed, open } from "./sealed-box.server";
import { SEALED_COLUMNS } from "./sealed-columns.server";

export class MasterKeyMismatchError extends ConfigError {
  override name = "MasterKeyMismatchError";
}

// Any constant: it serialises the first check of instances starting at the same moment.
const CHECK_LOCK = 0x48_4f_4d_4b;
const SAMPLE = 5;

/** Writes the check value of `key`, e.g. in the transaction of a master-key rotation. */
export async function recordMasterKeyCheck(executor: Executor, key: MasterKey) {
  const checkValue = masterKeyCheckValue(key.key);
  await executor
    .insert(masterKeyCheck)
    .values({ id: 1, keyId: key.id, checkValue })
    .onConflictDoUpdate({ target: masterKeyCheck.id, set: { keyId: key.id, checkValue, updatedAt: sql`now()` } });
}

async function stored(executor: Executor) {
  const [row] = await executor.select({ keyId: masterKeyCheck.keyId, checkValue: masterKeyCheck.checkValue }).from(masterKeyCheck);
  return row ?? null;
}

const fits = (key: MasterKey, row: { checkValue: Uint8Array }) => {
  const expected = masterKeyCheckValue(key.key);
  const actual = Buffer.from(row.checkValue);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

/** True or false against the stored check value; null when the database has none yet. */
export async function masterKeyMatchesDatabase(executor: Executor = db(), key: MasterKey = masterKey()): Promise<boolean | null> {
  const row = await stored(executor);
  return row ? fits(key, row) : null;
}

function mismatch(key: MasterKey, sealedUnder: string): MasterKeyMismatchError {
  const settings = config();
  const source = settings.HANDOVER_MASTER_KEY ? "HANDOVER_MASTER_KEY" : `the key generated in ${generatedMasterKeyFile(settings.HANDOVER_DATA_DIR)}`;
  return new MasterKeyMismatchError(
    `The master key of this instance (id ${key.id}, from ${source}) is not the key this database's secrets are sealed under ` +
      `(${sealedUnder}). Every instance on one database needs the same master key: set HANDOVER_MASTER_KEY to the key ` +
      "of the instances already running (or to the one in your backup) and start again. Nothing was changed.",
  );
}

/**
 * A database that predates the check value (or is new) gets one, after a look at what it already
 * holds: a case data key wrapped under another key id, or sealed values of which none opens,
 * mean this key is not the database's.
 */
async function adopt(tx: Transaction, key: MasterKey) {
  const [foreign] = await tx
    .select({ keyId: caseVaults.masterKeyId })
    .from(caseVaults)
    .where(and(isNotNull(caseVaults.masterKeyId), ne(caseVaults.masterKeyId, key.id)))
    .limit(1);
  if (foreign) throw mismatch(key, `case data keys are wrapped under master key ${foreign.keyId}`);
  let tried = 0;
  for (const column of SEALED_COLUMNS) {
    for (const row of await column.read(tx, { limit: SAMPLE })) {
      // Bytes that are not a sealed box at all say nothing about the key.
      if (!looksSealed(row.sealed)) continue;
      tried++;
      try {
        open({ purpose: column.purpose, associatedData: column.associatedData(row.id), sealed: row.sealed, masterKey: key.key });
        await recordMasterKeyCheck(tx, key);
        return;
      } catch {
        // Another key, or damaged bytes: the next value tells.
      }
    }
  }
  if (tried > 0) throw mismatch(key, `none of the ${tried} newest sealed values opens with it`);
  await recordMasterKeyCheck(tx, key);
}

/**
 * At start (the server, and commands that write): refuses a master key that is not the one the
 * database's secrets are sealed under, with a message saying what to do. Throws
 * MasterKeyMismatchError, a ConfigError.
 */
export async function assertMasterKeyMatchesDatabase({ key = masterKey() }: { key?: MasterKey } = {}): Promise<void> {
  await inTransaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHECK_LOCK})`);
    const row = await stored(tx);
    if (!row) return adopt(tx, key);
    if (!fits(key, row)) throw mismatch(key, `master key ${row.keyId}`);
  });
}
