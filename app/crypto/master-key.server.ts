import { createHash, randomBytes } from "node:crypto";
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
 * production a missing one is generated once in the data folder (and must be backed up).
 */
export function masterKey(): MasterKey {
  if (registry.__handoverMasterKey) return registry.__handoverMasterKey;
  const { HANDOVER_MASTER_KEY, HANDOVER_DATA_DIR, NODE_ENV } = config();
  if (HANDOVER_MASTER_KEY) {
    const key = Buffer.from(HANDOVER_MASTER_KEY, "base64");
    registry.__handoverMasterKey = { id: masterKeyId(key), key };
    return registry.__handoverMasterKey;
  }
  const file = path.join(HANDOVER_DATA_DIR, "keys", "master.key");
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    if (key.length !== 32) throw new ConfigError(`${file} does not hold base64 of 32 bytes`);
    registry.__handoverMasterKey = { id: masterKeyId(key), key };
    return registry.__handoverMasterKey;
  }
  if (NODE_ENV === "production") {
    throw new ConfigError(
      "HANDOVER_MASTER_KEY is not set. In production the master key must be configured: " +
        "generate one with `openssl rand -base64 32`, keep a backup, and set HANDOVER_MASTER_KEY.",
    );
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

export function resetMasterKeyCache() {
  registry.__handoverMasterKey = undefined;
}
