// Keys that several instances on one database must share: the master key (checked against the
// database's key check value), the signing-receipt key (every public half kept, so receipts verify
// anywhere and after a key change), and what production requires from configuration. An email
// whose body does not open is kept for an operator, never destroyed.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { CompactSign, decodeProtectedHeader } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, assertProductionKeysConfigured, parseConfig, resetConfigCache } from "../app/config.server";
import {
  MasterKeyMismatchError,
  assertMasterKeyMatchesDatabase,
  masterKeyMatchesDatabase,
  recordMasterKeyCheck,
} from "../app/crypto/master-key-check.server";
import { type MasterKey, masterKey, masterKeyId, resetMasterKeyCache } from "../app/crypto/master-key.server";
import { deliverDueEmails, enqueueEmail, getOutboxMessage, pruneOutbox } from "../app/mail/outbox.server";
import { readiness } from "../app/health.server";
import type { MailTransport } from "../app/mail/transport.server";
import { loader as jwksLoader } from "../app/routes/[.]well-known.jwks[.]json";
import { publishReceiptKeys, receiptKey, resetReceiptKeyCache, signReceipt, verifyReceipt } from "../app/signing/receipt.server";
import { addCredential } from "../app/vault/credentials.server";
import { rotateMasterKey } from "../app/vault/rekey.server";
import { masterKeyCheck, outboxMessages } from "../db/schema";
import { testDb } from "./helpers/database";
import { createTestMspProfile } from "./helpers/mail";
import { createCaseWithContacts } from "./helpers/portal";

const saved = { ...process.env };
const VARIABLES = ["HANDOVER_MASTER_KEY", "HANDOVER_RECEIPT_KEY_PEM", "HANDOVER_DATA_DIR", "NODE_ENV"] as const;

function withEnv(changes: Partial<Record<(typeof VARIABLES)[number], string | undefined>>) {
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfigCache();
  resetMasterKeyCache();
  resetReceiptKeyCache();
}

afterEach(() => withEnv(Object.fromEntries(VARIABLES.map((name) => [name, saved[name]]))));

const newMasterKey = (): MasterKey => {
  const key = randomBytes(32);
  return { id: masterKeyId(key), key };
};
const useMasterKey = (key: MasterKey) => withEnv({ HANDOVER_MASTER_KEY: key.key.toString("base64") });
const forgetCheckValue = () => testDb().delete(masterKeyCheck);
const ecPem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

/** A transport that records what it was asked to send. */
function recordingTransport() {
  const sent: string[] = [];
  const transport: MailTransport = {
    kind: "smtp",
    description: "recording",
    send: async (email) => {
      sent.push(email.id);
    },
    close: () => {},
  };
  return { sent, transport };
}

async function enqueueNotification() {
  return testDb().transaction((tx) =>
    enqueueEmail(tx, {
      to: "ops@customer.test",
      template: "notification",
      props: { title: "A copy of the signed waiver", paragraphs: ["Attached."] },
      attachments: [{ filename: "waiver.pdf", contentType: "application/pdf", content: new Uint8Array([37, 80, 68, 70]) }],
    }),
  );
}

const outboxRow = async (id: string) =>
  (await testDb()
    .select({ status: outboxMessages.status, sealedBody: outboxMessages.sealedBody, attempts: outboxMessages.attempts, lastError: outboxMessages.lastError })
    .from(outboxMessages)
    .where(eq(outboxMessages.id, id)))[0]!;

beforeAll(async () => {
  await createTestMspProfile();
});

