import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { type Transaction, db } from "../../db/client";
import { staffRecoveryCodes, staffSetupTokens, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { config } from "../config.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { hashPassword, passwordProblem } from "./password.server";
import { SETUP_LINK_SPENT } from "./rules";
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

/**
 * A link that expired, was used, or belongs to a deactivated account. Said on the set-up form
 * itself (with a 404): the person needs to know to ask for a new link, not see an error page.
 */
export class SetupLinkSpentError extends NotFound {
  override name = "SetupLinkSpentError";
  override readonly answeredInForm = true;
  constructor() {
    super(SETUP_LINK_SPENT);
  }
}

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
}): Promise<{ userId: string }> {
  const link = await findSetupLink({ token });
  if (!link) throw new SetupLinkSpentError();
  const problem = passwordProblem({ password, email: link.email, name: link.name });
  if (problem) throw new InvalidInput({ password: problem });
  // Hashed before the transaction opens: argon2 takes tens of milliseconds.
  const passwordHash = await hashPassword(password);
  return setPasswordAndSpendLink({ token, passwordHash, ip, userAgent });
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
  return inTransaction(async (tx) => {
    const [spent] = await tx
      .delete(staffSetupTokens)
      .where(and(eq(staffSetupTokens.tokenHash, hashToken(token)), gt(staffSetupTokens.expiresAt, new Date())))
      .returning({ userId: staffSetupTokens.userId });
    if (!spent) throw new SetupLinkSpentError();
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
    // Deactivated since the link was read: the refusal rolls the spend back, so nothing changes at all.
    if (!user) throw new SetupLinkSpentError();
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, user.id));
    await revokeAllSessions(user.id, tx);
    await recordAudit(tx, {
      actor: { type: "staff", id: user.id, label: `${user.name} <${user.email}>`, ip, userAgent },
      event: { action: "staff.password_set", payload: { userId: user.id } },
    });
    return { userId: user.id };
  });
}
