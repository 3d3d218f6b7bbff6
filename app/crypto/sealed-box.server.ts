import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { masterKey } from "./master-key.server";

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A purpose-specific key derived from the master key, so one purpose's ciphertexts never open another's. */
function derivedKey(purpose: string, key: Buffer = masterKey().key): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `handover:${purpose}`, 32));
}

/** Which master key to use; only `keys:rotate` passes one (to open under the old key and seal under the new). */
type WithKey = { masterKey?: Buffer };

/**
 * AES-256-GCM with a random 96-bit nonce. The associated data binds the ciphertext to where it is
 * stored (e.g. the user it belongs to): moved elsewhere, it fails to decrypt.
 * Layout: version (1) | nonce (12) | ciphertext | tag (16).
 */
export function seal({
  purpose,
  associatedData,
  plaintext,
  masterKey: key,
}: { purpose: string; associatedData: string; plaintext: string } & WithKey) {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(purpose, key), nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]));
}

/** Whether bytes have the layout seal() writes (not whether they open). */
export function looksSealed(sealed: Uint8Array) {
  return sealed[0] === VERSION && sealed.length >= 1 + NONCE_BYTES + TAG_BYTES;
}

export function open({
  purpose,
  associatedData,
  sealed,
  masterKey: key,
}: { purpose: string; associatedData: string; sealed: Uint8Array } & WithKey) {
  const bytes = Buffer.from(sealed);
  if (bytes[0] !== VERSION || bytes.length < 1 + NONCE_BYTES + TAG_BYTES) throw new Error("unknown sealed-box format");
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", derivedKey(purpose, key), nonce);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
}
