import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { TOTP, URI } from "otpauth";
import { describe, expect, it } from "vitest";
import type { Actor } from "../app/audit/audit.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { Forbidden, InvalidInput, NotFound } from "../app/http/refusals.server";
import {
  addCredential,
  listCredentialsForParty,
  listCredentialsForStaff,
  recordRotation,
  setCredentialRelease,
  updateCredential,
} from "../app/vault/credentials.server";
import { VaultDecryptionError } from "../app/vault/envelope.server";
import { AwaitingRotationError, KeysReceivedError, NothingReadyError, SecretsPurgedError } from "../app/vault/errors.server";
import { exportForProvider, toBitwardenJson, toKeePassXcCsv } from "../app/vault/export.server";
import { ImportRejectedError, importCredentials, planImport } from "../app/vault/import.server";
import { confirmKeysReceived, KEYS_REMINDER_INTERVAL_MS, sendKeysReminders } from "../app/vault/keys-received.server";
import { recordCredentialsPageOpened } from "../app/vault/page-opened.server";
import { purgeEndedVaults } from "../app/vault/purge.server";
import { revealForContact, revealForStaff } from "../app/vault/reveal.server";
import { auditEvents, caseVaults, cases, credentials, outboxMessages } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts, latestEmailTo } from "./helpers/portal";
import { createTestStaff } from "./helpers/staff";

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;

const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const contactActor = (fixture: Fixture, role: keyof Fixture["contacts"]): Actor => ({
  type: "contact",
  id: fixture.contacts[role].id,
  label: `Contact <${fixture.contacts[role].email}>`,
  ip: "198.51.100.9",
  userAgent: "vitest",
});
const staffActorOf = (user: { id: string; name: string; email: string }): Actor => ({ type: "staff", id: user.id, label: `${user.name} <${user.email}>` });

async function noticeOf(caseId: string) {
  const [row] = await testDb().select({ notice: cases.noticeReceivedOn }).from(cases).where(eq(cases.id, caseId));
  return row!.notice;
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A credential released to `releaseTo`, rotated on `rotatedOn` (default: today) unless `rotated` is false. */
async function credential(
  fixture: Fixture,
  { name = "Microsoft 365 admin", secret = "Tr0ub4dor&3", releaseTo = "incoming_provider", rotated = true, rotatedOn, totp }: {
    name?: string;
    secret?: string;
    releaseTo?: "none" | "customer" | "incoming_provider" | "both";
    rotated?: boolean;
    rotatedOn?: string;
    totp?: string;
  } = {},
) {
  const { id } = await addCredential({
    actor: fixture.actor,
    caseId: fixture.caseId,
    input: { name, category: "Microsoft 365", url: "https://admin.microsoft.com", username: "admin@contoso.example", secret, totp, notes: "Break-glass", releaseTo },
  });
  if (rotated) {
    await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset in admin centre", rotatedOn } });
  }
  return id;
}

describe("entering credentials", () => {
  it("stores the secret, TOTP seed and notes only as ciphertexts under a per-case key", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { secret: "plaintext-never-stored-42", totp: SEED });
    const [row] = await testDb().select().from(credentials).where(eq(credentials.id, id));
    for (const column of [row!.secretCiphertext, row!.totpCiphertext, row!.notesCiphertext]) {
      expect(column).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(column!).toString("latin1")).not.toMatch(/plaintext-never-stored|JBSWY3DP|Break-glass/);
    }
    const [vault] = await testDb().select().from(caseVaults).where(eq(caseVaults.caseId, fixture.caseId));
    expect(vault!.wrappedDataKey!.length).toBe(1 + 12 + 32 + 16);
    expect(vault!.masterKeyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("refuses a ciphertext copied onto another credential (bound to case, credential and field)", async () => {
    const fixture = await createCaseWithContacts();
    const a = await credential(fixture, { name: "A", secret: "secret-of-a" });
    const b = await credential(fixture, { name: "B", secret: "secret-of-b" });
    const [rowA] = await testDb().select({ sealed: credentials.secretCiphertext, notes: credentials.notesCiphertext }).from(credentials).where(eq(credentials.id, a));
    await testDb().update(credentials).set({ secretCiphertext: rowA!.sealed }).where(eq(credentials.id, b));
    await expect(revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: b })).rejects.toThrow(VaultDecryptionError);
    // Same credential, other field: the notes ciphertext put into the secret column.
    await testDb().update(credentials).set({ secretCiphertext: rowA!.notes }).where(eq(credentials.id, a));
    await expect(revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: a })).rejects.toThrow(VaultDecryptionError);
  });

  it("rejects bad input with field messages that never repeat the secret", async () => {
    const fixture = await createCaseWithContacts();
    const attempt = addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: " ", secret: "", totp: "not-a-seed!!" } });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInput);
    const error = (await attempt.catch((e: unknown) => e)) as InvalidInput;
    expect(Object.keys(error.errors).sort()).toEqual(["name", "secret", "totp"]);
    expect(error.message).not.toContain("not-a-seed");
    expect(await testDb().select().from(credentials).where(eq(credentials.caseId, fixture.caseId))).toHaveLength(0);
  });

  it("keeps secrets when details change, replaces them only when new ones are given", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { secret: "first-secret", totp: SEED });
    await updateCredential({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { name: "Renamed admin", releaseTo: "both" } });
    let revealed = await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id });
    expect(revealed).toMatchObject({ name: "Renamed admin", secret: "first-secret", notes: "Break-glass" });
    expect(revealed.totp?.code).toMatch(/^\d{6}$/);
    await updateCredential({
      actor: fixture.actor,
      caseId: fixture.caseId,
      credentialId: id,
      input: { name: "Renamed admin", releaseTo: "both", secret: " second secret ", removeTotp: true, clearNotes: true },
    });
    revealed = await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id });
    expect(revealed).toMatchObject({ secret: " second secret ", notes: null, totp: null });
  });
});

