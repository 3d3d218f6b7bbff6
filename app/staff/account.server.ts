import { and, desc, eq, gt } from "drizzle-orm";
import { db } from "../../db/client";
import { staffSessions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { inTransaction } from "../http/transaction.server";
import { issueRecoveryCodes } from "./recovery-codes.server";
import { STAFF_IDLE_TIMEOUT_MS, type StaffSession, revokeAllSessions, revokeSession } from "./session.server";

/** The person's signed-in sessions, newest activity first; session ids never leave the server. */
export async function listActiveSessions({ session }: { session: StaffSession }) {
  const now = Date.now();
  const rows = await db()
    .select({
      idHash: staffSessions.idHash,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      ip: staffSessions.ip,
      userAgent: staffSessions.userAgent,
    })
    .from(staffSessions)
    .where(
      and(
        eq(staffSessions.userId, session.user.id),
        eq(staffSessions.secondFactorDone, true),
        gt(staffSessions.expiresAt, new Date(now)),
        gt(staffSessions.lastSeenAt, new Date(now - STAFF_IDLE_TIMEOUT_MS)),
      ),
    )
    .orderBy(desc(staffSessions.lastSeenAt));
  return rows.map(({ idHash, ...row }) => ({ ...row, current: idHash === session.idHash }));
}

export async function signOut({ session, actor }: { session: StaffSession; actor: Actor }) {
  await inTransaction(async (tx) => {
    await revokeSession(session.idHash, tx);
    await recordAudit(tx, { actor, event: { action: "staff.signed_out", payload: { userId: session.user.id, everywhere: false } } });
  });
}

/** Ends every session of the person, this one included: a lost laptop is signed out too. */
export async function signOutEverywhere({ session, actor }: { session: StaffSession; actor: Actor }) {
  await inTransaction(async (tx) => {
    await revokeAllSessions(session.user.id, tx);
    await recordAudit(tx, { actor, event: { action: "staff.signed_out", payload: { userId: session.user.id, everywhere: true } } });
  });
}

/** A fresh set of recovery codes (the old ones stop working), returned once for display. */
export async function regenerateRecoveryCodes({ session, actor }: { session: StaffSession; actor: Actor }) {
  return inTransaction(async (tx) => {
    const codes = await issueRecoveryCodes(tx, { userId: session.user.id });
    await recordAudit(tx, { actor, event: { action: "staff.recovery_codes_regenerated", payload: { userId: session.user.id } } });
    return codes;
  });
}
