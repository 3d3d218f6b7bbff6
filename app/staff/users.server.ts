import { and, asc, eq, isNotNull, isNull, max, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "../../db/client";
import { staffSessions, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { Conflict, InvalidInput, NotFound } from "../http/refusals.server";
import { constraintMessages, inTransaction } from "../http/transaction.server";
import { revokeAllSessions } from "./session.server";
import { STAFF_ROLES, type StaffRole } from "./rules";
import { issueSetupLink } from "./setup-link.server";

/** The one schema for a new staff member, shared by the staff page and `npx handover user:create`. */
export const newStaffSchema = z.object({
  email: z
    .email({ message: "Enter an email address such as name@example.com." })
    .max(254, "That email address is too long."),
  name: z
    .string({ message: "Enter the person's name." })
    .min(1, "Enter the person's name.")
    .max(120, "Use at most 120 characters."),
  role: z.enum(STAFF_ROLES, { message: "Choose admin, engineer or legal." }),
});
export type NewStaff = z.infer<typeof newStaffSchema>;

const DUPLICATE_EMAIL = "A staff member with this email address already exists.";

// Two admins adding the same address at once: the second insert meets the unique index.
constraintMessages({
  staff_users_email_unique: { field: "email", message: DUPLICATE_EMAIL },
  staff_users_email_shape: { field: "email", message: "Enter an email address such as name@example.com." },
});

/**
 * Creates a staff member and their one-time set-up link (returned once, to show the admin or print
 * in the terminal). Used by the staff page, the CLI and the demo seed, so each leaves the same trail.
 */
export async function createStaffUser({ actor, email, name, role }: NewStaff & { actor: Actor }): Promise<{ userId: string; setupUrl: string }> {
  return inTransaction(async (tx) => {
    const [existing] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
    if (existing) throw new InvalidInput({ email: DUPLICATE_EMAIL });
    const [user] = await tx.insert(staffUsers).values({ email, name, role }).returning({ id: staffUsers.id });
    const userId = user!.id;
    await recordAudit(tx, { actor, event: { action: "staff.user_created", payload: { userId, email, name, role } } });
    const setupUrl = await issueSetupLink(tx, { userId, actor });
    return { userId, setupUrl };
  });
}

export type StaffStatus = "active" | "invited" | "deactivated";

/** Everyone on staff for the admin page; no hashes or secrets leave this function. */
export async function listStaffUsers() {
  const rows = await db()
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      hasPassword: isNotNull(staffUsers.passwordHash),
      totpEnabledAt: staffUsers.totpEnabledAt,
      deactivatedAt: staffUsers.deactivatedAt,
      createdAt: staffUsers.createdAt,
      lastSeenAt: max(staffSessions.lastSeenAt),
    })
    .from(staffUsers)
    .leftJoin(staffSessions, and(eq(staffSessions.userId, staffUsers.id), eq(staffSessions.secondFactorDone, true)))
    .groupBy(staffUsers.id)
    .orderBy(asc(sql`lower(${staffUsers.name})`));
  return rows.map(({ hasPassword, totpEnabledAt, deactivatedAt, ...row }) => ({
    ...row,
    deactivatedAt,
    status: (deactivatedAt ? "deactivated" : hasPassword && totpEnabledAt ? "active" : "invited") as StaffStatus,
  }));
}

// The acting admin stays an active admin, so the portal can never be left without one.
class OwnAccountError extends Conflict {
  override name = "OwnAccountError";
  constructor(what: string) {
    super(`You cannot ${what} your own account. Ask another admin.`);
  }
}

const NO_SUCH_STAFF = "There is no such staff member.";

async function findUser(userId: string) {
  if (!z.uuid().safeParse(userId).success) throw new NotFound(NO_SUCH_STAFF);
  const [user] = await db()
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role, deactivatedAt: staffUsers.deactivatedAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  if (!user) throw new NotFound(NO_SUCH_STAFF);
  return user;
}

export async function changeStaffRole({ actor, userId, role }: { actor: Actor; userId: string; role: StaffRole }) {
  const user = await findUser(userId);
  if (user.id === actor.id) throw new OwnAccountError("change the role of");
  if (user.role === role) return;
  await inTransaction(async (tx) => {
    await tx.update(staffUsers).set({ role, updatedAt: new Date() }).where(eq(staffUsers.id, user.id));
    await recordAudit(tx, { actor, event: { action: "staff.role_changed", payload: { userId: user.id, from: user.role, to: role } } });
  });
}

/** Deactivation ends every session of the person at once; their account and trail stay. */
export async function deactivateStaffUser({ actor, userId }: { actor: Actor; userId: string }) {
  const user = await findUser(userId);
  if (user.id === actor.id) throw new OwnAccountError("deactivate");
  if (user.deactivatedAt) return;
  await inTransaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ deactivatedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(staffUsers.id, user.id), isNull(staffUsers.deactivatedAt)));
    await revokeAllSessions(user.id, tx);
    await recordAudit(tx, { actor, event: { action: "staff.deactivated", payload: { userId: user.id } } });
  });
}

export async function reactivateStaffUser({ actor, userId }: { actor: Actor; userId: string }) {
  const user = await findUser(userId);
  if (!user.deactivatedAt) return;
  await inTransaction(async (tx) => {
    await tx.update(staffUsers).set({ deactivatedAt: null, updatedAt: new Date() }).where(eq(staffUsers.id, user.id));
    await recordAudit(tx, { actor, event: { action: "staff.reactivated", payload: { userId: user.id } } });
  });
}

/**
 * A new set-up link for someone who never used theirs, or who lost their password or
 * authenticator. Using it resets both factors; until then the old ones keep working.
 */
export async function reissueSetupLink({ actor, userId }: { actor: Actor; userId: string }): Promise<{ name: string; setupUrl: string }> {
  const user = await findUser(userId);
  if (user.deactivatedAt) throw new Conflict("Reactivate this account before sending a set-up link.");
  const setupUrl = await inTransaction((tx) => issueSetupLink(tx, { userId: user.id, actor }));
  return { name: user.name, setupUrl };
}

/** For the CLI: a fresh set-up link by email address, e.g. when the only admin lost their phone. */
export async function reissueSetupLinkByEmail({ actor, email }: { actor: Actor; email: string }) {
  const [user] = await db()
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
  if (!user) throw new NotFound(`No staff member has the address ${email}.`);
  return reissueSetupLink({ actor, userId: user.id });
}