describe("the scrub gate", () => {
  it("releases only credentials rotated on or after the notice date; the others await rotation without values", async () => {
    const fixture = await createCaseWithContacts();
    const notice = await noticeOf(fixture.caseId);
    const onNotice = await credential(fixture, { name: "Rotated on notice day", rotatedOn: notice });
    const before = await credential(fixture, { name: "Rotated before notice", rotatedOn: shift(notice, -1) });
    const never = await credential(fixture, { name: "Never rotated", rotated: false });
    await credential(fixture, { name: "Customer only", releaseTo: "customer" });
    await credential(fixture, { name: "Undecided", releaseTo: "none" });

    const provider = await listCredentialsForParty({ caseId: fixture.caseId, party: "incoming_provider" });
    expect(provider.credentials.map((c) => [c.name, c.status])).toEqual([
      ["Never rotated", "awaiting_rotation"],
      ["Rotated before notice", "awaiting_rotation"],
      ["Rotated on notice day", "ready"],
    ]);
    const waiting = provider.credentials.find((c) => c.id === never)!;
    expect(waiting).toMatchObject({ url: "", username: "", hasTotp: false });

    await expect(revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: before, role: "provider" })).rejects.toThrow(AwaitingRotationError);
    await expect(revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: never, role: "provider" })).rejects.toThrow(AwaitingRotationError);
    const revealed = await revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: onNotice, role: "provider" });
    expect(revealed.secret).toBe("Tr0ub4dor&3");

    const staff = await listCredentialsForStaff({ caseId: fixture.caseId });
    expect(staff.credentials.filter((c) => !c.ready).map((c) => c.name).sort()).toEqual(["Never rotated", "Rotated before notice"]);
  });

  it("shows each party only what is released to it, and nothing of another case", async () => {
    const fixture = await createCaseWithContacts();
    const other = await createCaseWithContacts();
    const forCustomer = await credential(fixture, { name: "Registrar", releaseTo: "customer" });
    const forBoth = await credential(fixture, { name: "Tenant admin", releaseTo: "both" });
    const otherCase = await credential(other, { name: "Other case" });

    const customer = await listCredentialsForParty({ caseId: fixture.caseId, party: "customer" });
    expect(customer.credentials.map((c) => c.name).sort()).toEqual(["Registrar", "Tenant admin"]);
    await expect(revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: forCustomer, role: "provider" })).rejects.toThrow(NotFound);
    await expect(revealForContact({ actor: contactActor(fixture, "customer_signer"), caseId: fixture.caseId, credentialId: otherCase, role: "customer_signer" })).rejects.toThrow(NotFound);
    await expect(revealForContact({ actor: contactActor(fixture, "customer_signer"), caseId: fixture.caseId, credentialId: forBoth, role: "customer_signer" })).resolves.toMatchObject({ name: "Tenant admin" });
  });

  it("records the rotation (when, by whom, how) and refuses a rotation dated in the future", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { rotated: false });
    await expect(
      recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset", rotatedOn: shift(new Date().toISOString().slice(0, 10), 2) } }),
    ).rejects.toMatchObject({ errors: { rotatedOn: "A rotation cannot be in the future" } });
    const result = await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset and sessions revoked", secret: "new-one" } });
    expect(result.releasable).toBe(true);
    const [row] = await testDb().select().from(credentials).where(eq(credentials.id, id));
    expect(row).toMatchObject({ rotationMethod: "Reset and sessions revoked", rotatedById: fixture.engineer.id, rotatedByLabel: fixture.actor.label });
    expect(row!.rotationRecordedAt).toBeInstanceOf(Date);
    expect((await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id })).secret).toBe("new-one");
  });
});

