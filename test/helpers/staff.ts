import type { StaffRole } from "../../app/staff/rules";
import { completeSecondFactor, createStaffSession, hashToken } from "../../app/staff/session.server";
import { staffUsers } from "../../db/schema";
import { testDb } from "./database";
import type { TestClient } from "./http";

let counter = 0;

/** A staff member with TOTP already enrolled (the secret is irrelevant here). */
export async function createTestStaff({ role = "engineer", name }: { role?: StaffRole; name?: string } = {}) {
  counter++;
  const [user] = await testDb()
    .insert(staffUsers)
    .values({
      email: `${role}${counter}-${Date.now()}@msp.test`,
      name: name ?? `Test ${role} ${counter}`,
      role,
      totpSecretCiphertext: new Uint8Array([1]),
      totpEnabledAt: new Date(),
    })
    .returning({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role });
  return user!;
}

/** Signs a test client in as a staff member, past both factors, without going through the forms. */
export async function signInAsStaff(client: TestClient, user: { id: string }) {
  const pending = await createStaffSession({ userId: user.id, ip: "127.0.0.1", userAgent: "vitest" });
  const token = decodeURIComponent(pending.split(";")[0]!.split("=")[1]!);
  const cookie = await completeSecondFactor(hashToken(JSON.parse(Buffer.from(token, "base64").toString("utf8")) as string));
  client.setCookieHeader(cookie);
}
