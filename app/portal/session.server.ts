import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { db, type Executor } from "../../db/client";
import { caseContacts, cases, contactSessions, contactSignInLinks } from "../../db/schema";
import type { ContactRole } from "../cases/vocabulary";
import { type Actor, recordAudit } from "../audit/audit.server";
import { config } from "../config.server";
import type { HandoverLoadContext, RequestArgs } from "../http/load-context";
import { inTransaction } from "../http/transaction.server";
import { hashToken } from "../staff/session.server";
import { isPortalOpen } from "./access.server";


export const CONTACT_IDLE_TIMEOUT_MS = 60 * 60_000;
export const CONTACT_ABSOLUTE_TIMEOUT_MS = 24 * 60 * 60_000;
/** A step-up confirmation lets sensitive acts through for this long. */
export const CONTACT_STEP_UP_VALIDITY_MS = 15 * 60_000;
// Writing last-seen on every request would turn every page view into a write.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface ContactSession {
  idHash: string;
  steppedUpAt: Date | null;
  contact: { id: string; name: string; email: string; role: ContactRole };
  case: {
    id: string;
    reference: string;
    customerLegalName: string;
    incomingProviderName: string;
    timeZone: string;
  };
}

function portalCookie() {
  const production = config().NODE_ENV === "production";
  // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  return createCookie(production ? "__Host-handover_portal" : "handover_portal", {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
  });
}

/** Creates a fresh session (a new id at every sign-in) and returns its Set-Cookie header. */
export async function startContactSession(
  tx: Executor,
  { contactId, caseId, ip, userAgent }: { contactId: string; caseId: string; ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  await tx.insert(contactSessions).values({
    idHash: hashToken(token),
    contactId,
    caseId,
    lastSeenAt: new Date(now),
    expiresAt: new Date(now + CONTACT_ABSOLUTE_TIMEOUT_MS),
    ip,
    userAgent,
  });
  return portalCookie().serialize(token, { maxAge: CONTACT_ABSOLUTE_TIMEOUT_MS / 1000 });
}

// Remix hands each loader of a request its own copy of the Request but the same load context:
// keyed on the context, the layout's and the page's loaders look the session up once. An action
// may change the session (a sign-in step, a step-up), so it reads afresh and the loaders that
// render its result (GET copies of the request) read once after it.
const sessionsByRequest = new WeakMap<HandoverLoadContext, Promise<ContactSession | null>>();

export function getContactSession({ request, context }: RequestArgs): Promise<ContactSession | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return lookUpContactSession(request);
  let session = sessionsByRequest.get(context);
  if (!session) {
    session = lookUpContactSession(request);
    sessionsByRequest.set(context, session);
  }
  return session;
}

async function lookUpContactSession(request: Request): Promise<ContactSession | null> {
  const value: unknown = await portalCookie().parse(request.headers.get("Cookie"));
  if (typeof value !== "string" || value.length < 32) return null;
  const idHash = hashToken(value);
  const [row] = await db()
    .select({
      lastSeenAt: contactSessions.lastSeenAt,
      expiresAt: contactSessions.expiresAt,
      steppedUpAt: contactSessions.steppedUpAt,
      contactId: caseContacts.id,
      contactName: caseContacts.name,
      contactEmail: caseContacts.email,
      contactRole: caseContacts.role,
      caseId: cases.id,
      reference: cases.reference,
      customerLegalName: cases.customerLegalName,
      incomingProviderName: cases.incomingProviderName,
      timeZone: cases.timeZone,
      status: cases.status,
      portalAccessEndsOn: cases.portalAccessEndsOn,
    })
    .from(contactSessions)
    .innerJoin(
      caseContacts,
      and(eq(caseContacts.id, contactSessions.contactId), eq(caseContacts.caseId, contactSessions.caseId)),
    )
    .innerJoin(cases, eq(cases.id, contactSessions.caseId))
    .where(and(eq(contactSessions.idHash, idHash), isNull(caseContacts.removedAt)));
  const now = Date.now();
  // Removal of the contact, the end of portal access and closing the case end the session at once:
  // they are checked on every request, not only when the session is created.
  const valid =
    row &&
    row.expiresAt.getTime() > now &&
    row.lastSeenAt.getTime() + CONTACT_IDLE_TIMEOUT_MS > now &&
    isPortalOpen({ status: row.status, portalAccessEndsOn: row.portalAccessEndsOn, timeZone: row.timeZone });
  if (!valid) {
    if (row) await db().delete(contactSessions).where(eq(contactSessions.idHash, idHash));
    return null;
  }
  if (now - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db().update(contactSessions).set({ lastSeenAt: new Date(now) }).where(eq(contactSessions.idHash, idHash));
  }
  return {
    idHash,
    steppedUpAt: row.steppedUpAt,
    contact: { id: row.contactId, name: row.contactName, email: row.contactEmail, role: row.contactRole },
    case: {
      id: row.caseId,
      reference: row.reference,
      customerLegalName: row.customerLegalName,
      incomingProviderName: row.incomingProviderName,
      timeZone: row.timeZone,
    },
  };
}

/** Whether the person confirmed an emailed code recently enough for a sensitive act. */
export function hasFreshContactStepUp(session: ContactSession) {
  return session.steppedUpAt !== null && Date.now() - session.steppedUpAt.getTime() < CONTACT_STEP_UP_VALIDITY_MS;
}

/** Signing out: the session row goes, and the trail records who left, in one transaction. */
export async function endContactSession({ session, actor }: { session: ContactSession; actor: Actor }) {
  await inTransaction(async (tx) => {
    const ended = await tx.delete(contactSessions).where(eq(contactSessions.idHash, session.idHash)).returning({ idHash: contactSessions.idHash });
    // Already gone (a second tab, or revoked meanwhile): nothing ended, nothing to record.
    if (ended.length === 0) return;
    await recordAudit(tx, { actor, caseId: session.case.id, event: { action: "contact.signed_out", payload: { contactId: session.contact.id } } });
  });
}

export async function clearPortalCookie() {
  return portalCookie().serialize("", { maxAge: 0 });
}

/** Revokes every session of a contact (e.g. removed by staff), inside the caller's transaction. */
export async function revokeContactSessions(tx: Executor, { contactId }: { contactId: string }) {
  await tx.delete(contactSessions).where(eq(contactSessions.contactId, contactId));
}

/** Revokes every external session of a case (e.g. closed), inside the caller's transaction. */
export async function revokeCaseSessions(tx: Executor, { caseId }: { caseId: string }) {
  await tx.delete(contactSessions).where(eq(contactSessions.caseId, caseId));
}

export function contactActor(session: ContactSession, request: Request, clientIp: string | null): Actor {
  return {
    type: "contact",
    id: session.contact.id,
    label: `${session.contact.name} <${session.contact.email}>`,
    ip: clientIp,
    userAgent: request.headers.get("User-Agent"),
  };
}

/** Housekeeping: sessions past their timeouts and links past their expiry can never be used again. */
export async function deleteExpiredPortalAccess(now = new Date()) {
  await db()
    .delete(contactSessions)
    .where(
      or(
        lt(contactSessions.expiresAt, now),
        lt(contactSessions.lastSeenAt, new Date(now.getTime() - CONTACT_IDLE_TIMEOUT_MS)),
      ),
    );
  await db().delete(contactSignInLinks).where(lt(contactSignInLinks.expiresAt, now));
}