describe("reveal", () => {
  it("is for admins and engineers among staff, never legal; each reveal is recorded and the engineer emailed", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { secret: "engineer-sees-this", totp: SEED });
    const legal = await createTestStaff({ role: "legal" });
    await expect(revealForStaff({ actor: staffActorOf(legal), caseId: fixture.caseId, credentialId: id })).rejects.toThrow(Forbidden);
    await expect(revealForStaff({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: id })).rejects.toThrow(Forbidden);

    const revealed = await revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: id, role: "provider" });
    expect(revealed.totp!.code).toBe(new TOTP({ secret: URI.parse(new TOTP({ secret: SEED }).toString()).secret }).generate());
    const [event] = await testDb()
      .select({ actorLabel: auditEvents.actorLabel, ip: auditEvents.ip, userAgent: auditEvents.userAgent, payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credential.revealed")));
    expect(event).toMatchObject({ ip: "198.51.100.9", userAgent: "vitest", payload: { credentialId: id, name: "Microsoft 365 admin", withTotpCode: true } });
    expect(JSON.stringify(event!.payload)).not.toContain("engineer-sees-this");
    const email = await latestEmailTo(fixture.engineer.email);
    expect(email!.subject).toContain("revealed “Microsoft 365 admin”");
    expect(email!.text).toContain("198.51.100.9");
    expect(`${email!.subject}${email!.text}${email!.html}`).not.toContain("engineer-sees-this");
  });

  it("is refused to staff, and recorded, once the incoming provider confirmed the keys received", async () => {
    const fixture = await createCaseWithContacts();
    await expect(
      confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id }),
    ).rejects.toThrow(NothingReadyError);
    const id = await credential(fixture);
    const first = await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    expect(first.already).toBe(false);
    const again = await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    expect(again).toEqual({ receivedAt: first.receivedAt, already: true });

    await expect(revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id })).rejects.toThrow(KeysReceivedError);
    const refused = await testDb()
      .select({ payload: auditEvents.payload, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credential.reveal_refused")));
    expect(refused).toEqual([{ actorId: fixture.engineer.id, payload: expect.objectContaining({ credentialId: id, reason: "keys_received" }) }]);
    // The provider still can.
    await expect(revealForContact({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, credentialId: id, role: "provider" })).resolves.toMatchObject({ secret: "Tr0ub4dor&3" });
    expect((await latestEmailTo(fixture.engineer.email))!.subject).toMatch(/revealed/);
  });
});

