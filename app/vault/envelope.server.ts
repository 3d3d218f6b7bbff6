// Envelope encryption for the credential vault. Each case has its own random 32-byte data key; it
// is stored only wrapped (AES-256-GCM) under a key derived from the master key. Every secret field
// is AES-256-GCM under the case's data key, with associated data naming the case, the credential
// and the field, so a ciphertext copied into another row, field or case fails to decrypt.
// See docs/decisions/005-credential-encryption.md.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/** The sealed fields of a credential; the name is part of the associated data. */
export type CredentialField = "secret" | "totp" | "notes";

/** Decryption refused: wrong key, altered bytes, or a ciphertext moved from where it belongs. */
export class VaultDecryptionError extends Error {
  override name = "VaultDecryptionError";
  constructor() {
    // Never the plaintext, the key or the ciphertext: only that it did not open.
    super("a vault ciphertext could not be decrypted");
  }
}

// Layout of every ciphertext here: version (1) | nonce (12) | ciphertext | tag (16).
function encrypt(key: Buffer, associatedData: string, plaintext: Buffer): Uint8Array {
  if (key.length !== DATA_KEY_BYTES) throw new Error("vault keys are 32 bytes");
  // A random 96-bit nonce per encryption: with at most a few thousand encryptions per key, the
  // chance of a repeat is negligible (the GCM limit is 2^32 random nonces per key).
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]));
}

function decrypt(key: Buffer, associatedData: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  if (key.length !== DATA_KEY_BYTES || bytes[0] !== VERSION || bytes.length < 1 + NONCE_BYTES + TAG_BYTES) {
    throw new VaultDecryptionError();
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new VaultDecryptionError();
  }
}

// JSON arrays make the associated data unambiguous whatever the parts contain.
const dataKeyAd = (caseId: string) => JSON.stringify(["handover-vault-data-key", 1, caseId]);
const fieldAd = (caseId: string, credentialId: string, field: CredentialField) =>
  JSON.stringify(["handover-credential", 1, caseId, credentialId, field]);

/** The key-encryption key: derived from the master key for this one purpose only. */
function keyEncryptionKey(masterKey: Buffer): Buffer {
  if (masterKey.length !== 32) throw new Error("the master key is 32 bytes");
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "handover:vault-data-key-wrap", 32));
}

export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function wrapDataKey({ dataKey, caseId, masterKey }: { dataKey: Buffer; caseId: string; masterKey: Buffer }) {
  return encrypt(keyEncryptionKey(masterKey), dataKeyAd(caseId), dataKey);
}

export function unwrapDataKey({ wrapped, caseId, masterKey }: { wrapped: Uint8Array; caseId: string; masterKey: Buffer }) {
  const key = decrypt(keyEncryptionKey(masterKey), dataKeyAd(caseId), wrapped);
  if (key.length !== DATA_KEY_BYTES) throw new VaultDecryptionError();
  return key;
}

export interface FieldAddress {
  caseId: string;
  credentialId: string;
  field: CredentialField;
}

export function encryptField({ dataKey, plaintext, ...address }: FieldAddress & { dataKey: Buffer; plaintext: string }) {
  return encrypt(dataKey, fieldAd(address.caseId, address.credentialId, address.field), Buffer.from(plaintext, "utf8"));
}

export function decryptField({ dataKey, sealed, ...address }: FieldAddress & { dataKey: Buffer; sealed: Uint8Array }) {
  return decrypt(dataKey, fieldAd(address.caseId, address.credentialId, address.field), sealed).toString("utf8");
}
