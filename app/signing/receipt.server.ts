// Signing receipts: a compact JWS (ES256) over the facts of a signature, which anyone can check
// against the public key published at /.well-known/jwks.json. The key pair is generated once in
// the data folder, like the master key, and never leaves it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type JWK,
} from "jose";
import { config } from "../config.server";
import { logger } from "../log.server";

const ALGORITHM = "ES256";
const KEY_FILE = "receipt-es256.pem";

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

interface ReceiptKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const registry = globalThis as typeof globalThis & { __handoverReceiptKey?: Promise<ReceiptKey> };

async function loadOrCreate(): Promise<ReceiptKey> {
  const file = path.join(config().HANDOVER_DATA_DIR, "keys", KEY_FILE);
  if (!fs.existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Linked into place from a temporary file: a process starting at the same moment either sees
    // the complete key or loses the race and uses the winner's.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temporary, await exportPKCS8(privateKey), { mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
      logger.warn({ file }, "Generated the signing-receipt key. Back it up: receipts already issued are checked against it.");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  const privateKey = await importPKCS8(fs.readFileSync(file, "utf8"), ALGORITHM, { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: "sig" } };
}

function receiptKey(): Promise<ReceiptKey> {
  registry.__handoverReceiptKey ??= loadOrCreate().catch((error: unknown) => {
    registry.__handoverReceiptKey = undefined;
    throw error;
  });
  return registry.__handoverReceiptKey;
}

export async function signReceipt(payload: ReceiptPayload): Promise<string> {
  const key = await receiptKey();
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: "handover-receipt+jws" })
    .sign(key.privateKey);
}

/** The public half, as served at /.well-known/jwks.json. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: [(await receiptKey()).publicJwk] };
}

/** Checks a receipt the way anyone else would: against the published key set. */
export async function verifyReceipt(jws: string): Promise<ReceiptPayload> {
  const { payload } = await compactVerify(jws, createLocalJWKSet(await publicJwks()), { algorithms: [ALGORITHM] });
  return JSON.parse(new TextDecoder().decode(payload)) as ReceiptPayload;
}

export function resetReceiptKeyCache() {
  registry.__handoverReceiptKey = undefined;
}
