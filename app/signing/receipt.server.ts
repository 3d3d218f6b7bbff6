// Signing receipts: a compact JWS (ES256) over the facts of a signature, which anyone can check
// against the public keys published at /.well-known/jwks.json. The key comes from configuration
// (HANDOVER_RECEIPT_KEY_PEM or _FILE; generated in the data folder outside production), so every
// instance signs with the same one, and every public key that ever signed a receipt is kept in the
// database: a receipt verifies on any instance, before and after a key change.
import fs from "node:fs";
import { asc } from "drizzle-orm";
import { CompactSign, compactVerify, createLocalJWKSet, type JWK } from "jose";
import { type Executor, db } from "../../db/client";
import { receiptKeys } from "../../db/schema";
import { config } from "../config.server";
import { ES256, type Es256Key, generatedKeyPath, importEs256Pem, loadEs256Key } from "../crypto/es256-key.server";
import { logger } from "../log.server";

const GENERATED_FILE = "receipt-es256.pem";

/** What a receipt states. */
export interface ReceiptPayload {
  /** The portal that issued it (HANDOVER_PUBLIC_URL). */
  iss: string;
  documentId: string;
  /** SHA-256 (hex) of the sealed PDF. */
  sha256: string;
  signer: { name: string; email: string };
  /** ISO-8601, UTC. */
  signedAt: string;
}

const registry = globalThis as typeof globalThis & {
  __handoverReceiptKey?: Promise<Es256Key>;
  __handoverReceiptKeyPublished?: Promise<void>;
};

/** The configured receipt key, loaded once per process. Throws ConfigError when it cannot be used. */
export function receiptKey(): Promise<Es256Key> {
  const { HANDOVER_RECEIPT_KEY_PEM, HANDOVER_RECEIPT_KEY_FILE } = config();
  registry.__handoverReceiptKey ??= loadEs256Key({
    signs: "signing receipts",
    pemVariable: "HANDOVER_RECEIPT_KEY_PEM",
    fileVariable: "HANDOVER_RECEIPT_KEY_FILE",
    pem: HANDOVER_RECEIPT_KEY_PEM,
    file: HANDOVER_RECEIPT_KEY_FILE,
    generatedFile: GENERATED_FILE,
  }).catch((error: unknown) => {
    registry.__handoverReceiptKey = undefined;
    throw error;
  });
  return registry.__handoverReceiptKey;
}

/**
 * Keeps the public half of the current key in the database, and that of a key an earlier version
 * generated in this data folder before one was configured: receipts it signed stay verifiable.
 */
export async function publishReceiptKeys(executor: Executor = db()): Promise<void> {
  const current = await receiptKey();
  const keys = [current.publicJwk];
  const generated = generatedKeyPath(GENERATED_FILE);
  if (current.origin !== generated && fs.existsSync(generated)) {
    const earlier = await importEs256Pem(fs.readFileSync(generated, "utf8"), generated).catch((error: unknown) => {
      logger.warn({ err: error, file: generated }, "an earlier receipt key in the data folder cannot be read; receipts it signed will not verify");
      return null;
    });
    if (earlier && earlier.kid !== current.kid) keys.push(earlier.publicJwk);
  }
  await executor
    .insert(receiptKeys)
    .values(keys.map((publicJwk) => ({ kid: publicJwk.kid!, publicJwk })))
    .onConflictDoNothing();
}

// Published before the first receipt it signs leaves this process, once per process.
function ensurePublished(): Promise<void> {
  registry.__handoverReceiptKeyPublished ??= publishReceiptKeys().catch((error: unknown) => {
    registry.__handoverReceiptKeyPublished = undefined;
    throw error;
  });
  return registry.__handoverReceiptKeyPublished;
}

export async function signReceipt(payload: ReceiptPayload): Promise<string> {
  const key = await receiptKey();
  await ensurePublished();
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: ES256, kid: key.kid, typ: "handover-receipt+jws" })
    .sign(key.privateKey);
}

/** Every public key that ever signed a receipt, oldest first, as served at /.well-known/jwks.json. */
export async function publicJwks(executor: Executor = db()): Promise<{ keys: JWK[] }> {
  const rows = await executor.select({ publicJwk: receiptKeys.publicJwk }).from(receiptKeys).orderBy(asc(receiptKeys.firstUsedAt));
  const keys = rows.map((row) => row.publicJwk as JWK);
  const current = (await receiptKey()).publicJwk;
  if (!keys.some((key) => key.kid === current.kid)) keys.push(current);
  return { keys };
}

/** Checks a receipt the way anyone else would: against the published key set. */
export async function verifyReceipt(jws: string): Promise<ReceiptPayload> {
  const { payload } = await compactVerify(jws, createLocalJWKSet(await publicJwks()), { algorithms: [ES256] });
  return JSON.parse(new TextDecoder().decode(payload)) as ReceiptPayload;
}

export function resetReceiptKeyCache() {
  registry.__handoverReceiptKey = undefined;
  registry.__handoverReceiptKeyPublished = undefined;
}
