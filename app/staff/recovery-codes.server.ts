import { createHash, randomInt } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import { type Executor, type Transaction, db } from "../../db/client";
import { staffRecoveryCodes } from "../../db/schema";
import { RECOVERY_CODE_COUNT } from "./rules";

// Crockford-style alphabet without look-alikes (0/O, 1/I/L), so codes read back from paper work.
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

// Codes carry about 50 random bits and attempts are throttled, so a fast hash is enough here. The
// user id in the input keeps two users' equal codes from colliding on the primary key.
const hashCode = (userId: string, code: string) =>
  createHash("sha256").update(`staff-recovery:${userId}:${code}`).digest("hex");

export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");
export const looksLikeRecoveryCode = (code: string) => normaliseRecoveryCode(code).length === 10;

function newCode() {
  let code = "";
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Replaces the user's recovery codes. Returns them once, for display; only hashes are stored. */
export async function issueRecoveryCodes(tx: Transaction, { userId }: { userId: string }): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, userId));
  await tx.insert(staffRecoveryCodes).values(codes.map((code) => ({ codeHash: hashCode(userId, code), userId })));
  return codes.map((code) => `${code.slice(0, 5)}-${code.slice(5)}`);
}

/** Spends one recovery code; the update marks it used only if it was unused, so each works once. */
export async function consumeRecoveryCode({
  userId,
  code,
  executor = db(),
}: {
  userId: string;
  code: string;
  executor?: Executor;
}): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const spent = await executor
    .update(staffRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(staffRecoveryCodes.codeHash, hashCode(userId, normaliseRecoveryCode(code))),
        eq(staffRecoveryCodes.userId, userId),
        isNull(staffRecoveryCodes.usedAt),
      ),
    )
    .returning({ codeHash: staffRecoveryCodes.codeHash });
  return spent.length === 1;
}

export async function countUnusedRecoveryCodes({ userId }: { userId: string }) {
  const [row] = await db()
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.userId, userId), isNull(staffRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}
