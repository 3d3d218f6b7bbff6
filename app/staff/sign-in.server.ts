import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { logger } from "../log.server";
import { type Refusal, InvalidInput, Unauthenticated } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import {
  type RateLimitRule,
  TooManyAttemptsError,
  rateLimitStatus,
  recordRateLimitHit,
  resetRateLimit,
  sleep,
  strictest,
} from "../security/rate-limit.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { consumeRecoveryCode, issueRecoveryCodes, looksLikeRecoveryCode } from "./recovery-codes.server";
import { type StaffSession, completeSecondFactor, createStaffSession, markSteppedUp } from "./session.server";
import { consumeTotpCode, looksLikeTotpCode } from "./totp.server";

const MINUTE = 60_000;

/**
 * Password attempts. Per address: a few free tries, then each failure answers more slowly, then
 * the address is refused for a quarter of an hour. Per IP the limits are wider, because an office
 * shares one address, but they stop one machine from trying many accounts.
 */
export const SIGN_IN_RULES = {
  perEmail: { scope: "staff-sign-in:email", windowMs: 15 * MINUTE, freeHits: 3, maxHits: 8, blockMs: 15 * MINUTE, baseDelayMs: 250, maxDelayMs: 2_000 },
  perIp: { scope: "staff-sign-in:ip", windowMs: 15 * MINUTE, freeHits: 10, maxHits: 40, blockMs: 15 * MINUTE, baseDelayMs: 250, maxDelayMs: 2_000 },
} satisfies Record<string, RateLimitRule>;

/** Code attempts (sign-in second factor, enrolment, step-up): six digits must not be guessable. */
export const CODE_RULES = {
  perUser: { scope: "staff-code:user", windowMs: 15 * MINUTE, freeHits: 3, maxHits: 6, blockMs: 15 * MINUTE, baseDelayMs: 250, maxDelayMs: 2_000 },
  perIp: { scope: "staff-code:ip", windowMs: 15 * MINUTE, freeHits: 10, maxHits: 40, blockMs: 15 * MINUTE, baseDelayMs: 250, maxDelayMs: 2_000 },
} satisfies Record<string, RateLimitRule>;

interface Client {
  ip: string | null;
  userAgent: string | null;
}

const userActor = (user: { id: string; name: string; email: string }, { ip, userAgent }: Client): Actor => ({
  type: "staff",
  id: user.id,
  label: `${user.name} <${user.email}>`,
  ip,
  userAgent,
});

type Counters = [RateLimitRule, string][];

// An unknown IP (e.g. a unit test without a socket) shares one counter rather than none.
const signInCounters = (email: string, ip: string | null): Counters => [
  [SIGN_IN_RULES.perEmail, email.toLowerCase()],
  [SIGN_IN_RULES.perIp, ip ?? "unknown"],
];
const codeCounters = (userId: string, ip: string | null): Counters => [
  [CODE_RULES.perUser, userId],
  [CODE_RULES.perIp, ip ?? "unknown"],
];

/** Refuses a subject that is blocked, before any password or code is looked at. */
async function refuseWhileBlocked(pairs: Counters) {
  const status = strictest(await Promise.all(pairs.map(([rule, subject]) => rateLimitStatus({ rule, subject }))));
  if (status.blocked) throw new TooManyAttemptsError(status.retryAt);
}

/** Counts a failure; refuses it after the current delay, or with the block it caused. */
async function failure(pairs: Counters, refusal: Refusal): Promise<never> {
  const states = [];
  for (const [rule, subject] of pairs) states.push(await recordRateLimitHit({ rule, subject }));
  const state = strictest(states);
  if (state.blocked) throw new TooManyAttemptsError(state.retryAt);
  // Slowing each failed answer makes guessing expensive long before the hard limit.
  if (state.delayMs) await sleep(state.delayMs);
  throw refusal;
}

// One message for unknown address and wrong password alike: the form must not reveal who has an account.
const WRONG_PASSWORD = "That email address and password do not match an active account.";
const WRONG_CODE = "That code is not right, or it was already used.";

/**
 * Step one of sign-in. Unknown address, wrong password, deactivated account and an account that
 * never set a password all get the same answer after the same work, so the form reveals nothing
 * about which addresses exist. Success opens a session that still needs the second factor.
 */