describe("CSV import", () => {
  const bitwarden = [
    "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
    `Microsoft 365,,login,Tenant admin,"Recovery codes:\n1111 2222",,0,"https://admin.microsoft.com,https://portal.azure.com",admin@contoso.example," pa,ss""word ",${SEED}`,
    "Network,1,login,FortiGate,,,0,https://192.0.2.1,admin,f0rti!,",
  ].join("\n");
  const keepass = [
    '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"',
    `"Root/Servers","DC01 local admin","Administrator","Dc01!pass","rdp://192.0.2.10","","otpauth://totp/DC01?secret=${SEED}&digits=8","0","2026-01-01T00:00:00Z","2026-01-01T00:00:00Z"`,
  ].join("\n");
  const onePassword = ["Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes", "Registrar,https://registrar.example,it@contoso.example,R3g!strar,,false,false,Domains,"].join("\n");

  it("reads Bitwarden, KeePassXC and 1Password exports, recognising the format from the header", () => {
    const bw = planImport({ text: bitwarden });
    expect(bw.format).toBe("bitwarden");
    expect(bw.errors).toEqual([]);
    expect(bw.items.map((i) => [i.line, i.name, i.category, i.url, i.secret])).toEqual([
      [2, "Tenant admin", "Microsoft 365", "https://admin.microsoft.com", ' pa,ss"word '],
      [4, "FortiGate", "Network", "https://192.0.2.1", "f0rti!"],
    ]);
    expect(bw.items[0]!.totpUri).toMatch(/^otpauth:\/\/totp\//);
    expect(bw.items[0]!.notes).toBe("Recovery codes:\n1111 2222");

    const kp = planImport({ text: keepass });
    expect(kp.format).toBe("keepassxc");
    expect(kp.items[0]).toMatchObject({ name: "DC01 local admin", category: "Servers", username: "Administrator", secret: "Dc01!pass" });
    expect(URI.parse(kp.items[0]!.totpUri!)).toMatchObject({ digits: 8 });

    const op = planImport({ text: onePassword });
    expect(op.format).toBe("1password");
    expect(op.items[0]).toMatchObject({ name: "Registrar", category: "Domains", secret: "R3g!strar", totpUri: null });
  });

  it("reports each bad line by number without repeating its content, and imports nothing", async () => {
    const fixture = await createCaseWithContacts();
    const text = [
      "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
      ",,login,Good one,,,0,https://a.example,alice,Secret-Good-1,",
      ",,login,No password,,,0,https://b.example,bob,,",
      ",,login,Bad seed,,,0,https://c.example,carol,Secret-Bad-Seed-3,not!base32!",
      ",,note,A secure note,Secret-Note-4,,0,,,,",
      ",,login,Short row",
    ].join("\n");
    const plan = planImport({ text });
    expect(plan.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(plan.errors[0]!.message).toMatch(/^login_password: /);
    expect(plan.errors[1]!.message).toMatch(/^login_totp: /);
    expect(JSON.stringify(plan.errors)).not.toMatch(/Secret-|not!base32/);
    await expect(importCredentials({ actor: fixture.actor, caseId: fixture.caseId, text })).rejects.toThrow(ImportRejectedError);
    expect(await testDb().select().from(credentials).where(eq(credentials.caseId, fixture.caseId))).toHaveLength(0);

    const broken = planImport({ text: 'name,login_password,type,login_uri,login_username\n"unclosed,Secret-Quote-9,login' });
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]!.message).toMatch(/cannot be read/);
    expect(JSON.stringify(broken)).not.toContain("Secret-Quote-9");
  });

  it("imports a valid file at once, keeping secrets exactly, on the record", async () => {
    const fixture = await createCaseWithContacts();
    const result = await importCredentials({ actor: fixture.actor, caseId: fixture.caseId, text: bitwarden, releaseTo: "incoming_provider" });
    expect(result).toEqual({ count: 2, format: "bitwarden" });
    const list = await listCredentialsForStaff({ caseId: fixture.caseId });
    const tenant = list.credentials.find((c) => c.name === "Tenant admin")!;
    expect(tenant).toMatchObject({ releaseTo: "incoming_provider", hasTotp: true, hasNotes: true, rotatedOn: null });
    expect((await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: tenant.id })).secret).toBe(' pa,ss"word ');
    const [event] = await testDb().select({ payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.action, "credentials.imported"));
    expect(event!.payload).toMatchObject({ format: "bitwarden", count: 2 });
  });
});

