import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type Transaction } from "../../db/client";
import { caseContacts, cases, contactSignInLinks } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { Conflict, NotFound, SendTo } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { config } from "../config.server";
import { hashToken } from "../staff/session.server";
import { isPortalOpen } from "./access.server";
import { enqueueEmail } from "../mail/outbox.server";
import { startContactSession } from "./session.server";

export const INVITATION_LINK_TTL_MS = 7 * 24 * 60 * 60_000;
export const REQUESTED_LINK_TTL_MS = 15 * 60_000;


/** ≥128 bits from the OS CSPRNG; only the SHA-256 is stored, so a database dump signs nobody in. */
function newToken() {
  return randomBytes(32).toString("base64url");
}

const signInUrl = (token: string) => `${config().HANDOVER_PUBLIC_URL}/sign-in/${token}`;

async function issueLink(
  tx: Transaction,
  { contactId, caseId, kind }: { contactId: string; caseId: string; kind: "invitation" | "requested" },
) {
  const token = newToken();
  const ttl = kind === "invitation" ? INVITATION_LINK_TTL_MS : REQUESTED_LINK_TTL_MS;
  const expiresAt = new Date(Date.now() + ttl);
  // Earlier links stay valid until they expire or are used: a stranger asking for links to someone
  // else's address must not be able to withdraw the one that person is about to press.
  await tx.insert(contactSignInLinks).values({ tokenHash: hashToken(token), contactId, caseId, kind, expiresAt });
  return { url: signInUrl(token), expiresAt };
}

// What a sign-in link's email needs of its contact and case, and whether the portal is still open.
const linkRecipientColumns = {
  name: caseContacts.name,
  email: caseContacts.email,
  role: caseContacts.role,
  reference: cases.reference,
  customerLegalName: cases.customerLegalName,
  status: cases.status,
  portalAccessEndsOn: cases.portalAccessEndsOn,
  timeZone: cases.timeZone,
};

/** Staff invite a contact of a case: an emailed link valid for 7 days. */
export async function inviteContact({ actor, caseId, contactId }: { actor: Actor; caseId: string; contactId: string }) {
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select(linkRecipientColumns)
      .from(caseContacts)
      .innerJoin(cases, eq(cases.id, caseContacts.caseId))
      .where(and(eq(caseContacts.id, contactId), eq(caseContacts.caseId, caseId), isNull(caseContacts.removedAt)));
    if (!row) throw new NotFound("No such contact in this case");
    if (!isPortalOpen(row)) {
      throw new PortalClosedError("The portal is closed for this case (closed, or past its access end date).");
    }
    const link = await issueLink(tx, { contactId, caseId, kind: "invitation" });
    await enqueueEmail(tx, {
      to: { name: row.name, email: row.email },
      caseId,
      template: "contact-invitation",
      props: {
        recipientName: row.name,
        caseName: `${row.customerLegalName} (${row.reference})`,
        role: row.role,
        signInUrl: link.url,
        expiresAt: link.expiresAt,
        timeZone: row.timeZone,
      },
      deliverBy: link.expiresAt,
    });
    await recordAudit(tx, {
      actor,
      caseId,
      event: { action: "contact.invited", payload: { contactId, email: row.email, expiresAt: link.expiresAt.toISOString() } },
    });
    return { email: row.email };
  });
}

/** The case no longer lets its contacts in: nobody is invited to a closed portal. */
export class PortalClosedError extends Conflict {
  override name = "PortalClosedError";
}

/** A used, expired or withdrawn sign-in link: the person asks for a new one on the sign-in page. */
export class SignInLinkUnusableError extends SendTo {
  override name = "SignInLinkUnusableError";
  constructor() {
    super("/sign-in?expired");
  }
}

/**
 * Someone asks for a sign-in link by email address. Every live contact with that address gets one
 * link per case; the caller answers the same way whether or not the address is known.
 */
