import { and, asc, eq, isNotNull, isNull, max, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "../../db/client";
import { type staffRole, staffSessions, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { revokeAllSessions, type StaffRole } from "./session.server";
import { STAFF_ROLES, type StaffRoleName } from "./rules";
import { issueSetupLink } from "./setup-link.server";

// Pages offer the roles listed in rules.ts; the schema defines them. This fails to compile if they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _rolesAgree: Same<StaffRoleName, (typeof staffRole.enumValues)[number]> = true;

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

/** Postgres unique violation: another request created the same address first. */
const isUniqueViolation = (error: unknown) =>
  (error as { code?: string })?.code === "23505" || (error as { cause?: { code?: string } })?.cause?.code === "23505";

export type CreateStaffResult =
  | { ok: true; userId: string; setupUrl: string }
  | { ok: false; errors: { email: string } };

/**
 * Creates a staff member and their one-time set-up link (returned once, to show the admin or print
 * in the terminal). Used by the staff page, the CLI and the demo seed, so each leaves the same trail.
 */
export async function createStaffUser({ actor, email, name, role }: NewStaff & { actor: Actor }): Promise<CreateStaffResult> {
  const duplicate = { ok: false, errors: { email: "A staff member with this email address already exists." } } as const;
  try {
    return await db().transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
      if (existing) return duplicate;
      const [user] = await tx.insert(staffUsers).values({ email, name, role }).returning({ id: staffUsers.id });
      const userId = user!.id;
      await recordAudit(tx, { actor, event: { action: "staff.user_created", payload: { userId, email, name, role } } });
      const setupUrl = await issueSetupLink(tx, { userId, actor });
      return { ok: true, userId, setupUrl } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicate;
    throw error;
  }
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

export type StaffChange = { ok: true } | { ok: false; status: 404 | 409; message: string };

const notFound: StaffChange = { ok: false, status: 404, message: "There is no such staff member." };
// The acting admin stays an active admin, so the portal can never be left without one.
const notYourself = (what: string): StaffChange => ({
  ok: false,
  status: 409,
  message: `You cannot ${what} your own account. Ask another admin.`,
});

async function findUser(userId: string) {
  if (!z.uuid().safeParse(userId).success) return null;
  const [user] = await db()
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role, deactivatedAt: staffUsers.deactivatedAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  return user ?? null;
}

export async function changeStaffRole({
  actor,
  userId,
  role,
}: {
  actor: Actor;
  userId: string;
  role: StaffRole;
}): Promise<StaffChange> {
  const user = await findUser(userId);
  if (!user) return notFound;
  if (user.id === actor.id) return notYourself("change the role of");
  if (user.role === role) return { ok: true };
  await db().transaction(async (tx) => {
    await tx.update(staffUsers).set({ role, updatedAt: new Date() }).where(eq(staffUsers.id, user.id));
    await recordAudit(tx, { actor, event: { action: "staff.role_changed", payload: { userId: user.id, from: user.role, to: role } } });
  });
  return { ok: true };
}

/** Deactivation ends every session of the person at once; their account and trail stay. */
export async function deactivateStaffUser({ actor, userId }: { actor: Actor; userId: string }): Promise<StaffChange> {
  const user = await findUser(userId);
  if (!user) return notFound;
  if (user.id === actor.id) return notYourself("deactivate");
  if (user.deactivatedAt) return { ok: true };
  await db().transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ deactivatedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(staffUsers.id, user.id), isNull(staffUsers.deactivatedAt)));
    await revokeAllSessions(user.id, tx);
    await recordAudit(tx, { actor, event: { action: "staff.deactivated", payload: { userId: user.id } } });
  });
  return { ok: true };
}

export async function reactivateStaffUser({ actor, userId }: { actor: Actor; userId: string }): Promise<StaffChange> {
  const user = await findUser(userId);
  if (!user) return notFound;
  if (!user.deactivatedAt) return { ok: true };
  await db().transaction(async (tx) => {
    await tx.update(staffUsers).set({ deactivatedAt: null, updatedAt: new Date() }).where(eq(staffUsers.id, user.id));
    await recordAudit(tx, { actor, event: { action: "staff.reactivated", payload: { userId: user.id } } });
  });
  return { ok: true };
}

/**
 * A new set-up link for someone who never used theirs, or who lost their password or
 * authenticator. Using it resets both factors; until then the old ones keep working.
 */
export async function reissueSetupLink({
  actor,
  userId,
}: {
  actor: Actor;
  userId: string;
}): Promise<{ ok: true; name: string; setupUrl: string } | Exclude<StaffChange, { ok: true }>> {
  const user = await findUser(userId);
  if (!user) return { ok: false, status: 404, message: "There is no such staff member." };
  if (user.deactivatedAt) return { ok: false, status: 409, message: "Reactivate this account before sending a set-up link." };
  const setupUrl = await db().transaction((tx) => issueSetupLink(tx, { userId: user.id, actor }));
  return { ok: true, name: user.name, setupUrl };
}

/** For the CLI: a fresh set-up link by email address, e.g. when the only admin lost their phone. */
export async function reissueSetupLinkByEmail({ actor, email }: { actor: Actor; email: string }) {
  const [user] = await db()
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
  if (!user) return { ok: false, status: 404, message: `No staff member has the address ${email}.` } as const;
  return reissueSetupLink({ actor, userId: user.id });
}
