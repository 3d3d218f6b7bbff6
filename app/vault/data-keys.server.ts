// The per-case data key: created with the case's first credential, stored only wrapped by the
// master key, unwrapped in memory for one operation at a time, destroyed at the end of access.
import { eq } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { caseVaults } from "../../db/schema";
import { masterKey } from "../crypto/master-key.server";
import { generateDataKey, unwrapDataKey, wrapDataKey } from "./envelope.server";
import { SecretsPurgedError } from "./errors.server";

export interface VaultState {
  caseId: string;
  keysReceivedAt: Date | null;
  keysReceivedByLabel: string | null;
  purgedAt: Date | null;
}

const vaultColumns = {
  caseId: caseVaults.caseId,
  wrappedDataKey: caseVaults.wrappedDataKey,
  masterKeyId: caseVaults.masterKeyId,
  keysReceivedAt: caseVaults.keysReceivedAt,
  keysReceivedByLabel: caseVaults.keysReceivedByLabel,
  purgedAt: caseVaults.purgedAt,
};

function unwrap(row: { caseId: string; wrappedDataKey: Uint8Array | null; masterKeyId: string | null }): Buffer {
  if (!row.wrappedDataKey) throw new SecretsPurgedError();
  const current = masterKey();
  if (row.masterKeyId !== current.id) {
    // Key ids are fingerprints, not secrets: naming them tells the operator which key is missing.
    throw new Error(
      `The case's data key is wrapped by master key ${row.masterKeyId}, but the configured master key is ${current.id}. ` +
        "Configure the master key this installation was using (see `npx handover keys:rotate --help`).",
    );
  }
  return unwrapDataKey({ wrapped: row.wrappedDataKey, caseId: row.caseId, masterKey: current.key });
}

/**
 * The case's data key for writing, created on first use. Call it inside the transaction of the
 * write; the row lock keeps a concurrent first write from creating a second key.
 */
export async function dataKeyForWrite(tx: Transaction, caseId: string): Promise<Buffer> {
  const [row] = await tx.select(vaultColumns).from(caseVaults).where(eq(caseVaults.caseId, caseId)).for("update");
  if (row) return unwrap(row);
  const dataKey = generateDataKey();
  const current = masterKey();
  const inserted = await tx
    .insert(caseVaults)
    .values({ caseId, wrappedDataKey: wrapDataKey({ dataKey, caseId, masterKey: current.key }), masterKeyId: current.id })
    .onConflictDoNothing({ target: caseVaults.caseId })
    .returning({ caseId: caseVaults.caseId });
  if (inserted.length === 1) return dataKey;
  // Another transaction created it between our read and insert: use theirs.
  const [theirs] = await tx.select(vaultColumns).from(caseVaults).where(eq(caseVaults.caseId, caseId)).for("update");
  return unwrap(theirs!);
}

/** The case's vault row (hand-over facts) and its data key, for reading; null when it has none. */
export async function openVault(
  executor: Executor,
  caseId: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<{ state: VaultState; dataKey: () => Buffer } | null> {
  const query = executor.select(vaultColumns).from(caseVaults).where(eq(caseVaults.caseId, caseId));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) return null;
  return {
    state: { caseId: row.caseId, keysReceivedAt: row.keysReceivedAt, keysReceivedByLabel: row.keysReceivedByLabel, purgedAt: row.purgedAt },
    // Unwrapped only when a secret is actually needed.
    dataKey: () => unwrap(row),
  };
}