describe("export for the incoming provider", () => {
  it("writes Bitwarden JSON and KeePassXC CSV with their formats' field names", () => {
    const item = {
      id: "7d4e8c1a-0000-4000-8000-000000000001",
      name: "Tenant admin",
      category: "Microsoft 365",
      url: "https://admin.microsoft.com",
      username: "admin@contoso.example",
      password: '=SUM(1);"quoted",comma',
      totp: `otpauth://totp/x?secret=${SEED}`,
      notes: "line 1\nline 2",
      createdAt: new Date("2026-01-02T03:04:05.678Z"),
      updatedAt: new Date("2026-02-03T04:05:06.789Z"),
    };
    const json = JSON.parse(toBitwardenJson([item, { ...item, id: "7d4e8c1a-0000-4000-8000-000000000002", category: "", url: "", totp: null }]));
    expect(json.encrypted).toBe(false);
    expect(json.folders).toEqual([{ id: expect.any(String), name: "Microsoft 365" }]);
    expect(json.items[0]).toMatchObject({
      type: 1,
      name: "Tenant admin",
      notes: "line 1\nline 2",
      folderId: json.folders[0].id,
      login: { uris: [{ match: null, uri: "https://admin.microsoft.com" }], username: "admin@contoso.example", password: item.password, totp: item.totp },
    });
    expect(json.items[1]).toMatchObject({ folderId: null, login: { uris: [], totp: null } });

    const rows = parse(toKeePassXcCsv([item]), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(["Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon", "Last Modified", "Created"]);
    expect(rows[0]).toMatchObject({ Group: "Root/Microsoft 365", Title: "Tenant admin", Password: item.password, Notes: "line 1\nline 2", TOTP: item.totp, "Last Modified": "2026-02-03T04:05:06Z" });
  });

  it("holds the released, rotated credentials only, and is recorded", async () => {
    const fixture = await createCaseWithContacts();
    await credential(fixture, { name: "Ready one", secret: "ready-secret" });
    await credential(fixture, { name: "Both parties", secret: "both-secret", releaseTo: "both" });
    await credential(fixture, { name: "Unrotated", secret: "unrotated-secret", rotated: false });
    await credential(fixture, { name: "Customer's", secret: "customer-secret", releaseTo: "customer" });
    const file = await exportForProvider({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, format: "bitwarden-json" });
    expect(file.filename).toBe(`handover-${fixture.reference}-bitwarden-json.json`);
    const json = JSON.parse(file.body);
    expect(json.items.map((i: { name: string }) => i.name).sort()).toEqual(["Both parties", "Ready one"]);
    expect(file.body).not.toMatch(/unrotated-secret|customer-secret/);
    const [event] = await testDb().select({ payload: auditEvents.payload, ip: auditEvents.ip }).from(auditEvents).where(eq(auditEvents.action, "credentials.exported"));
    expect(event).toMatchObject({ ip: "198.51.100.9", payload: { format: "bitwarden-json", count: 2 } });
    expect((await latestEmailTo(fixture.engineer.email))!.subject).toContain("exported 2 credentials");
  });
});

describe("access end", () => {
  it("destroys ciphertexts and the data key once access has ended in the case's time zone, keeping the record", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { totp: SEED });
    const [kase] = await testDb().select({ endsOn: cases.portalAccessEndsOn }).from(cases).where(eq(cases.id, fixture.caseId));
    await testDb().update(cases).set({ timeZone: "Pacific/Kiritimati" }).where(eq(cases.id, fixture.caseId)); // UTC+14
    // 11:00 UTC on the end date is already the next day in Kiritimati, but not yet in London.
    const edge = new Date(`${kase!.endsOn}T11:00:00Z`);
    const other = await createCaseWithContacts();
    await credential(other);
    await testDb().update(cases).set({ portalAccessEndsOn: kase!.endsOn, cutoverOn: shift(kase!.endsOn, -1) }).where(eq(cases.id, other.caseId));

    expect(await purgeEndedVaults({ now: new Date(`${kase!.endsOn}T09:00:00Z`) })).toEqual({ cases: 0, credentials: 0 });
    expect(await purgeEndedVaults({ now: edge })).toEqual({ cases: 1, credentials: 1 });
    expect(await purgeEndedVaults({ now: edge })).toEqual({ cases: 0, credentials: 0 });

    const [row] = await testDb().select().from(credentials).where(eq(credentials.id, id));
    expect(row).toMatchObject({ secretCiphertext: null, totpCiphertext: null, notesCiphertext: null, name: "Microsoft 365 admin", rotationMethod: "Reset in admin centre" });
    const [vault] = await testDb().select().from(caseVaults).where(eq(caseVaults.caseId, fixture.caseId));
    expect(vault).toMatchObject({ wrappedDataKey: null, masterKeyId: null });
    expect(vault!.purgedAt).toEqual(edge);
    await expect(revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id })).rejects.toThrow(SecretsPurgedError);
    const [event] = await testDb().select({ payload: auditEvents.payload }).from(auditEvents).where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credentials.purged")));
    expect(event!.payload).toEqual({ credentialCount: 1, reason: "portal_access_ended" });
    // London's case still has its secrets.
    expect((await revealForStaff({ actor: other.actor, caseId: other.caseId, credentialId: (await listCredentialsForStaff({ caseId: other.caseId })).credentials[0]!.id })).secret).toBe("Tr0ub4dor&3");
  });
});

