import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, config } from "../config.server";
import { logger } from "../log.server";

export interface MasterKey {
  /** Short, non-secret fingerprint stored beside everything the key protects. */
  id: string;
  key: Buffer;
}

export const masterKeyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 16);

const registry = globalThis as typeof globalThis & { __handoverMasterKey?: MasterKey };

/**
 * The master key protects every other secret. It comes from HANDOVER_MASTER_KEY; outside
 * production a missing one is generated once in the data folder (and must be backed up). In
 * production only the variable counts: a key on one instance's disk is not one every instance has.
 */
export function masterKey(): MasterKey {
  if (registry.__handoverMasterKey) return registry.__handoverMasterKey;
  const { HANDOVER_MASTER_KEY, HANDOVER_DATA_DIR, NODE_ENV } = config();
  if (HANDOVER_MASTER_KEY) {
    const key = Buffer.from(HANDOVER_MASTER_KEY, "base64");
    registry.__handoverMasterKey = { id: masterKeyId(key), key };
    return registry.__handoverMasterKey;
  }
  const file = generatedMasterKeyFile(HANDOVER_DATA_DIR);
  if (NODE_ENV === "production") {
    throw new ConfigError(
      "HANDOVER_MASTER_KEY is not set. In production the master key must be configured, the same on every instance: " +
        (fs.existsSync(file)
          ? `this data folder holds the key generated earlier (${file}); set HANDOVER_MASTER_KEY to its content.`
          : "generate one with `openssl rand -base64 32`, keep a backup, and set HANDOVER_MASTER_KEY."),
    );
  }
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    if (key.length !== 32) throw new ConfigError(`${file} does not hold base64 of 32 bytes`);
    registry.__handoverMasterKey = { id: masterKeyId(key), key };
    return registry.__handoverMasterKey;
  }
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  logger.warn(
    { file },
    "Generated a new master key. Back this file up: without it, encrypted secrets cannot be recovered.",
  );
  registry.__handoverMasterKey = { id: masterKeyId(key), key };
  return registry.__handoverMasterKey;
}

/** Where a master key generated outside production lives (and `keys:rotate` replaces it). */
export const generatedMasterKeyFile = (dataDir: string) => path.join(dataDir, "keys", "master.key");

/**
 * A key check value: proves which master key a database's secrets are sealed under without
 * revealing it (an HMAC of a fixed text under a key derived for this one purpose).
 */
export const masterKeyCheckValue = (key: Buffer): Buffer =>
  createHmac("sha256", Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "handover:master-key-check", 32)))
    .update("handover master key check value, version 1")
    .digest();

export function resetMasterKeyCache() {
  registry.__handoverMasterKey = undefined;
}
