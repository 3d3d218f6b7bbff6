// The key that signs audit checkpoints (ES256). It comes from configuration so that every app
// instance signs with the same key: HANDOVER_CHECKPOINT_KEY_PEM or HANDOVER_CHECKPOINT_KEY_FILE.
// Outside production a key is generated once in the data folder; in production a missing key
// stops the start. The key id (kid) is the RFC 7638 thumbprint of the public key, so a changed key
// is a new kid and checkpoints signed by the old one stay verifiable against its published half.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from "jose";
import { ConfigError, config, isProduction } from "../config.server";
import { logger } from "../log.server";

export const CHECKPOINT_ALGORITHM = "ES256";
const GENERATED_KEY_FILE = "checkpoint-es256.pem";

export interface CheckpointKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half with kid, alg and use, as published in the JWKS. */
  publicJwk: JWK;
  /** Where it came from, for messages (never the key itself). */
  origin: string;
}

const registry = globalThis as typeof globalThis & { __handoverCheckpointKey?: Promise<CheckpointKey> };

async function generateInDataFolder(file: string) {
  const { privateKey } = await generateKeyPair(CHECKPOINT_ALGORITHM, { extractable: true });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Linked into place from a temporary file: a process starting at the same moment either sees
  // the complete key or loses the race and uses the winner's.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, await exportPKCS8(privateKey), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    logger.warn({ file }, "Generated the audit checkpoint key. Back it up; in production set HANDOVER_CHECKPOINT_KEY_FILE or _PEM.");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

async function readConfiguredPem(): Promise<{ pem: string; origin: string }> {
  const { HANDOVER_CHECKPOINT_KEY_PEM, HANDOVER_CHECKPOINT_KEY_FILE, HANDOVER_DATA_DIR } = config();
  if (HANDOVER_CHECKPOINT_KEY_PEM) return { pem: HANDOVER_CHECKPOINT_KEY_PEM, origin: "HANDOVER_CHECKPOINT_KEY_PEM" };
  if (HANDOVER_CHECKPOINT_KEY_FILE) {
    try {
      return { pem: fs.readFileSync(HANDOVER_CHECKPOINT_KEY_FILE, "utf8"), origin: HANDOVER_CHECKPOINT_KEY_FILE };
    } catch {
      throw new ConfigError(`HANDOVER_CHECKPOINT_KEY_FILE: cannot read ${HANDOVER_CHECKPOINT_KEY_FILE}`);
    }
  }
  if (isProduction()) {
    throw new ConfigError(
      "HANDOVER_CHECKPOINT_KEY_FILE or HANDOVER_CHECKPOINT_KEY_PEM is required in production: every instance must sign audit " +
        "checkpoints with the same key (make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out checkpoint.pem).",
    );
  }
  const file = path.join(HANDOVER_DATA_DIR, "keys", GENERATED_KEY_FILE);
  if (!fs.existsSync(file)) await generateInDataFolder(file);
  return { pem: fs.readFileSync(file, "utf8"), origin: file };
}

async function load(): Promise<CheckpointKey> {
  const { pem, origin } = await readConfiguredPem();
  let privateKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, CHECKPOINT_ALGORITHM, { extractable: true });
  } catch {
    throw new ConfigError(`${origin}: expected a PKCS#8 PEM EC P-256 private key for ES256`);
  }
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: CHECKPOINT_ALGORITHM, use: "sig" }, origin };
}

/** The configured checkpoint key, loaded once per process. Throws ConfigError when it cannot be used. */
export function checkpointKey(): Promise<CheckpointKey> {
  registry.__handoverCheckpointKey ??= load().catch((error: unknown) => {
    registry.__handoverCheckpointKey = undefined;
    throw error;
  });
  return registry.__handoverCheckpointKey;
}

/** For tests that change the key between runs. */
export function resetCheckpointKeyCache() {
  registry.__handoverCheckpointKey = undefined;
}