describe("keys-received reminders", () => {
  it("email the provider's contacts once per interval until the keys are confirmed", async () => {
    const fixture = await createCaseWithContacts({ customer: "Reminder Dental Ltd" });
    const count = async () =>
      (await testDb().select().from(outboxMessages).where(and(eq(outboxMessages.caseId, fixture.caseId), eq(outboxMessages.template, "credential-keys-reminder")))).length;
    // Earlier tests' cases are due too: a long way in the future settles them first.
    const now = new Date();
    await sendKeysReminders({ now });
    await credential(fixture, { rotated: false });
    await sendKeysReminders({ now });
    expect(await count()).toBe(0);
    const other = await listCredentialsForStaff({ caseId: fixture.caseId });
    await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: other.credentials[0]!.id, input: { method: "Reset" } });

    expect(await sendKeysReminders({ now })).toEqual({ casesReminded: 1 });
    expect(await sendKeysReminders({ now: new Date(now.getTime() + 60_000) })).toEqual({ casesReminded: 0 });
    expect(await count()).toBe(1);
    const first = await latestEmailTo(fixture.contacts.provider.email);
    expect(first!.subject).toMatch(/^Credentials for Reminder Dental Ltd are ready for you · /);
    expect(first!.text).not.toContain("Tr0ub4dor");

    const later = new Date(now.getTime() + KEYS_REMINDER_INTERVAL_MS + 60_000);
    await sendKeysReminders({ now: later });
    expect(await count()).toBe(2);
    expect((await latestEmailTo(fixture.contacts.provider.email))!.subject).toBe("Reminder: please retrieve and confirm the credentials for Reminder Dental Ltd");
    await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    await sendKeysReminders({ now: new Date(later.getTime() + 2 * KEYS_REMINDER_INTERVAL_MS) });
    expect(await count()).toBe(2);
  });
});

