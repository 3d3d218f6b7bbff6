import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { systemActor } from "../app/audit/audit.server";
import { hashPassword, passwordProblem, verifyPassword } from "../app/staff/password.server";
import { consumeRecoveryCode } from "../app/staff/recovery-codes.server";
import { Conflict, InvalidInput, NotFound } from "../app/http/refusals.server";
import { SetupLinkSpentError, completeSetup, findSetupLink } from "../app/staff/setup-link.server";
import { consumeTotpCode } from "../app/staff/totp.server";
import { changeStaffRole, createStaffUser, deactivateStaffUser, listStaffUsers } from "../app/staff/users.server";
import { auditEvents, staffSetupTokens, staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";
import { createEnrolledStaff, setupToken } from "./helpers/staff-auth";

const admin = systemActor("test");
let n = 0;
const newEmail = () => `person${++n}.${Date.now()}@msp.test`;

async function actionsFor(userId: string) {
  const rows = await testDb()
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(sql`${auditEvents.payload}->>'userId' = ${userId}`)
    .orderBy(auditEvents.seq);
  return rows.map((r) => r.action);
}

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("a long enough passphrase");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain("passphrase");
    expect(await verifyPassword(hash, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(hash, "a long enough passphrasE")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });

  it("refuses short and obviously weak passwords", () => {
    const person = { email: "dana.smith@msp.test", name: "Dana Smith" };
    expect(passwordProblem({ ...person, password: "short pass" })).toMatch(/at least 12/);
    expect(passwordProblem({ ...person, password: "dana.smith@msp.test" })).toMatch(/email/);
    expect(passwordProblem({ ...person, password: "DANA.SMITH2024!" })).toMatch(/email/);
    expect(passwordProblem({ ...person, password: "i am danasmith ok" })).toMatch(/name/);
    expect(passwordProblem({ ...person, password: "aaaaaaaaaaaaaa" })).toMatch(/different characters/);
    expect(passwordProblem({ ...person, password: "password1234" })).toMatch(/too common/);
    expect(passwordProblem({ ...person, password: "1234567890123" })).toMatch(/too common/);
    expect(passwordProblem({ ...person, password: "qwertyuiopas" })).toMatch(/too common/);
    expect(passwordProblem({ ...person, password: "violet kettle harbour" })).toBeNull();
  });
});

