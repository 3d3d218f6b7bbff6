// Who may change a case, and the one way every case change runs: in a transaction that holds
// the case row, refuses closed cases, and turns constraint violations into field messages.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { db, type Transaction } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { cases, staffUsers } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { CaseClosedError } from "./errors.server";
import { assertId } from "../http/params.server";
import { Forbidden, NotFound } from "../http/refusals.server";

/** Roles that run cases. Legal reads everything and changes nothing. */
export const CASE_EDITOR_ROLES = ["admin", "engineer"] as const;

/**
 * The actor's current role, read inside the transaction: a role change or deactivation takes
 * effect at once, whatever the session that carried the request believed.
 */
async function staffRoleOf(tx: Transaction, actor: Actor) {
  if (actor.type !== "staff" || !actor.id) return null;
  const [row] = await tx
    .select({ role: staffUsers.role })
    .from(staffUsers)
    .where(and(eq(staffUsers.id, actor.id), isNull(staffUsers.deactivatedAt)));
  return row?.role ?? null;
}

/**
 * Staff admins and engineers edit cases. System actors (the demo seed, CLI commands run by the
 * operator) are trusted. Anyone else — legal, external contacts — is refused.
 */
export async function assertCanEditCases(tx: Transaction, actor: Actor) {
  if (actor.type === "system") return;
  const role = await staffRoleOf(tx, actor);
  if (!role || !(CASE_EDITOR_ROLES as readonly string[]).includes(role)) {
    throw new Forbidden("Only admins and engineers can change cases.");
  }
}

/** Closing is final: only an admin or the case's responsible engineer may do it. */
export async function assertCanCloseCase(tx: Transaction, actor: Actor, responsibleEngineerId: string) {
  if (actor.type === "system") return;
  const role = await staffRoleOf(tx, actor);
  if (role === "admin") return;
  if (role === "engineer" && actor.id === responsibleEngineerId) return;
  throw new Forbidden("Only an admin or the case's responsible engineer can close this case.");
}

export interface LockedCase {
  id: string;
  reference: string;
  status: "open" | "closed";
  responsibleEngineerId: string;
  noticeReceivedOn: string;
  cutoverOn: string;
}

/**
 * Reads the case with a row lock (FOR UPDATE), so that a concurrent close and an edit cannot
 * interleave: whichever commits second sees the other's outcome.
 */
export async function lockCase(tx: Transaction, caseId: string): Promise<LockedCase> {
  const id = assertId(caseId, "Case");
  const [row] = await tx
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      responsibleEngineerId: cases.responsibleEngineerId,
      noticeReceivedOn: cases.noticeReceivedOn,
      cutoverOn: cases.cutoverOn,
    })
    .from(cases)
    .where(eq(cases.id, id))
    .for("update");
  if (!row) throw new NotFound("Case not found");
  return row;
}

/**
 * The frame of every change to an open case: permission, case lock, read-only check, and the
 * caller's writes plus their audit event, all in one transaction.
 */
export function changeOpenCase<T>(
  { actor, caseId }: { actor: Actor; caseId: string },
  work: (tx: Transaction, kase: LockedCase) => Promise<T>,
): Promise<T> {
  return inTransaction(async (tx) => {
    await assertCanEditCases(tx, actor);
    const kase = await lockCase(tx, caseId);
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    return work(tx, kase);
  });
}

/** Active staff who may be responsible for a case. */
export async function listResponsibleStaff() {
  return db()
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role })
    .from(staffUsers)
    .where(and(isNull(staffUsers.deactivatedAt), inArray(staffUsers.role, [...CASE_EDITOR_ROLES])))
    .orderBy(staffUsers.name);
}

export async function assertResponsibleStaff(tx: Transaction, staffId: string) {
  const [row] = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(
      and(eq(staffUsers.id, staffId), isNull(staffUsers.deactivatedAt), inArray(staffUsers.role, [...CASE_EDITOR_ROLES])),
    );
  return !!row;
}
