// "Keys received": the incoming provider confirms it has the credentials. From then on the MSP's
// staff can no longer reveal them, and the provider is asked to accept support responsibility.
// Until then the provider's contacts are reminded.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { caseContacts, caseVaults, cases, credentials, staffUsers } from "../../db/schema";
import { type Actor, recordAudit, systemActor } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { enqueueEmail } from "../mail/outbox.server";
import { NothingReadyError, SecretsPurgedError } from "./errors.server";
import { releasedTo, rotatedAfterNotice, type VaultSummary } from "./credentials.server";

/**
 * Where the hand-over of the keys stands. "Keys received" is settled when the provider confirmed
 * them, or when there is nothing to confirm: the secrets were destroyed first, or none of the
 * case's credentials go to the provider. The checklist and support responsibility read it alike.
 */
export type KeysStanding = "received" | "destroyed_before_receipt" | "none_for_provider" | "nothing_ready" | "ready";

export function keysStanding(vault: VaultSummary | undefined): KeysStanding {
  if (vault?.keysReceivedAt) return "received";
  if (vault?.purgedAt) return "destroyed_before_receipt";
  if (vault && vault.total > 0 && vault.releasedToProvider === 0 && vault.unreleased.length === 0) return "none_for_provider";
  if (!vault || vault.readyForProvider === 0) return "nothing_ready";
  return "ready";
}

/** The keys have passed (or there were none to pass): support responsibility may be accepted. */
export const keysSettled = (standing: KeysStanding) => standing === "received" || standing === "destroyed_before_receipt" || standing === "none_for_provider";

/** Time between reminders to the incoming provider: often enough to be seen, not to be spam. */
export const KEYS_REMINDER_INTERVAL_MS = 3 * 24 * 60 * 60_000;

/**
 * The provider contact confirms receipt. Needs at least one credential released to the provider
 * and rotated; confirming twice changes nothing.
 */
export async function confirmKeysReceived({
  actor,
  caseId,
  contactId,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  now?: Date;
}): Promise<{ receivedAt: Date; already: boolean }> {
  const id = assertId(caseId, "Case");
  return inTransaction(async (tx) => {
    const [vault] = await tx
      .select({ keysReceivedAt: caseVaults.keysReceivedAt, purgedAt: caseVaults.purgedAt })
      .from(caseVaults)
      .where(eq(caseVaults.caseId, id))
      .for("update");
    if (vault?.purgedAt) throw new SecretsPurgedError();
    if (vault?.keysReceivedAt) return { receivedAt: vault.keysReceivedAt, already: true };
    const [ready] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(credentials)
      .innerJoin(cases, eq(cases.id, credentials.caseId))
      .where(and(eq(credentials.caseId, id), releasedTo("incoming_provider"), rotatedAfterNotice));
    if (!vault || !ready || ready.count === 0) {
      throw new NothingReadyError("No credentials have been released to you yet, so there is nothing to confirm.");
    }
    await tx
      .update(caseVaults)
      .set({ keysReceivedAt: now, keysReceivedByContactId: contactId, keysReceivedByLabel: actor.label, updatedAt: now })
      .where(eq(caseVaults.caseId, id));
    await recordAudit(tx, {
      actor,
      caseId: id,
      event: { action: "credentials.keys_received", payload: { contactId, credentialCount: ready.count } },
    });
    const [kase] = await tx
      .select({ reference: cases.reference, customer: cases.customerLegalName, provider: cases.incomingProviderName, engineerName: staffUsers.name, engineerEmail: staffUsers.email })
      .from(cases)
      .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
      .where(eq(cases.id, id));
    if (kase) {
      await enqueueEmail(tx, {
        to: { name: kase.engineerName, email: kase.engineerEmail },
        template: "notification",
        caseId: id,
        props: {
          title: `${kase.provider} confirmed the credentials for ${kase.customer} were received`,
          recipientName: kase.engineerName,
          paragraphs: [
            `${actor.label.replace(/\s*<[^>]*>$/, "")} of ${kase.provider} confirmed receipt of ${ready.count} credential${ready.count === 1 ? "" : "s"} for ${kase.customer} (${kase.reference}).`,
            "From now on MSP staff can no longer reveal these credentials. The incoming provider is asked to accept support responsibility with the handover packet.",
          ],
          action: { label: "Open the case's credentials", url: `/app/cases/${id}/credentials` },
        },
      });
    }
    return { receivedAt: now, already: false };
  });
}

/**
 * Reminds the incoming provider's contacts, every few days, of credentials that are ready for them
 * and not yet confirmed. Idempotent: each case is claimed with a conditional update, so two
 * instances or a repeated run never send twice within the interval.
 */
export async function sendKeysReminders({ now = new Date(), intervalMs = KEYS_REMINDER_INTERVAL_MS } = {}) {
  const due = new Date(now.getTime() - intervalMs);
  const candidates = await db()
    .select({ caseId: caseVaults.caseId, first: sql<boolean>`${caseVaults.lastKeysReminderAt} is null` })
    .from(caseVaults)
    .innerJoin(cases, eq(cases.id, caseVaults.caseId))
    .where(
      and(
        isNull(caseVaults.keysReceivedAt),
        isNull(caseVaults.purgedAt),
        eq(cases.status, "open"),
        // Only while the provider can still sign in: through the access end date in the case's zone.
        sql`(${now.toISOString()}::timestamptz at time zone ${cases.timeZone})::date <= ${cases.portalAccessEndsOn}`,
        or(isNull(caseVaults.lastKeysReminderAt), lt(caseVaults.lastKeysReminderAt, due)),
      ),
    );
  let sent = 0;
  for (const candidate of candidates) {
    sent += await inTransaction(async (tx) => {
      const [ready] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(credentials)
        .innerJoin(cases, eq(cases.id, credentials.caseId))
        .where(and(eq(credentials.caseId, candidate.caseId), releasedTo("incoming_provider"), rotatedAfterNotice));
      if (!ready || ready.count === 0) return 0;
      const claimed = await tx
        .update(caseVaults)
        .set({ lastKeysReminderAt: now })
        .where(
          and(
            eq(caseVaults.caseId, candidate.caseId),
            isNull(caseVaults.keysReceivedAt),
            or(isNull(caseVaults.lastKeysReminderAt), lt(caseVaults.lastKeysReminderAt, due)),
          ),
        )
        .returning({ caseId: caseVaults.caseId });
      if (claimed.length === 0) return 0;
      const [kase] = await tx.select({ customer: cases.customerLegalName }).from(cases).where(eq(cases.id, candidate.caseId));
      const contacts = await tx
        .select({ name: caseContacts.name, email: caseContacts.email })
        .from(caseContacts)
        .where(and(eq(caseContacts.caseId, candidate.caseId), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt)));
      for (const contact of contacts) {
        await enqueueEmail(tx, {
          to: { name: contact.name, email: contact.email },
          template: "credential-keys-reminder",
          caseId: candidate.caseId,
          props: { recipientName: contact.name, customer: kase?.customer ?? "", readyCount: ready.count, first: candidate.first },
        });
      }
      await recordAudit(tx, {
        actor: systemActor(),
        caseId: candidate.caseId,
        event: { action: "credentials.keys_reminder_sent", payload: { recipients: contacts.length, readyCount: ready.count } },
      });
      return contacts.length > 0 ? 1 : 0;
    });
  }
  return { casesReminded: sent };
}