describe("staff users and set-up links", () => {
  it("creates a user with an audited, hashed, 72-hour set-up link", async () => {
    const email = newEmail();
    const created = await createStaffUser({ actor: admin, email, name: "Avery Admin", role: "admin" });
    const token = setupToken(created.setupUrl);
    // 32 random bytes, base64url: well over 128 bits.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await testDb()
      .select({ tokenHash: staffSetupTokens.tokenHash, expiresAt: staffSetupTokens.expiresAt })
      .from(staffSetupTokens)
      .where(eq(staffSetupTokens.userId, created.userId));
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.tokenHash).not.toContain(token);
    const hours = (stored!.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    expect(await actionsFor(created.userId)).toEqual(["staff.user_created", "staff.setup_link_issued"]);
    const [listed] = (await listStaffUsers()).filter((u) => u.id === created.userId);
    expect(listed).toMatchObject({ email, role: "admin", status: "invited" });
    expect(listed).not.toHaveProperty("passwordHash");
  });

  it("refuses a second account for the same address, whatever its case", async () => {
    const email = newEmail();
    await createStaffUser({ actor: admin, email, name: "First", role: "engineer" });
    const again = createStaffUser({ actor: admin, email: email.toUpperCase(), name: "Second", role: "legal" });
    await expect(again).rejects.toBeInstanceOf(InvalidInput);
    await expect(again).rejects.toMatchObject({ errors: { email: expect.stringMatching(/already exists/) } });
  });

  it("uses a set-up link once: it sets the password, then stops working", async () => {
    const created = await createStaffUser({ actor: admin, email: newEmail(), name: "Sam Setup", role: "engineer" });
    const token = setupToken(created.setupUrl);
    expect(await findSetupLink({ token })).toMatchObject({ userId: created.userId, name: "Sam Setup" });

    const weak = completeSetup({ token, password: "password1234", ip: null, userAgent: null });
    await expect(weak).rejects.toBeInstanceOf(InvalidInput);
    await expect(weak).rejects.toMatchObject({ errors: { password: expect.any(String) } });
    // A refused password does not spend the link.
    expect(await findSetupLink({ token })).not.toBeNull();

    const done = await completeSetup({ token, password: "violet kettle harbour", ip: "192.0.2.1", userAgent: "test" });
    expect(done).toEqual({ userId: created.userId });
    const [user] = await testDb().select({ passwordHash: staffUsers.passwordHash }).from(staffUsers).where(eq(staffUsers.id, created.userId));
    expect(await verifyPassword(user!.passwordHash!, "violet kettle harbour")).toBe(true);

    expect(await findSetupLink({ token })).toBeNull();
    await expect(completeSetup({ token, password: "another fine passphrase", ip: null, userAgent: null })).rejects.toBeInstanceOf(
      SetupLinkSpentError,
    );
    expect(await actionsFor(created.userId)).toContain("staff.password_set");
  });

  it("refuses an expired set-up link", async () => {
    const created = await createStaffUser({ actor: admin, email: newEmail(), name: "Late Larry", role: "engineer" });
    await testDb()
      .update(staffSetupTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(staffSetupTokens.userId, created.userId));
    const token = setupToken(created.setupUrl);
    expect(await findSetupLink({ token })).toBeNull();
    await expect(completeSetup({ token, password: "violet kettle harbour", ip: null, userAgent: null })).rejects.toBeInstanceOf(
      SetupLinkSpentError,
    );
  });

  it("refuses an admin changing their own role or deactivating themselves", async () => {
    const self = await createEnrolledStaff({ role: "admin" });
    const actor = { type: "staff" as const, id: self.id, label: self.name };
    await expect(changeStaffRole({ actor, userId: self.id, role: "engineer" })).rejects.toMatchObject({ status: 409 });
    await expect(deactivateStaffUser({ actor, userId: self.id })).rejects.toBeInstanceOf(Conflict);
    await expect(deactivateStaffUser({ actor, userId: "not-a-uuid" })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("second factors", () => {
  it("accepts a TOTP code once: the same code (time step) is refused afterwards", async () => {
    const user = await createEnrolledStaff();
    const code = user.totp.generate();
    expect(await consumeTotpCode({ userId: user.id, code })).toBe(true);
    expect(await consumeTotpCode({ userId: user.id, code })).toBe(false);
    // An older code (previous time step) is refused too, though still inside the clock-drift window.
    const previous = user.totp.generate({ timestamp: Date.now() - 30_000 });
    expect(await consumeTotpCode({ userId: user.id, code: previous })).toBe(false);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await consumeTotpCode({ userId: user.id, code: wrong })).toBe(false);
  });

  it("opens the TOTP secret only for the user it was sealed for", async () => {
    const alice = await createEnrolledStaff();
    const bob = await createEnrolledStaff();
    const [stolen] = await testDb()
      .select({ sealed: staffUsers.totpSecretCiphertext })
      .from(staffUsers)
      .where(eq(staffUsers.id, alice.id));
    await testDb().update(staffUsers).set({ totpSecretCiphertext: stolen!.sealed }).where(eq(staffUsers.id, bob.id));
    expect(await consumeTotpCode({ userId: bob.id, code: alice.totp.generate() })).toBe(false);
  });

  it("accepts each recovery code once, and only for its owner", async () => {
    const user = await createEnrolledStaff();
    const other = await createEnrolledStaff();
    const [first, second] = user.recoveryCodes;
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    expect(await consumeRecoveryCode({ userId: other.id, code: first! })).toBe(false);
    expect(await consumeRecoveryCode({ userId: user.id, code: first!.toUpperCase() })).toBe(true);
    expect(await consumeRecoveryCode({ userId: user.id, code: first! })).toBe(false);
    expect(await consumeRecoveryCode({ userId: user.id, code: second!.replace("-", "") })).toBe(true);
  });
});
