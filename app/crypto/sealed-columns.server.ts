// Every column sealed with app/crypto/sealed-box.server.ts under a master-key-derived key, with the
// purpose and associated data its owning module uses. Master-key rotation re-seals them all; the
// master-key check opens a few to learn whether a key fits a database that has no check value yet.
// A new sealed column must be added here, or rotation would leave it unreadable:
// test/vault-rekey.test.ts fails for a bytea column that is listed nowhere.
import { desc, eq, isNotNull } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { outboxMessages, staffUsers } from "../../db/schema";

export interface SealedColumn {
  table: string;
  column: string;
  purpose: string;
  associatedData: (id: string) => string;
  /** The sealed values, locked for update; with a limit, the newest ones. */
  read: (tx: Transaction, options?: { limit?: number }) => Promise<{ id: string; sealed: Uint8Array }[]>;
  write: (tx: Transaction, id: string, sealed: Uint8Array) => Promise<void>;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    // app/staff/totp.server.ts
    table: "staff_users",
    column: "totp_secret_ciphertext",
    purpose: "staff-totp",
    associatedData: (id) => `staff-user:${id}`,
    read: async (tx, { limit } = {}) => {
      const query = tx
        .select({ id: staffUsers.id, sealed: staffUsers.totpSecretCiphertext })
        .from(staffUsers)
        .where(isNotNull(staffUsers.totpSecretCiphertext))
        .orderBy(desc(staffUsers.createdAt))
        .for("update")
        .$dynamic();
      return (await (limit ? query.limit(limit) : query)).map((row) => ({ id: row.id, sealed: row.sealed! }));
    },
    write: async (tx, id, sealed) => {
      await tx.update(staffUsers).set({ totpSecretCiphertext: sealed }).where(eq(staffUsers.id, id));
    },
  },
  {
    // app/mail/outbox.server.ts
    table: "outbox_messages",
    column: "sealed_body",
    purpose: "outbox-message-body",
    associatedData: (id) => id,
    read: async (tx, { limit } = {}) => {
      const query = tx
        .select({ id: outboxMessages.id, sealed: outboxMessages.sealedBody })
        .from(outboxMessages)
        .where(isNotNull(outboxMessages.sealedBody))
        .orderBy(desc(outboxMessages.createdAt))
        .for("update")
        .$dynamic();
      return (await (limit ? query.limit(limit) : query)).map((row) => ({ id: row.id, sealed: row.sealed! }));
    },
    write: async (tx, id, sealed) => {
      await tx.update(outboxMessages).set({ sealedBody: sealed }).where(eq(outboxMessages.id, id));
    },
  },
];
