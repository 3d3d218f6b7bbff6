// Staff members with a real password and a known TOTP secret, for tests of the sign-in forms,
// step-up and anything else that checks codes. (test/helpers/staff.ts skips the factors.)
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { systemActor } from "../../app/audit/audit.server";
import { issueRecoveryCodes } from "../../app/staff/recovery-codes.server";
import type { StaffRole } from "../../app/staff/rules";
import { completeSetup } from "../../app/staff/setup-link.server";
import { sealTotpSecret } from "../../app/staff/totp.server";
import { createStaffUser } from "../../app/staff/users.server";
import { staffSessions, staffUsers } from "../../db/schema";
import { testDb } from "./database";
import type { TestClient } from "./http";

let counter = 0;

export interface EnrolledStaff {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  totp: TOTP;
  recoveryCodes: string[];
}

export const setupToken = (url: string) => url.split("/staff/setup/")[1]!;

/** A staff member who has set a password and enrolled an authenticator whose secret the test knows. */
export async function createEnrolledStaff({ role = "engineer", name }: { role?: StaffRole; name?: string } = {}) {
  counter++;
  const email = `${role}.${counter}.${Date.now()}@msp.test`;
  const fullName = name ?? `Enrolled ${role} ${counter}`;
  const created = await createStaffUser({ actor: systemActor("test"), email, name: fullName, role });
  const password = `correct horse battery ${counter}`;
  await completeSetup({ token: setupToken(created.setupUrl), password, ip: null, userAgent: null });
  const secret = new Secret({ size: 20 });
  await testDb()
    .update(staffUsers)
    .set({ totpSecretCiphertext: sealTotpSecret(created.userId, secret.base32), totpEnabledAt: new Date() })
    .where(eq(staffUsers.id, created.userId));
  const recoveryCodes = await testDb().transaction((tx) => issueRecoveryCodes(tx, { userId: created.userId }));
  const totp = new TOTP({ issuer: "Handover", label: email, secret, digits: 6, period: 30, algorithm: "SHA1" });
  return { id: created.userId, email, name: fullName, role, password, totp, recoveryCodes } satisfies EnrolledStaff;
}

/** A valid code the server has not yet seen: the spent time step is forgotten first. */
export async function freshCode(user: { id: string; totp: TOTP }) {
  await testDb().update(staffUsers).set({ totpLastUsedStep: null }).where(eq(staffUsers.id, user.id));
  return user.totp.generate();
}

/** Signs in through the real forms: password, then a TOTP code. */
export async function signInThroughForms(client: TestClient, user: EnrolledStaff) {
  const first = await client.post("/staff/sign-in", { email: user.email, password: user.password });
  if (first.status !== 302) throw new Error(`password step answered ${first.status}`);
  const second = await client.post("/staff/sign-in/second-factor", { code: await freshCode(user) });
  if (second.status !== 302) throw new Error(`second factor answered ${second.status}`);
}

/** Makes the session's last step-up old, so the next sensitive act asks for a new code. */
export async function expireStepUp(userId: string) {
  await testDb()
    .update(staffSessions)
    .set({ steppedUpAt: new Date(Date.now() - 60 * 60_000) })
    .where(eq(staffSessions.userId, userId));
}
