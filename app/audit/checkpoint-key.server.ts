// The key that signs audit checkpoints (ES256). It comes from configuration so that every app
// instance signs with the same key: HANDOVER_CHECKPOINT_KEY_PEM or HANDOVER_CHECKPOINT_KEY_FILE
// (app/crypto/es256-key.server.ts: generated in the data folder outside production, required in
// production). Its kid is the key's thumbprint: checkpoints signed by an older key stay
// verifiable against the public half kept in audit_checkpoint_keys.
import { config } from "../config.server";
import { ES256, type Es256Key, loadEs256Key } from "../crypto/es256-key.server";

export const CHECKPOINT_ALGORITHM = ES256;

export type CheckpointKey = Es256Key;

const registry = globalThis as typeof globalThis & { __handoverCheckpointKey?: Promise<CheckpointKey> };

/** The configured checkpoint key, loaded once per process. Throws ConfigError when it cannot be used. */
export function checkpointKey(): Promise<CheckpointKey> {
  const { HANDOVER_CHECKPOINT_KEY_PEM, HANDOVER_CHECKPOINT_KEY_FILE } = config();
  registry.__handoverCheckpointKey ??= loadEs256Key({
    signs: "audit checkpoints",
    pemVariable: "HANDOVER_CHECKPOINT_KEY_PEM",
    fileVariable: "HANDOVER_CHECKPOINT_KEY_FILE",
    pem: HANDOVER_CHECKPOINT_KEY_PEM,
    file: HANDOVER_CHECKPOINT_KEY_FILE,
    generatedFile: "checkpoint-es256.pem",
  }).catch((error: unknown) => {
    registry.__handoverCheckpointKey = undefined;
    throw error;
  });
  return registry.__handoverCheckpointKey;
}

/** For tests that change the key between runs. */
export function resetCheckpointKeyCache() {
  registry.__handoverCheckpointKey = undefined;
}
