import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CredentialField,
  decryptField,
  encryptField,
  generateDataKey,
  unwrapDataKey,
  VaultDecryptionError,
  wrapDataKey,
} from "../app/vault/envelope.server";

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));
const uuid = fc.uuid();
const field = fc.constantFrom<CredentialField>("secret", "totp", "notes");
const plaintext = fc.string({ unit: "binary", maxLength: 300 });
const address = fc.record({ caseId: uuid, credentialId: uuid, field });

describe("credential field encryption (AES-256-GCM under the case data key)", () => {
  it("decrypts what it encrypted, for any text and any address", () => {
    fc.assert(
      fc.property(key, address, plaintext, (dataKey, at, text) => {
        const sealed = encryptField({ dataKey, ...at, plaintext: text });
        expect(decryptField({ dataKey, ...at, sealed })).toBe(text);
      }),
    );
  });

  it("uses a fresh nonce each time: the same value never encrypts to the same bytes", () => {
    fc.assert(
      fc.property(key, address, plaintext, (dataKey, at, text) => {
        const a = Buffer.from(encryptField({ dataKey, ...at, plaintext: text }));
        const b = Buffer.from(encryptField({ dataKey, ...at, plaintext: text }));
        expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
        expect(a.equals(b)).toBe(false);
      }),
    );
  });

  it("refuses a ciphertext with any one byte changed", () => {
    fc.assert(
      fc.property(key, address, plaintext, fc.nat(), fc.integer({ min: 1, max: 255 }), (dataKey, at, text, position, flip) => {
        const sealed = Buffer.from(encryptField({ dataKey, ...at, plaintext: text }));
        const index = position % sealed.length;
        sealed[index] = sealed[index]! ^ flip;
        expect(() => decryptField({ dataKey, ...at, sealed })).toThrow(VaultDecryptionError);
      }),
    );
  });

  it("refuses a ciphertext moved to another case, credential or field (associated data)", () => {
    fc.assert(
      fc.property(key, address, address, plaintext, (dataKey, from, to, text) => {
        fc.pre(from.caseId !== to.caseId || from.credentialId !== to.credentialId || from.field !== to.field);
        const sealed = encryptField({ dataKey, ...from, plaintext: text });
        expect(() => decryptField({ dataKey, ...to, sealed })).toThrow(VaultDecryptionError);
      }),
    );
  });

  it("refuses the wrong key", () => {
    fc.assert(
      fc.property(key, key, address, plaintext, (right, wrong, at, text) => {
        fc.pre(!right.equals(wrong));
        const sealed = encryptField({ dataKey: right, ...at, plaintext: text });
        expect(() => decryptField({ dataKey: wrong, ...at, sealed })).toThrow(VaultDecryptionError);
      }),
    );
  });

  it("refuses truncated or foreign bytes without saying what they held", () => {
    fc.assert(
      fc.property(key, address, fc.uint8Array({ maxLength: 40 }), (dataKey, at, junk) => {
        const error = (() => {
          try {
            decryptField({ dataKey, ...at, sealed: junk });
          } catch (caught) {
            return caught as Error;
          }
          return null;
        })();
        expect(error).toBeInstanceOf(VaultDecryptionError);
        expect(error!.message).toBe("a vault ciphertext could not be decrypted");
      }),
    );
  });
});

describe("data-key wrapping (AES-256-GCM under a key derived from the master key)", () => {
  it("unwraps what it wrapped", () => {
    fc.assert(
      fc.property(key, key, uuid, (dataKey, masterKey, caseId) => {
        const wrapped = wrapDataKey({ dataKey, caseId, masterKey });
        expect(unwrapDataKey({ wrapped, caseId, masterKey }).equals(dataKey)).toBe(true);
      }),
    );
  });

  it("refuses another master key, another case, or a changed byte", () => {
    fc.assert(
      fc.property(key, key, key, uuid, uuid, fc.nat(), (dataKey, masterKey, otherMaster, caseId, otherCase, position) => {
        fc.pre(!masterKey.equals(otherMaster) && caseId !== otherCase);
        const wrapped = wrapDataKey({ dataKey, caseId, masterKey });
        expect(() => unwrapDataKey({ wrapped, caseId, masterKey: otherMaster })).toThrow(VaultDecryptionError);
        expect(() => unwrapDataKey({ wrapped, caseId: otherCase, masterKey })).toThrow(VaultDecryptionError);
        const tampered = Buffer.from(wrapped);
        tampered[position % tampered.length]! ^= 0x01;
        expect(() => unwrapDataKey({ wrapped: tampered, caseId, masterKey })).toThrow(VaultDecryptionError);
      }),
    );
  });

  it("never stores the data key in the clear inside its wrapping", () => {
    const dataKey = generateDataKey();
    const wrapped = Buffer.from(wrapDataKey({ dataKey, caseId: "00000000-0000-4000-8000-000000000001", masterKey: generateDataKey() }));
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(wrapped.length).toBe(1 + 12 + 32 + 16);
  });
});