describe("the master key check", () => {
  it("records the database's key at the first start and refuses an instance with another key, saying what to do", async () => {
    const original = masterKey();
    await assertMasterKeyMatchesDatabase();
    const [stored] = await testDb().select({ keyId: masterKeyCheck.keyId }).from(masterKeyCheck);
    expect(stored!.keyId).toBe(original.id);

    const other = newMasterKey();
    useMasterKey(other);
    const error = await assertMasterKeyMatchesDatabase().then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(MasterKeyMismatchError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain(`id ${other.id}, from HANDOVER_MASTER_KEY`);
    expect(error!.message).toContain(`master key ${original.id}`);
    expect(error!.message).toMatch(/set HANDOVER_MASTER_KEY to the key of the instances already running/);
    // The refused key changed nothing.
    expect(await masterKeyMatchesDatabase(testDb(), original)).toBe(true);

    useMasterKey(original);
    await expect(assertMasterKeyMatchesDatabase()).resolves.toBeUndefined();
  });

  it("on a database that has no check value yet, refuses a key none of its sealed values opens with", async () => {
    const original = masterKey();
    await forgetCheckValue();
    await enqueueNotification();
    useMasterKey(newMasterKey());
    await expect(assertMasterKeyMatchesDatabase()).rejects.toThrow(/none of the 1 newest sealed values opens with it/);
    expect(await testDb().select().from(masterKeyCheck)).toHaveLength(0);

    useMasterKey(original);
    await assertMasterKeyMatchesDatabase();
    expect(await masterKeyMatchesDatabase(testDb(), original)).toBe(true);
  });

  it("on a database that has no check value yet, refuses a key other than the one its case data keys are wrapped under", async () => {
    const original = masterKey();
    const fixture = await createCaseWithContacts();
    await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Admin", secret: "wrapped-under-the-original" } });
    await forgetCheckValue();
    useMasterKey(newMasterKey());
    await expect(assertMasterKeyMatchesDatabase()).rejects.toThrow(`case data keys are wrapped under master key ${original.id}`);
  });

  it("makes /healthz say not ready, rather than alive and wrong, once the database's key has moved on", async () => {
    const original = masterKey();
    await recordMasterKeyCheck(testDb(), original);
    expect(await readiness()).toEqual({ ready: true });
    await recordMasterKeyCheck(testDb(), newMasterKey());
    expect(await readiness()).toEqual({ ready: false, reason: "master key outdated" });
    await recordMasterKeyCheck(testDb(), original);
  });

  it("moves to the new key in the rotation's transaction", async () => {
    const original = masterKey();
    useMasterKey(original);
    await assertMasterKeyMatchesDatabase();
    const next = newMasterKey();
    await rotateMasterKey({ oldKey: original, newKey: next });
    expect(await masterKeyMatchesDatabase(testDb(), next)).toBe(true);
    expect(await masterKeyMatchesDatabase(testDb(), original)).toBe(false);
    // Undone for the tests after this one, which seal under the original key.
    await rotateMasterKey({ oldKey: next, newKey: original });
  });
});

describe("an email whose body does not open", () => {
  beforeEach(async () => {
    await testDb().delete(outboxMessages);
  });

  it("is kept, still sealed, and marked for an operator instead of being dropped", async () => {
    await recordMasterKeyCheck(testDb(), masterKey());
    const { id } = await enqueueNotification();
    // A changed byte: AES-GCM refuses to open it under any key.
    const sealed = Buffer.from((await outboxRow(id)).sealedBody!);
    sealed[sealed.length - 1]! ^= 0xff;
    await testDb().update(outboxMessages).set({ sealedBody: sealed }).where(eq(outboxMessages.id, id));

    const { sent, transport } = recordingTransport();
    expect(await deliverDueEmails({ transport })).toMatchObject({ claimed: 1, undecryptable: 1, sent: 0, failed: 0 });
    expect(sent).toEqual([]);
    const row = await outboxRow(id);
    expect(row.status).toBe("undecryptable");
    expect(Buffer.from(row.sealedBody!).equals(sealed)).toBe(true);
    expect(row.lastError).toMatch(/does not open with the database's master key.*kept, not sent/);

    // Not claimed again, not pruned, shown without content rather than as an error.
    expect(await deliverDueEmails({ transport })).toMatchObject({ claimed: 0 });
    expect(await pruneOutbox({ olderThanDays: -1 })).toBe(0);
    expect(await getOutboxMessage({ id, withBody: true })).toMatchObject({ status: "undecryptable", body: null });
    // The database itself refuses to drop the body of such a message.
    await expect(testDb().update(outboxMessages).set({ sealedBody: null }).where(eq(outboxMessages.id, id))).rejects.toThrow();
  });

  it("is left for another instance, uncounted, when this instance's key is no longer the database's", async () => {
    const outdated = masterKey();
    const current = newMasterKey();
    // Another instance's rotation: the database and its new email are under `current` now.
    useMasterKey(current);
    const { id } = await enqueueNotification();
    await recordMasterKeyCheck(testDb(), current);

    useMasterKey(outdated);
    const { sent, transport } = recordingTransport();
    expect(await deliverDueEmails({ transport })).toMatchObject({ claimed: 1, released: 1, undecryptable: 0 });
    expect(await outboxRow(id)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await outboxRow(id)).sealedBody).not.toBeNull();

    useMasterKey(current);
    await testDb().update(outboxMessages).set({ nextAttemptAt: sql`now()` }).where(eq(outboxMessages.id, id));
    expect(await deliverDueEmails({ transport })).toMatchObject({ sent: 1 });
    expect(sent).toEqual([id]);
    await recordMasterKeyCheck(testDb(), outdated);
  });
});

describe("the signing-receipt key", () => {
  const receipt = { iss: "https://handover.msp.test", documentId: "2f1c0c56-8a53-4a47-9d2f-6a0d1f1c2b3a", sha256: "ab".repeat(32), signer: { name: "Sam", email: "sam@customer.test" }, signedAt: new Date().toISOString() };
  const publishedKids = async () => ((await (await jwksLoader()).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

  it("signs with the configured key, and receipts of the key before keep verifying after a change", async () => {
    withEnv({ HANDOVER_RECEIPT_KEY_PEM: ecPem() });
    const first = await signReceipt(receipt);
    const firstKid = decodeProtectedHeader(first).kid;
    expect(firstKid).toBe((await receiptKey()).kid);

    withEnv({ HANDOVER_RECEIPT_KEY_PEM: ecPem() });
    const second = await signReceipt(receipt);
    expect(decodeProtectedHeader(second).kid).not.toBe(firstKid);
    // A fresh process knows the earlier key only from the database.
    resetReceiptKeyCache();
    await expect(verifyReceipt(first)).resolves.toMatchObject({ documentId: receipt.documentId });
    await expect(verifyReceipt(second)).resolves.toMatchObject({ documentId: receipt.documentId });
    expect(await publishedKids()).toEqual(expect.arrayContaining([firstKid, decodeProtectedHeader(second).kid]));
  });

  it("keeps publishing a key an earlier version generated in the data folder, once another is configured", async () => {
    withEnv({ HANDOVER_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "handover-receipt-")), HANDOVER_RECEIPT_KEY_PEM: undefined });
    const generated = await receiptKey();
    expect(generated.origin).toMatch(/receipt-es256\.pem$/);
    // Signed before this version kept keys in the database.
    const old = await new CompactSign(new TextEncoder().encode(JSON.stringify(receipt)))
      .setProtectedHeader({ alg: "ES256", kid: generated.kid, typ: "handover-receipt+jws" })
      .sign(generated.privateKey);

    withEnv({ HANDOVER_RECEIPT_KEY_PEM: ecPem() });
    await publishReceiptKeys();
    await expect(verifyReceipt(old)).resolves.toMatchObject({ sha256: receipt.sha256 });
  });

  it("requires a configured key in production instead of generating one", async () => {
    withEnv({ NODE_ENV: "production", HANDOVER_RECEIPT_KEY_PEM: undefined });
    const error = await receiptKey().then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain("HANDOVER_RECEIPT_KEY_FILE or HANDOVER_RECEIPT_KEY_PEM is required in production");
  });
});

describe("production takes every key from configuration", () => {
  it("names every missing key at once", () => {
    const check = (vars: Record<string, string>) => () => assertProductionKeysConfigured(parseConfig({ NODE_ENV: "production", ...vars }));
    expect(check({})).toThrow(ConfigError);
    for (const name of ["HANDOVER_MASTER_KEY", "HANDOVER_SIGNING_P12_FILE", "HANDOVER_CHECKPOINT_KEY_FILE", "HANDOVER_RECEIPT_KEY_FILE"]) {
      expect(check({})).toThrow(name);
    }
    const all = {
      HANDOVER_MASTER_KEY: randomBytes(32).toString("base64"),
      HANDOVER_SIGNING_P12_FILE: "/etc/handover/seal.p12",
      HANDOVER_CHECKPOINT_KEY_PEM: ecPem(),
      HANDOVER_RECEIPT_KEY_FILE: "/etc/handover/receipt.pem",
    };
    expect(check(all)).not.toThrow();
    const { HANDOVER_RECEIPT_KEY_FILE: _receipt, ...withoutReceipt } = all;
    expect(check(withoutReceipt)).toThrow(/Not set:\n {2}HANDOVER_RECEIPT_KEY_FILE or HANDOVER_RECEIPT_KEY_PEM/);
    expect(() => assertProductionKeysConfigured(parseConfig({ NODE_ENV: "development" }))).not.toThrow();
  });

  it("does not take the master key from the data folder, and says which file holds the one generated earlier", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-master-"));
    fs.mkdirSync(path.join(dataDir, "keys"));
    fs.writeFileSync(path.join(dataDir, "keys", "master.key"), `${randomBytes(32).toString("base64")}\n`);
    withEnv({ NODE_ENV: "production", HANDOVER_MASTER_KEY: undefined, HANDOVER_DATA_DIR: dataDir });
    expect(() => masterKey()).toThrow(`this data folder holds the key generated earlier (${path.join(dataDir, "keys", "master.key")}); set HANDOVER_MASTER_KEY`);
  });
});
