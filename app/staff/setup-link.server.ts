import { randomBytes } from "node:crypto";
import { TransactionRollbackError, and, eq, gt, isNull } from "drizzle-orm";
import { type Transaction, db } from "../../db/client";
import { staffRecoveryCodes, staffSetupTokens, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { config } from "../config.server";
import { hashPassword, passwordProblem } from "./password.server";
import { hashToken, revokeAllSessions } from "./session.server";

export const SETUP_LINK_VALIDITY_MS = 72 * 60 * 60_000;

export const setupUrl = (token: string) => `${config().HANDOVER_PUBLIC_URL}/staff/setup/${token}`;

/**
 * Issues a one-time link with which a staff member sets a password (and then enrols a new
 * authenticator). Any earlier link for the user stops working. Only the token's SHA-256 is stored:
 * a copy of the database does not hand out working links.
 */
export async function issueSetupLink(tx: Transaction, { userId, actor }: { userId: string; actor: Actor }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.delete(staffSetupTokens).where(eq(staffSetupTokens.userId, userId));
  await tx.insert(staffSetupTokens).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + SETUP_LINK_VALIDITY_MS),
  });
  await recordAudit(tx, { actor, event: { action: "staff.setup_link_issued", payload: { userId } } });
  return setupUrl(token);
}

/** Whose link this is, if it still works. Reading a link changes nothing (mail scanners open links). */
export async function findSetupLink({ token }: { token: string }) {
  const [row] = await db()
    .select({ userId: staffUsers.id, email: staffUsers.email, name: staffUsers.name })
    .from(staffSetupTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSetupTokens.userId))
    .where(
      and(
        eq(staffSetupTokens.tokenHash, hashToken(token)),
        gt(staffSetupTokens.expiresAt, new Date()),
        isNull(staffUsers.deactivatedAt),
      ),
    );
  return row ?? null;
}

export type SetupResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid_link" }
  | { ok: false; reason: "weak_password"; message: string };

/**
 * Sets the password and spends the link in one transaction: the delete that consumes the token
 * decides, so two submissions of the same link cannot both succeed. The user's authenticator,
 * recovery codes and sessions are reset, because a set-up link is also how an admin lets someone
 * back in who lost either factor.
 */
export async function completeSetup({
  token,
  password,
  ip,
  userAgent,
}: {
  token: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<SetupResult> {
  const link = await findSetupLink({ token });
  if (!link) return { ok: false, reason: "invalid_link" };
  const problem = passwordProblem({ password, email: link.email, name: link.name });
  if (problem) return { ok: false, reason: "weak_password", message: problem };
  // Hashed before the transaction opens: argon2 takes tens of milliseconds.
  const passwordHash = await hashPassword(password);
  try {
    return await setPasswordAndSpendLink({ token, passwordHash, ip, userAgent });
  } catch (error) {
    if (error instanceof TransactionRollbackError) return { ok: false, reason: "invalid_link" };
    throw error;
  }
}

function setPasswordAndSpendLink({
  token,
  passwordHash,
  ip,
  userAgent,
}: {
  token: string;
  passwordHash: string;
  ip: string | null;
  userAgent: string | null;
}) {
  return db().transaction(async (tx) => {
    const [spent] = await tx
      .delete(staffSetupTokens)
      .where(and(eq(staffSetupTokens.tokenHash, hashToken(token)), gt(staffSetupTokens.expiresAt, new Date())))
      .returning({ userId: staffSetupTokens.userId });
    if (!spent) return { ok: false, reason: "invalid_link" } as const;
    const updated = await tx
      .update(staffUsers)
      .set({
        passwordHash,
        totpSecretCiphertext: null,
        totpEnabledAt: null,
        totpLastUsedStep: null,
        updatedAt: new Date(),
      })
      .where(and(eq(staffUsers.id, spent.userId), isNull(staffUsers.deactivatedAt)))
      .returning({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name });
    const user = updated[0];
    // Deactivated since the link was read: undo the spend so nothing changes at all.
    if (!user) return tx.rollback();
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, user.id));
    await revokeAllSessions(user.id, tx);
    await recordAudit(tx, {
      actor: { type: "staff", id: user.id, label: `${user.name} <${user.email}>`, ip, userAgent },
      event: { action: "staff.password_set", payload: { userId: user.id } },
    });
    return { ok: true, userId: user.id } as const;
  });
}