export async function signInWithPassword({
  email,
  password,
  ip,
  userAgent,
}: {
  email: string;
  password: string;
} & Client): Promise<{ cookie: string; enrolled: boolean }> {
  const pairs = signInCounters(email, ip);
  await refuseWhileBlocked(pairs);

  const [user] = await db()
    .select({
      id: staffUsers.id,
      name: staffUsers.name,
      email: staffUsers.email,
      passwordHash: staffUsers.passwordHash,
      deactivatedAt: staffUsers.deactivatedAt,
      totpEnabledAt: staffUsers.totpEnabledAt,
    })
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
  const passwordOk = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);

  if (!user || !passwordOk || user.deactivatedAt) {
    const reason = !user ? "unknown_email" : !user.passwordHash ? "no_password" : !passwordOk ? "wrong_password" : "deactivated";
    await inTransaction((tx) =>
      recordAudit(tx, {
        actor: { type: "system", id: null, label: "Sign-in attempt", ip, userAgent },
        event: { action: "staff.sign_in_failed", payload: { email: email.toLowerCase(), reason } },
      }),
    );
    logger.info({ reason }, "staff sign-in failed");
    return failure(pairs, new Unauthenticated(WRONG_PASSWORD));
  }

  await resetRateLimit({ rule: SIGN_IN_RULES.perEmail, subject: email.toLowerCase() });
  const cookie = await createStaffSession({ userId: user.id, ip, userAgent });
  return { cookie, enrolled: user.totpEnabledAt !== null };
}

/**
 * Step two: a TOTP code or one recovery code. Success completes the session under a new id.
 */
export async function completeSignIn({
  session,
  code,
  ip,
  userAgent,
}: { session: StaffSession; code: string } & Client): Promise<{ cookie: string; usedRecoveryCode: boolean }> {
  const pairs = codeCounters(session.user.id, ip);
  await refuseWhileBlocked(pairs);

  const actor = userActor(session.user, { ip, userAgent });
  const result = await inTransaction(async (tx) => {
    let usedRecoveryCode = false;
    if (looksLikeTotpCode(code)) {
      if (!(await consumeTotpCode({ userId: session.user.id, code, executor: tx }))) return null;
    } else if (looksLikeRecoveryCode(code)) {
      if (!(await consumeRecoveryCode({ userId: session.user.id, code, executor: tx }))) return null;
      usedRecoveryCode = true;
      await recordAudit(tx, { actor, event: { action: "staff.recovery_code_used", payload: { userId: session.user.id } } });
    } else {
      return null;
    }
    await recordAudit(tx, { actor, event: { action: "staff.signed_in", payload: { userId: session.user.id } } });
    return { cookie: await completeSecondFactor(session.idHash, tx), usedRecoveryCode };
  });
  if (!result) return failure(pairs, new Unauthenticated(`${WRONG_CODE} Try the next code your app shows.`));
  await resetRateLimit({ rule: CODE_RULES.perUser, subject: session.user.id });
  return result;
}

/**
 * First sign-in: the code from the newly scanned authenticator confirms it. The same transaction
 * turns the second factor on, issues the recovery codes (returned once, for display) and
 * completes the session under a new id.
 */
export async function confirmTotpEnrolment({
  session,
  code,
  ip,
  userAgent,
}: { session: StaffSession; code: string } & Client): Promise<{ cookie: string; recoveryCodes: string[] }> {
  const pairs = codeCounters(session.user.id, ip);
  await refuseWhileBlocked(pairs);

  const actor = userActor(session.user, { ip, userAgent });
  const result = await inTransaction(async (tx) => {
    if (!(await consumeTotpCode({ userId: session.user.id, code, enrolled: false, executor: tx }))) return null;
    const enabled = await tx
      .update(staffUsers)
      .set({ totpEnabledAt: new Date(), updatedAt: new Date() })
      .where(and(eq(staffUsers.id, session.user.id), isNull(staffUsers.totpEnabledAt)))
      .returning({ id: staffUsers.id });
    if (enabled.length !== 1) return null;
    const recoveryCodes = await issueRecoveryCodes(tx, { userId: session.user.id });
    await recordAudit(tx, { actor, event: { action: "staff.totp_enrolled", payload: { userId: session.user.id } } });
    await recordAudit(tx, { actor, event: { action: "staff.signed_in", payload: { userId: session.user.id } } });
    return { cookie: await completeSecondFactor(session.idHash, tx), recoveryCodes };
  });
  // Still signed in only by password, the person is setting up the app: a wrong code is input to
  // correct next to the field, not a failed sign-in.
  if (!result) {
    return failure(
      pairs,
      new InvalidInput({ code: "That code does not match. Check the app shows Handover for this account and try the current code." }),
    );
  }
  await resetRateLimit({ rule: CODE_RULES.perUser, subject: session.user.id });
  return result;
}

/** A fresh TOTP code before a sensitive act. Recovery codes are not accepted here. */
export async function stepUp({
  session,
  code,
  ip,
  userAgent,
}: { session: StaffSession; code: string } & Client): Promise<void> {
  const pairs = codeCounters(session.user.id, ip);
  await refuseWhileBlocked(pairs);

  const actor = userActor(session.user, { ip, userAgent });
  const ok = await inTransaction(async (tx) => {
    if (!(await consumeTotpCode({ userId: session.user.id, code, executor: tx }))) return false;
    await markSteppedUp(session.idHash, tx);
    await recordAudit(tx, { actor, event: { action: "staff.stepped_up", payload: { userId: session.user.id } } });
    return true;
  });
  if (!ok) return failure(pairs, new Unauthenticated(`${WRONG_CODE} Wait for the next one.`));
  await resetRateLimit({ rule: CODE_RULES.perUser, subject: session.user.id });
}
