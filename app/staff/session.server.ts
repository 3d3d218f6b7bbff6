import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { type Executor, db } from "../../db/client";
import { staffSessions, staffUsers } from "../../db/schema";
import type { StaffRole } from "./rules";
import type { Actor } from "../audit/audit.server";
import { config } from "../config.server";
import type { HandoverLoadContext, RequestArgs } from "../http/load-context";


export const STAFF_IDLE_TIMEOUT_MS = 30 * 60_000;
export const STAFF_ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** A session may sign in with a password, but the second factor must follow within this time. */
export const SECOND_FACTOR_WINDOW_MS = 10 * 60_000;
export const STAFF_STEP_UP_VALIDITY_MS = 10 * 60_000;
// Writing last-seen on every request would turn every page view into a write.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface StaffSession {
  idHash: string;
  secondFactorDone: boolean;
  steppedUpAt: Date | null;
  user: { id: string; email: string; name: string; role: StaffRole; totpEnrolled: boolean };
}

function sessionCookie() {
  const production = config().NODE_ENV === "production";
  // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  return createCookie(production ? "__Host-handover_staff" : "handover_staff", {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
  });
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/**
 * Starts a session after a correct password. The session is not usable for the staff area until
 * the second factor is done (`completeSecondFactor`). Returns the Set-Cookie header.
 */
export async function createStaffSession({
  userId,
  ip,
  userAgent,
}: {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  await db()
    .insert(staffSessions)
    .values({
      idHash: hashToken(token),
      userId,
      secondFactorDone: false,
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + SECOND_FACTOR_WINDOW_MS),
      ip,
      userAgent,
    });
  return sessionCookie().serialize(token, { maxAge: STAFF_ABSOLUTE_TIMEOUT_MS / 1000 });
}

/**
 * Marks the second factor done and issues a new session id, so an id seen before sign-in
 * completed (e.g. planted by an attacker) is worthless afterwards.
 */
export async function completeSecondFactor(idHash: string, executor: Executor = db()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  const updated = await executor
    .update(staffSessions)
    .set({
      idHash: hashToken(token),
      secondFactorDone: true,
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + STAFF_ABSOLUTE_TIMEOUT_MS),
      // Entering the TOTP code at sign-in is itself a fresh confirmation.
      steppedUpAt: new Date(now),
    })
    .where(eq(staffSessions.idHash, idHash))
    .returning({ idHash: staffSessions.idHash });
  if (updated.length !== 1) throw new Error("session vanished during sign-in");
  return sessionCookie().serialize(token, { maxAge: STAFF_ABSOLUTE_TIMEOUT_MS / 1000 });
}

// Remix hands each loader of a request its own copy of the Request but the same load context:
// keyed on the context, the layout's and the page's loaders look the session up once. An action
// may change the session (a sign-in step, a step-up), so it reads afresh and the loaders that
// render its result (GET copies of the request) read once after it.
const sessionsByRequest = new WeakMap<HandoverLoadContext, Promise<StaffSession | null>>();

export function getStaffSession({ request, context }: RequestArgs): Promise<StaffSession | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return lookUpStaffSession(request);
  let session = sessionsByRequest.get(context);
  if (!session) {
    session = lookUpStaffSession(request);
    sessionsByRequest.set(context, session);
  }
  return session;
}

async function lookUpStaffSession(request: Request): Promise<StaffSession | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const idHash = hashToken(token);
  const [row] = await db()
    .select({
      idHash: staffSessions.idHash,
      secondFactorDone: staffSessions.secondFactorDone,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
      steppedUpAt: staffSessions.steppedUpAt,
      userId: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      totpEnabledAt: staffUsers.totpEnabledAt,
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
    .where(and(eq(staffSessions.idHash, idHash), isNull(staffUsers.deactivatedAt)));
  if (!row) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + STAFF_IDLE_TIMEOUT_MS <= now) {
    await db().delete(staffSessions).where(eq(staffSessions.idHash, idHash));
    return null;
  }
  if (now - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db().update(staffSessions).set({ lastSeenAt: new Date(now) }).where(eq(staffSessions.idHash, idHash));
  }
  return {
    idHash: row.idHash,
    secondFactorDone: row.secondFactorDone,
    steppedUpAt: row.steppedUpAt,
    user: {
      id: row.userId,
      email: row.email,
      name: row.name,
      role: row.role,
      totpEnrolled: row.totpEnabledAt !== null,
    },
  };
}

/** Whether the session confirmed a TOTP code recently enough for a sensitive act. */
export function hasFreshStepUp(session: StaffSession) {
  return session.steppedUpAt !== null && Date.now() - session.steppedUpAt.getTime() < STAFF_STEP_UP_VALIDITY_MS;
}

export async function markSteppedUp(idHash: string, executor: Executor = db()) {
  await executor.update(staffSessions).set({ steppedUpAt: new Date() }).where(eq(staffSessions.idHash, idHash));
}

export async function destroySessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function revokeSession(idHash: string, executor: Executor = db()) {
  await executor.delete(staffSessions).where(eq(staffSessions.idHash, idHash));
}

export async function revokeAllSessions(userId: string, executor: Executor = db()) {
  await executor.delete(staffSessions).where(eq(staffSessions.userId, userId));
}

export async function deleteExpiredStaffSessions() {
  await db()
    .delete(staffSessions)
    .where(
      // Dates go through lt() so the column maps them: a bare Date in sql`` fails on postgres.js.
      sql`${lt(staffSessions.expiresAt, new Date())} or ${lt(staffSessions.lastSeenAt, new Date(Date.now() - STAFF_IDLE_TIMEOUT_MS))}`,
    );
}

/** The audit actor for a staff member acting through a request. */
export function staffActor(session: StaffSession, request: Request, clientIp: string | null): Actor {
  return {
    type: "staff",
    id: session.user.id,
    label: `${session.user.name} <${session.user.email}>`,
    ip: clientIp,
    userAgent: request.headers.get("User-Agent"),
  };
}