describe("checklist", () => {
  it("shows the pending rotations to the MSP, then asks the provider to confirm and to accept support", async () => {
    const fixture = await createCaseWithContacts();
    const item = async (id: string) => (await getCaseChecklist({ caseId: fixture.caseId })).items.find((i) => i.id === id)!;
    expect(await item("credentials-scrubbed")).toMatchObject({ state: "pending", nextStepOwner: "msp", summary: "No credentials recorded yet." });

    const pending = await credential(fixture, { name: "Firewall admin", rotated: false });
    await credential(fixture, { name: "Tenant admin" });
    expect(await item("credentials-scrubbed")).toMatchObject({ state: "pending", nextStepOwner: "msp", blockers: ["Rotate: Firewall admin"] });
    expect(await item("credentials-keys-received")).toMatchObject({ state: "pending", nextStepOwner: "incoming_provider" });
    expect(await item("credentials-support-responsibility")).toMatchObject({ state: "blocked" });

    await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: pending, input: { method: "Reset" } });
    expect(await item("credentials-scrubbed")).toMatchObject({ state: "done" });
    await confirmKeysReceived({ actor: contactActor(fixture, "provider"), caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    expect(await item("credentials-keys-received")).toMatchObject({ state: "done" });
    expect(await item("credentials-support-responsibility")).toMatchObject({ state: "pending", nextStepOwner: "incoming_provider" });
  });
});

describe("opening the credentials page", () => {
  it("is recorded once per person within ten minutes", async () => {
    const fixture = await createCaseWithContacts();
    const actor = contactActor(fixture, "customer_signer");
    const now = new Date();
    expect(await recordCredentialsPageOpened({ actor, caseId: fixture.caseId, audience: "customer", now })).toEqual({ recorded: true });
    expect(await recordCredentialsPageOpened({ actor, caseId: fixture.caseId, audience: "customer", now })).toEqual({ recorded: false });
    expect(await recordCredentialsPageOpened({ actor: fixture.actor, caseId: fixture.caseId, audience: "staff", now })).toEqual({ recorded: true });
  });
});

describe("release", () => {
  it("is chosen per credential and recorded from → to", async () => {
    const fixture = await createCaseWithContacts();
    const id = await credential(fixture, { releaseTo: "none" });
    expect(await setCredentialRelease({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { releaseTo: "both" } })).toEqual({ changed: true });
    expect(await setCredentialRelease({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { releaseTo: "both" } })).toEqual({ changed: false });
    const events = await testDb().select({ payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.action, "credential.updated"));
    expect(events.at(-1)!.payload).toMatchObject({ changes: { releaseTo: { from: null, to: "both" } } });
    const legal = await createTestStaff({ role: "legal" });
    await expect(setCredentialRelease({ actor: staffActorOf(legal), caseId: fixture.caseId, credentialId: id, input: { releaseTo: "customer" } })).rejects.toThrow(Forbidden);
  });
});

describe("the demo seed", () => {
  it("leaves credentials released, awaiting rotation (never or before notice), unreleased, and one revealed", async () => {
    const fixture = await createCaseWithContacts();
    const { seedVaultDemo } = await import("../app/demo/vault.server");
    await seedVaultDemo({ actor: fixture.actor, caseId: fixture.caseId, revealedBy: { contactId: fixture.contacts.provider.id } });
    const list = await listCredentialsForStaff({ caseId: fixture.caseId });
    const state = (c: (typeof list.credentials)[number]) => (!c.releaseTo ? "unreleased" : c.ready ? "released" : c.rotatedOn ? "rotated before notice" : "awaiting rotation");
    expect(new Set(list.credentials.map(state))).toEqual(new Set(["released", "awaiting rotation", "rotated before notice", "unreleased"]));
    const reveals = await testDb()
      .select({ payload: auditEvents.payload, actorType: auditEvents.actorType })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credential.revealed")));
    expect(reveals).toEqual([{ actorType: "contact", payload: expect.objectContaining({ name: "Microsoft 365 global admin" }) }]);
  });
});
