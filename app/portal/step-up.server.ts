import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { contactSessions, contactStepUpCodes } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { masterKey } from "../crypto/master-key.server";
import { InvalidInput } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { enqueueEmail } from "../mail/outbox.server";
import type { ContactSession } from "./session.server";

export const STEP_UP_CODE_TTL_MS = 10 * 60_000;
export const STEP_UP_MAX_ATTEMPTS = 5;

/**
 * A 6-digit code has only a million values, so a plain hash in a database dump would fall to brute
 * force at once: it is keyed (HMAC) with a key derived from the master key, and bound to the session.
 */
function codeHash(sessionIdHash: string, code: string) {
  return createHmac("sha256", masterKey().key).update(`step-up:${sessionIdHash}:${code}`).digest("hex");
}

/** Emails a fresh code, replacing any earlier one (and its attempt count). */
export async function sendStepUpCode({ session, actor }: { session: ContactSession; actor: Actor }) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = new Date(Date.now() + STEP_UP_CODE_TTL_MS);
  await inTransaction(async (tx) => {
    await tx
      .insert(contactStepUpCodes)
      .values({ sessionIdHash: session.idHash, codeHash: codeHash(session.idHash, code), attempts: 0, expiresAt })
      .onConflictDoUpdate({
        target: contactStepUpCodes.sessionIdHash,
        set: { codeHash: codeHash(session.idHash, code), attempts: 0, expiresAt, createdAt: new Date() },
      });
    await enqueueEmail(tx, {
      to: { name: session.contact.name, email: session.contact.email },
      caseId: session.case.id,
      template: "step-up-code",
      props: {
        recipientName: session.contact.name,
        code,
        validMinutes: STEP_UP_CODE_TTL_MS / 60_000,
        action: `continue in the handover portal for ${session.case.customerLegalName}`,
      },
      deliverBy: expiresAt,
    });
    await recordAudit(tx, {
      actor,
      caseId: session.case.id,
      event: { action: "contact.step_up_code_sent", payload: { contactId: session.contact.id } },
    });
  });
  return { expiresAt };
}

type RefusalReason = "no_code" | "expired" | "too_many_attempts" | "wrong_code";

/**
 * A code that was not accepted. Said next to the code field, as today's form does; the attempts
 * left tell the person how careful to be before the code is used up.
 */
export class StepUpCodeRefused extends InvalidInput {
  constructor(
    readonly reason: RefusalReason,
    readonly attemptsLeft: number,
  ) {
    super({
      code: {
        no_code: "Request a code first.",
        expired: "That code has expired. Request a new one.",
        too_many_attempts: "Too many wrong codes. Request a new code.",
        wrong_code: `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? "attempt" : "attempts"} left.`,
      }[reason],
    });
  }
}

/**
 * Checks a code; a code that is not accepted is refused with StepUpCodeRefused. Five wrong
 * attempts use the code up; a new one must be requested. The row is locked so that parallel
 * guesses cannot exceed the attempt limit.
 */
export async function verifyStepUpCode({
  session,
  code,
  actor,
}: {
  session: ContactSession;
  code: string;
  actor: Actor;
}): Promise<void> {
  // The refusal is thrown after the transaction commits: the counted attempt, its audit event and
  // the removal of an expired code must stay written although the request is refused.
  const refused = await inTransaction(async (tx): Promise<StepUpCodeRefused | null> => {
    const [row] = await tx
      .select({ codeHash: contactStepUpCodes.codeHash, attempts: contactStepUpCodes.attempts, expiresAt: contactStepUpCodes.expiresAt })
      .from(contactStepUpCodes)
      .where(eq(contactStepUpCodes.sessionIdHash, session.idHash))
      .for("update");
    if (!row) return new StepUpCodeRefused("no_code", 0);
    if (row.expiresAt.getTime() <= Date.now()) {
      await tx.delete(contactStepUpCodes).where(eq(contactStepUpCodes.sessionIdHash, session.idHash));
      return new StepUpCodeRefused("expired", 0);
    }
    if (row.attempts >= STEP_UP_MAX_ATTEMPTS) return new StepUpCodeRefused("too_many_attempts", 0);
    const expected = Buffer.from(row.codeHash, "hex");
    const given = Buffer.from(codeHash(session.idHash, code), "hex");
    if (!timingSafeEqual(expected, given)) {
      const attempts = row.attempts + 1;
      await tx
        .update(contactStepUpCodes)
        .set({ attempts: sql`${contactStepUpCodes.attempts} + 1` })
        .where(eq(contactStepUpCodes.sessionIdHash, session.idHash));
      await recordAudit(tx, {
        actor,
        caseId: session.case.id,
        event: { action: "contact.step_up_failed", payload: { contactId: session.contact.id, attempt: attempts } },
      });
      return attempts >= STEP_UP_MAX_ATTEMPTS
        ? new StepUpCodeRefused("too_many_attempts", 0)
        : new StepUpCodeRefused("wrong_code", STEP_UP_MAX_ATTEMPTS - attempts);
    }
    // Used once: the code is gone the moment it is accepted.
    await tx.delete(contactStepUpCodes).where(eq(contactStepUpCodes.sessionIdHash, session.idHash));
    await tx.update(contactSessions).set({ steppedUpAt: new Date() }).where(eq(contactSessions.idHash, session.idHash));
    await recordAudit(tx, {
      actor,
      caseId: session.case.id,
      event: { action: "contact.stepped_up", payload: { contactId: session.contact.id, method: "emailed code" } },
    });
    return null;
  });
  if (refused) throw refused;
}
