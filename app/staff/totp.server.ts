import { and, eq, isNull, lt, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { type Executor, db } from "../../db/client";
import { staffUsers } from "../../db/schema";
import { open, seal } from "../crypto/sealed-box.server";

const PURPOSE = "staff-totp";
const PERIOD = 30;
// One step either side tolerates a phone clock that is a little off.
const WINDOW = 1;

// The associated data ties a sealed secret to its user: copied onto another row, it will not open.
const boundTo = (userId: string) => `staff-user:${userId}`;

export function sealTotpSecret(userId: string, base32: string) {
  return seal({ purpose: PURPOSE, associatedData: boundTo(userId), plaintext: base32 });
}

function openTotpSecret(userId: string, sealed: Uint8Array): string | null {
  try {
    return open({ purpose: PURPOSE, associatedData: boundTo(userId), sealed });
  } catch {
    return null;
  }
}

function totpFor(base32: string, label = "") {
  return new TOTP({ issuer: "Handover", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(base32) });
}

/** The time step a code belongs to, or null if the code is wrong. */
function matchingStep(base32: string, code: string, now: number): number | null {
  const delta = totpFor(base32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

export const normaliseCode = (code: string) => code.replace(/[\s-]/g, "");
export const looksLikeTotpCode = (code: string) => /^\d{6}$/.test(normaliseCode(code));

/**
 * The secret an enrolling user scans. It is created once and kept (sealed) until enrolment is
 * confirmed, so that reloading the page does not invalidate a code already scanned.
 */
export async function pendingEnrolment({ userId, email }: { userId: string; email: string }) {
  const [row] = await db()
    .select({ sealed: staffUsers.totpSecretCiphertext, enabledAt: staffUsers.totpEnabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  if (!row) throw new Error("enrolling user vanished");
  if (row.enabledAt) return null;
  let base32 = row.sealed ? openTotpSecret(userId, row.sealed) : null;
  if (!base32) {
    base32 = new Secret({ size: 20 }).base32;
    await db()
      .update(staffUsers)
      .set({ totpSecretCiphertext: sealTotpSecret(userId, base32), updatedAt: new Date() })
      .where(and(eq(staffUsers.id, userId), isNull(staffUsers.totpEnabledAt)));
  }
  const uri = totpFor(base32, email).toString();
  return {
    qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 220 }),
    // Grouped in fours for people who type it instead of scanning.
    manualKey: base32.replace(/(.{4})/g, "$1 ").trim(),
  };
}

/**
 * Checks a code against the user's secret and spends its time step in the same statement, so
 * that a code seen over someone's shoulder (or replayed) cannot be used a second time.
 * `enrolled: false` checks the pending secret during enrolment.
 */
export async function consumeTotpCode({
  userId,
  code,
  enrolled = true,
  now = Date.now(),
  executor = db(),
}: {
  userId: string;
  code: string;
  enrolled?: boolean;
  now?: number;
  executor?: Executor;
}): Promise<boolean> {
  if (!looksLikeTotpCode(code)) return false;
  const [row] = await executor
    .select({ sealed: staffUsers.totpSecretCiphertext, enabledAt: staffUsers.totpEnabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  if (!row?.sealed || (row.enabledAt !== null) !== enrolled) return false;
  const base32 = openTotpSecret(userId, row.sealed);
  if (!base32) return false;
  const step = matchingStep(base32, normaliseCode(code), now);
  if (step === null) return false;
  const spent = await executor
    .update(staffUsers)
    .set({ totpLastUsedStep: step })
    .where(
      and(
        eq(staffUsers.id, userId),
        or(isNull(staffUsers.totpLastUsedStep), lt(staffUsers.totpLastUsedStep, step)),
      ),
    )
    .returning({ id: staffUsers.id });
  return spent.length === 1;
}