export async function requestSignInLinks({ email, actor }: { email: string; actor: Actor }): Promise<void> {
  const normalised = email.trim().toLowerCase();
  await inTransaction(async (tx) => {
    const matches = await tx
      .select({ contactId: caseContacts.id, caseId: cases.id, ...linkRecipientColumns })
      .from(caseContacts)
      .innerJoin(cases, eq(cases.id, caseContacts.caseId))
      .where(and(sql`lower(${caseContacts.email}) = ${normalised}`, isNull(caseContacts.removedAt)));
    for (const match of matches.filter((m) => isPortalOpen(m))) {
      const link = await issueLink(tx, { contactId: match.contactId, caseId: match.caseId, kind: "requested" });
      await enqueueEmail(tx, {
        to: { name: match.name, email: match.email },
        caseId: match.caseId,
        template: "sign-in-link",
        props: {
          recipientName: match.name,
          caseName: `${match.customerLegalName} (${match.reference})`,
          signInUrl: link.url,
          expiresAt: link.expiresAt,
          timeZone: match.timeZone,
        },
        deliverBy: link.expiresAt,
      });
      await recordAudit(tx, {
        actor: { ...actor, type: "contact", id: match.contactId, label: `${match.name} <${match.email}>` },
        caseId: match.caseId,
        event: { action: "contact.sign_in_link_requested", payload: { contactId: match.contactId } },
      });
    }
  });
}

/**
 * What the link page shows before anyone presses "Continue". Reading it changes nothing, so mail
 * scanners that open links can neither use nor burn them.
 */
export async function describeSignInLink({ token }: { token: string }) {
  const [row] = await db()
    .select({
      reference: cases.reference,
      customerLegalName: cases.customerLegalName,
      contactName: caseContacts.name,
    })
    .from(contactSignInLinks)
    .innerJoin(cases, eq(cases.id, contactSignInLinks.caseId))
    .innerJoin(caseContacts, eq(caseContacts.id, contactSignInLinks.contactId))
    .where(
      and(
        eq(contactSignInLinks.tokenHash, hashToken(token)),
        gt(contactSignInLinks.expiresAt, new Date()),
        isNull(caseContacts.removedAt),
      ),
    );
  return row ?? null;
}

/**
 * Only the POST of the "Continue" button uses the link. The DELETE … RETURNING makes the use
 * atomic: of two simultaneous posts, exactly one gets the row and a session. A link that cannot
 * sign anyone in is refused with SignInLinkUnusableError.
 */
export async function consumeSignInLink({
  token,
  ip,
  userAgent,
}: {
  token: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<{ setCookie: string; caseId: string }> {
  // Refused after the transaction commits: a link whose contact was removed, or whose portal
  // closed, is still used up.
  const signedIn = await inTransaction(async (tx) => {
    const [link] = await tx
      .delete(contactSignInLinks)
      .where(and(eq(contactSignInLinks.tokenHash, hashToken(token)), gt(contactSignInLinks.expiresAt, new Date())))
      .returning({ contactId: contactSignInLinks.contactId, caseId: contactSignInLinks.caseId, kind: contactSignInLinks.kind });
    if (!link) return null;
    const [row] = await tx
      .select({
        name: caseContacts.name,
        email: caseContacts.email,
        status: cases.status,
        portalAccessEndsOn: cases.portalAccessEndsOn,
        timeZone: cases.timeZone,
      })
      .from(caseContacts)
      .innerJoin(cases, eq(cases.id, caseContacts.caseId))
      .where(and(eq(caseContacts.id, link.contactId), eq(caseContacts.caseId, link.caseId), isNull(caseContacts.removedAt)));
    if (!row || !isPortalOpen(row)) return null;
    const setCookie = await startContactSession(tx, { contactId: link.contactId, caseId: link.caseId, ip, userAgent });
    await recordAudit(tx, {
      actor: { type: "contact", id: link.contactId, label: `${row.name} <${row.email}>`, ip, userAgent },
      caseId: link.caseId,
      event: { action: "contact.signed_in", payload: { contactId: link.contactId, method: `email link (${link.kind})` } },
    });
    return { setCookie, caseId: link.caseId };
  });
  if (!signedIn) throw new SignInLinkUnusableError();
  return signedIn;
}
