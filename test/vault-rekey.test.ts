import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { type MasterKey, masterKey, masterKeyId, resetMasterKeyCache } from "../app/crypto/master-key.server";
import { enqueueEmail, getOutboxMessage } from "../app/mail/outbox.server";
import { consumeTotpCode } from "../app/staff/totp.server";
import { addCredential, recordRotation } from "../app/vault/credentials.server";
import { unwrapDataKey, VaultDecryptionError } from "../app/vault/envelope.server";
import { SEALED_COLUMNS } from "../app/crypto/sealed-columns.server";
import { MasterKeyRotationError, rotateMasterKey, VAULT_BYTEA_COLUMNS } from "../app/vault/rekey.server";
import { revealForStaff } from "../app/vault/reveal.server";
import { queryRows } from "../db/client";
import { auditEvents, caseVaults, staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts } from "./helpers/portal";
import { createEnrolledStaff, freshCode } from "./helpers/staff-auth";

const newMasterKey = (): MasterKey => {
  const key = randomBytes(32);
  return { id: masterKeyId(key), key };
};

/** Makes `key` the configured master key of this process, as an operator would after rotating. */
function useMasterKey(key: MasterKey) {
  process.env.HANDOVER_MASTER_KEY = key.key.toString("base64");
  resetConfigCache();
  resetMasterKeyCache();
}

const originalKey = process.env.HANDOVER_MASTER_KEY;
afterEach(() => {
  if (originalKey === undefined) delete process.env.HANDOVER_MASTER_KEY;
  else process.env.HANDOVER_MASTER_KEY = originalKey;
  resetConfigCache();
  resetMasterKeyCache();
});

async function caseWithSecrets(count: number) {
  const fixture = await createCaseWithContacts();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await addCredential({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { name: `Admin ${i}`, secret: `case-secret-${i}`, releaseTo: "incoming_provider" },
    });
    await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset" } });
    ids.push(id);
  }
  return { fixture, ids };
}

describe("npx handover keys:rotate (rotateMasterKey)", () => {
  it("re-wraps 100 % of the data keys and re-seals staff TOTP secrets and pending email bodies, in one go", async () => {
    const start = newMasterKey();
    useMasterKey(start);
    const cases = [await caseWithSecrets(2), await caseWithSecrets(1), await caseWithSecrets(3)];
    const staff = await createEnrolledStaff({ role: "engineer" });
    const { id: messageId } = await testDb().transaction((tx) =>
      enqueueEmail(tx, { to: "pending@customer.test", template: "notification", props: { title: "Still pending", paragraphs: ["Body that must survive rotation"] } }),
    );
    const vaultsBefore = (await testDb().select({ caseId: caseVaults.caseId }).from(caseVaults)).length;

    const next = newMasterKey();
    const report = await rotateMasterKey({ newKey: next });
    expect(report).toMatchObject({ fromKeyId: start.id, toKeyId: next.id, dataKeys: vaultsBefore });
    // The enrolled staff member's seed and the pending body, at least; test staff with a dummy seed stay as they were.
    expect(report.sealedValues).toBeGreaterThanOrEqual(2);

    const vaults = await testDb().select().from(caseVaults);
    expect(vaults.every((v) => v.masterKeyId === next.id)).toBe(true);
    // The old key opens nothing any more; the new one opens every data key.
    for (const vault of vaults) {
      expect(() => unwrapDataKey({ wrapped: vault.wrappedDataKey!, caseId: vault.caseId, masterKey: start.key })).toThrow(VaultDecryptionError);
      expect(unwrapDataKey({ wrapped: vault.wrappedDataKey!, caseId: vault.caseId, masterKey: next.key })).toHaveLength(32);
    }

    useMasterKey(next);
    for (const { fixture, ids } of cases) {
      for (const [index, id] of ids.entries()) {
        expect((await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id })).secret).toBe(`case-secret-${index}`);
      }
    }
    expect(await consumeTotpCode({ userId: staff.id, code: await freshCode(staff) })).toBe(true);
    const message = await getOutboxMessage({ id: messageId, withBody: true });
    expect(message!.body!.text).toContain("Body that must survive rotation");

    const [event] = await testDb().select({ payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.action, "vault.master_key_rotated"));
    expect(event!.payload).toMatchObject({ fromKeyId: start.id, toKeyId: next.id, dataKeys: vaultsBefore });
    expect(JSON.stringify(event)).not.toContain(next.key.toString("base64"));
  });

  it("changes nothing when any data key does not belong to the configured key", async () => {
    const start = newMasterKey();
    useMasterKey(start);
    await caseWithSecrets(1);
    const staff = await createEnrolledStaff();
    const [sealedBefore] = await testDb().select({ sealed: staffUsers.totpSecretCiphertext }).from(staffUsers).where(eq(staffUsers.id, staff.id));
    const [stranger] = await testDb().select({ caseId: caseVaults.caseId }).from(caseVaults).limit(1);
    await testDb().update(caseVaults).set({ masterKeyId: "0123456789abcdef" }).where(eq(caseVaults.caseId, stranger!.caseId));
    const snapshot = async () =>
      (await testDb().select().from(caseVaults).orderBy(caseVaults.caseId)).map((v) => `${v.caseId}:${v.masterKeyId}:${Buffer.from(v.wrappedDataKey!).toString("hex")}`);
    const before = await snapshot();

    await expect(rotateMasterKey({ newKey: newMasterKey() })).rejects.toThrow(MasterKeyRotationError);
    const [sealedAfter] = await testDb().select({ sealed: staffUsers.totpSecretCiphertext }).from(staffUsers).where(eq(staffUsers.id, staff.id));
    expect(Buffer.from(sealedAfter!.sealed!).equals(Buffer.from(sealedBefore!.sealed!))).toBe(true);
    expect(await snapshot()).toEqual(before);
    await testDb().update(caseVaults).set({ masterKeyId: start.id }).where(eq(caseVaults.caseId, stranger!.caseId));
    await expect(rotateMasterKey({ newKey: masterKey() })).rejects.toThrow(/already in use/);
  });

  it("knows every sealed column: a bytea column must be listed as sealed, vault, or not secret", async () => {
    // Binary columns that hold nothing secret (images, documents meant to be read by the parties).
    const notSecret = new Set([
      "msp_profile.logo",
      "waivers.unsigned_pdf",
      "waiver_signatures.drawn_signature",
      "waiver_signatures.sealed_pdf",
      "backup_reports.evidence",
      // A key check value: proves which master key fits, reveals nothing of it.
      "master_key_check.check_value",
    ]);
    const known = new Set([...SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`), ...VAULT_BYTEA_COLUMNS, ...notSecret]);
    const columns = await queryRows<{ name: string }>(
      testDb(),
      sql`select c.relname || '.' || a.attname as name
          from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' and a.atttypid = 'bytea'::regtype and not a.attisdropped
         order by 1`,
    );
    expect(columns.length).toBeGreaterThan(3);
    expect(columns.map((c) => c.name).filter((name) => !known.has(name))).toEqual([]);
  });
});
