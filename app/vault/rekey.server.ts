// Master-key rotation (`npx handover keys:rotate`): every case data key is unwrapped with the old
// master key and wrapped with the new one, and every value sealed with a key derived from the
// master key (app/crypto/sealed-box.server.ts) is opened and sealed again, all in ONE transaction:
// either everything moves to the new key or nothing does.
import { eq, isNotNull, ne, and, sql } from "drizzle-orm";
import { inTransaction } from "../http/transaction.server";
import { caseVaults } from "../../db/schema";
import { recordAudit, systemActor } from "../audit/audit.server";
import { type MasterKey, masterKey } from "../crypto/master-key.server";
import { open, seal } from "../crypto/sealed-box.server";
import { SEALED_COLUMNS } from "../crypto/sealed-columns.server";
import { recordMasterKeyCheck } from "../crypto/master-key-check.server";
import { unwrapDataKey, wrapDataKey } from "./envelope.server";

/** Columns of the vault itself: wrapped keys are re-wrapped; field ciphertexts need no change. */
export const VAULT_BYTEA_COLUMNS = ["case_vaults.wrapped_data_key", "credentials.secret_ciphertext", "credentials.totp_ciphertext", "credentials.notes_ciphertext"];

export interface RotationReport {
  fromKeyId: string;
  toKeyId: string;
  /** Case data keys re-wrapped: every one there is, or the rotation fails. */
  dataKeys: number;
  /** Other sealed values (staff TOTP secrets, pending email bodies) sealed again under the new key. */
  sealedValues: number;
  /**
   * Sealed values that did not open with the old key either: already unreadable, left exactly as
   * they were (nothing is destroyed by a rotation).
   */
  unreadableLeft: number;
}

export class MasterKeyRotationError extends Error {
  override name = "MasterKeyRotationError";
}

/**
 * Moves everything from the configured master key to `newKey` in one transaction. The caller then
 * makes `newKey` the configured key (the data-folder file or HANDOVER_MASTER_KEY).
 */
export async function rotateMasterKey({ newKey, oldKey = masterKey() }: { newKey: MasterKey; oldKey?: MasterKey }): Promise<RotationReport> {
  if (newKey.key.length !== 32) throw new MasterKeyRotationError("The new master key must be 32 bytes.");
  if (newKey.id === oldKey.id) throw new MasterKeyRotationError("The new master key is the key already in use.");
  return inTransaction(async (tx) => {
    const report: RotationReport = { fromKeyId: oldKey.id, toKeyId: newKey.id, dataKeys: 0, sealedValues: 0, unreadableLeft: 0 };

    const vaults = await tx
      .select({ caseId: caseVaults.caseId, wrapped: caseVaults.wrappedDataKey, masterKeyId: caseVaults.masterKeyId })
      .from(caseVaults)
      .where(isNotNull(caseVaults.wrappedDataKey))
      .for("update");
    for (const vault of vaults) {
      // A data key that does not open stops everything: re-wrapping must reach 100 %.
      if (vault.masterKeyId !== oldKey.id) {
        throw new MasterKeyRotationError(
          `The data key of case ${vault.caseId} is wrapped by master key ${vault.masterKeyId}, not by the configured key ${oldKey.id}. Nothing was changed.`,
        );
      }
      const dataKey = unwrapDataKey({ wrapped: vault.wrapped!, caseId: vault.caseId, masterKey: oldKey.key });
      try {
        await tx
          .update(caseVaults)
          .set({ wrappedDataKey: wrapDataKey({ dataKey, caseId: vault.caseId, masterKey: newKey.key }), masterKeyId: newKey.id, updatedAt: new Date() })
          .where(eq(caseVaults.caseId, vault.caseId));
      } finally {
        dataKey.fill(0);
      }
      report.dataKeys++;
    }

    for (const sealedColumn of SEALED_COLUMNS) {
      for (const row of await sealedColumn.read(tx)) {
        const location = { purpose: sealedColumn.purpose, associatedData: sealedColumn.associatedData(row.id) };
        let plaintext: string;
        try {
          plaintext = open({ ...location, sealed: row.sealed, masterKey: oldKey.key });
        } catch {
          report.unreadableLeft++;
          continue;
        }
        await sealedColumn.write(tx, row.id, seal({ ...location, plaintext, masterKey: newKey.key }));
        report.sealedValues++;
      }
    }

    const [left] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(caseVaults)
      .where(and(isNotNull(caseVaults.wrappedDataKey), ne(caseVaults.masterKeyId, newKey.id)));
    if ((left?.count ?? 0) > 0) throw new MasterKeyRotationError("Some data keys were not re-wrapped. Nothing was changed.");

    // Instances that start afterwards with the old key are refused, not left to seal under it.
    await recordMasterKeyCheck(tx, newKey);
    await recordAudit(tx, {
      actor: systemActor("npx handover keys:rotate"),
      event: { action: "vault.master_key_rotated", payload: { ...report } },
    });
    return report;
  });
}
