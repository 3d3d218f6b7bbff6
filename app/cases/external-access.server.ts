// Where the case domain ends a contact's access to the portal. These run inside the same
// transaction as the change that calls for them (removing a contact, closing a case), so access
// ends in the same instant the change commits. (The portal guard also checks contact and case on
// every request, so nothing slips through between the two.)
import { eq } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { contactSignInLinks } from "../../db/schema";
import { revokeCaseSessions, revokeContactSessions } from "../portal/session.server";

/** Called when staff remove a contact from a case: their sessions and unused links die with it. */
export async function revokeContactAccess(tx: Transaction, { contactId }: { caseId: string; contactId: string }) {
  await revokeContactSessions(tx, { contactId });
  await tx.delete(contactSignInLinks).where(eq(contactSignInLinks.contactId, contactId));
}

/** Called when a case is closed: every contact of the case loses access. */
export async function revokeCaseExternalAccess(tx: Transaction, { caseId }: { caseId: string }) {
  await revokeCaseSessions(tx, { caseId });
  await tx.delete(contactSignInLinks).where(eq(contactSignInLinks.caseId, caseId));
}
