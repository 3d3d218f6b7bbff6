// Support responsibility: "once the keys to the kingdom are passed, the new service provider is
// responsible". The incoming provider's contact accepts it, after confirming the keys received,
// from a date that is today or later in the case's time zone. Until that date the MSP is
// responsible; the case's planned transfer date is only the plan, and staff are reminded when it
// passes without an acceptance.
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor, type Transaction } from "../../db/client";
import { caseContacts, cases, staffUsers, supportResponsibility } from "../../db/schema";
import { type Actor, recordAudit, systemActor } from "../audit/audit.server";
import { todayIn } from "../cases/dates";
import { CaseClosedError } from "../cases/errors.server";
import { formatLongDate } from "../cases/format";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { Conflict, Forbidden, InvalidInput, NotFound } from "../http/refusals.server";
import { constraintMessages, inTransaction } from "../http/transaction.server";
import { enqueueEmail } from "../mail/outbox.server";
import { getBranding } from "../msp/profile.server";
import { loadVaultSummaries } from "../vault/credentials.server";
import { keysSettled, keysStanding } from "../vault/keys-received.server";
import type { SupportParty } from "./vocabulary";

export const acceptSupportSchema = z.object({
  acceptedFrom: z.iso.date({ error: "Enter the date from which you are responsible (YYYY-MM-DD)." }),
});

constraintMessages({
  support_responsibility_not_backdated: { field: "acceptedFrom", message: "The date must be today or later." },
  support_responsibility_acceptance_consistent: { field: "form", message: "The acceptance is incomplete." },
});

/** Time between reminders to staff about an overdue transfer. */
export const SUPPORT_REMINDER_INTERVAL_MS = 3 * 24 * 60 * 60_000;

/** Who accepted is shown to every party: the name, not the address. */
const personOf = (label: string) => label.replace(/\s*<[^>]*>$/, "");

export interface SupportAcceptance {
  acceptedFrom: string;
  acceptedAt: Date;
  /** The accepting contact's name. */
  acceptedBy: string;
}

/** Acceptances for many cases in one query (the checklist evaluates every listed case). */
export async function loadSupportAcceptances(executor: Executor, caseIds: string[]): Promise<Map<string, SupportAcceptance>> {
  const result = new Map<string, SupportAcceptance>();
  if (caseIds.length === 0) return result;
  const rows = await executor
    .select({
      caseId: supportResponsibility.caseId,
      acceptedFrom: supportResponsibility.acceptedFrom,
      acceptedAt: supportResponsibility.acceptedAt,
      acceptedBy: supportResponsibility.acceptedByLabel,
    })
    .from(supportResponsibility)
    .where(and(inArray(supportResponsibility.caseId, caseIds), sql`${supportResponsibility.acceptedAt} is not null`));
  for (const row of rows) {
    if (row.acceptedFrom && row.acceptedAt && row.acceptedBy) {
      result.set(row.caseId, { acceptedFrom: row.acceptedFrom, acceptedAt: row.acceptedAt, acceptedBy: personOf(row.acceptedBy) });
    }
  }
  return result;
}

export interface SupportStatus {
  /** Who is responsible for support today. */
  responsible: SupportParty;
  /** The name of who is responsible today (the MSP's or the incoming provider's). */
  responsibleName: string;
  /** Since when the incoming provider is responsible; null while the MSP still is. */
  responsibleSince: string | null;
  /** From when the incoming provider is (or will be) responsible; null until it accepts. */
  acceptedFrom: string | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  plannedOn: string | null;
  /** The planned date is past and nobody accepted. */
  overdue: boolean;
  /** A sentence for people: "… is responsible for support since …". */
  summary: string;
}

/** A support status as pages receive it (the acceptance moment as ISO text). */
export type SupportStatusView = Omit<SupportStatus, "acceptedAt"> & { acceptedAt: string | null };

export const supportStatusView = (status: SupportStatus): SupportStatusView => ({ ...status, acceptedAt: status.acceptedAt?.toISOString() ?? null });

/** Who is responsible now, from the acceptance (if any) and the plan. Pure: pages and the packet share it. */
export function supportStatus({
  acceptance,
  plannedOn,
  providerName,
  mspName,
  today,
}: {
  acceptance: SupportAcceptance | null | undefined;
  plannedOn: string | null;
  providerName: string;
  mspName: string;
  today: string;
}): SupportStatus {
  const base = { plannedOn, acceptedFrom: acceptance?.acceptedFrom ?? null, acceptedBy: acceptance?.acceptedBy ?? null, acceptedAt: acceptance?.acceptedAt ?? null };
  if (acceptance && acceptance.acceptedFrom <= today) {
    return {
      ...base,
      responsible: "incoming_provider",
      responsibleName: providerName,
      responsibleSince: acceptance.acceptedFrom,
      overdue: false,
      summary: `${providerName} is responsible for support since ${formatLongDate(acceptance.acceptedFrom)} (accepted by ${acceptance.acceptedBy}).`,
    };
  }
  const msp = { ...base, responsible: "msp" as const, responsibleName: mspName, responsibleSince: null };
  if (acceptance) {
    return {
      ...msp,
      overdue: false,
      summary: `${mspName} is responsible for support until ${providerName} takes over on ${formatLongDate(acceptance.acceptedFrom)} (accepted by ${acceptance.acceptedBy}).`,
    };
  }
  // The plan is only a plan: without an acceptance the MSP stays responsible, even past the date.
  const overdue = plannedOn !== null && plannedOn < today;
  const plan = plannedOn ? ` The transfer is planned for ${formatLongDate(plannedOn)}${overdue ? ", which has passed without an acceptance" : ""}.` : "";
  return { ...msp, overdue, summary: `${mspName} is responsible for support: ${providerName} has not accepted support responsibility yet.${plan}` };
}

/** The case's support status today, for pages and the packet. The MSP's name defaults to its profile's. */
export async function getSupportStatus({ caseId, mspName, now = new Date(), executor = db() }: { caseId: string; mspName?: string; now?: Date; executor?: Executor }) {
  const id = assertId(caseId, "Case");
  const [kase] = await executor
    .select({ plannedOn: cases.supportTransferPlannedOn, provider: cases.incomingProviderName, timeZone: cases.timeZone })
    .from(cases)
    .where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const acceptance = (await loadSupportAcceptances(executor, [id])).get(id);
  return supportStatus({
    acceptance,
    plannedOn: kase.plannedOn,
    providerName: kase.provider,
    mspName: mspName ?? (await getBranding()).legalName,
    today: todayIn(kase.timeZone, now),
  });
}

/**
 * What the portal's support page shows: the status, whether the keys have passed (acceptance
 * waits for them), and the range of dates the provider may accept from.
 */
export async function getSupportAcceptance({ caseId, mspName, now = new Date() }: { caseId: string; mspName?: string; now?: Date }) {
  const id = assertId(caseId, "Case");
  const [kase] = await db().select({ timeZone: cases.timeZone, portalAccessEndsOn: cases.portalAccessEndsOn }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const [status, vaults] = await Promise.all([getSupportStatus({ caseId: id, mspName, now }), loadVaultSummaries(db(), [id])]);
  return {
    status: supportStatusView(status),
    keysPassed: keysSettled(keysStanding(vaults.get(id))),
    earliest: todayIn(kase.timeZone, now),
    latest: kase.portalAccessEndsOn,
    timeZone: kase.timeZone,
  };
}

/**
 * The incoming provider's contact accepts support responsibility from `acceptedFrom`: today or
 * later in the case's time zone (support never passes retroactively), and no later than the end
 * of portal access. Needs the keys first (the provider cannot support what it cannot reach), as
 * the checklist defines "keys received". Accepted once; the acceptance is final.
 */
export async function acceptSupportResponsibility({
  actor,
  caseId,
  contactId,
  input,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  input: unknown;
  now?: Date;
}): Promise<{ acceptedFrom: string }> {
  const id = assertId(caseId, "Case");
  const { acceptedFrom } = parseInput(acceptSupportSchema, input);
  return inTransaction(async (tx) => {
    const [kase] = await tx
      .select({
        reference: cases.reference,
        status: cases.status,
        timeZone: cases.timeZone,
        plannedOn: cases.supportTransferPlannedOn,
        portalAccessEndsOn: cases.portalAccessEndsOn,
        customer: cases.customerLegalName,
        provider: cases.incomingProviderName,
      })
      .from(cases)
      .where(eq(cases.id, id))
      .for("update");
    if (!kase) throw new NotFound("Case not found");
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    // The session's role was checked by the route; the contact's current standing decides here.
    const [contact] = await tx
      .select({ id: caseContacts.id })
      .from(caseContacts)
      .where(and(eq(caseContacts.id, assertId(contactId, "Contact")), eq(caseContacts.caseId, id), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt)));
    if (!contact) throw new Forbidden("Only the incoming provider's contact can accept support responsibility.");
    const [existing] = await tx
      .select({ acceptedAt: supportResponsibility.acceptedAt })
      .from(supportResponsibility)
      .where(eq(supportResponsibility.caseId, id));
    if (existing?.acceptedAt) throw new Conflict("Support responsibility has already been accepted for this case.");
    const vault = (await loadVaultSummaries(tx, [id])).get(id);
    if (!keysSettled(keysStanding(vault))) {
      throw new Conflict("Confirm that you received the credentials first: support responsibility passes with the keys.");
    }
    const today = todayIn(kase.timeZone, now);
    if (acceptedFrom < today) throw new InvalidInput({ acceptedFrom: `The date must be today (${formatLongDate(today)}) or later.` });
    if (acceptedFrom > kase.portalAccessEndsOn) {
      throw new InvalidInput({ acceptedFrom: `The date must be on or before ${formatLongDate(kase.portalAccessEndsOn)}, when portal access ends.` });
    }
    // A reminder may have left a row without an acceptance: the acceptance fills it in.
    await tx
      .insert(supportResponsibility)
      .values({ caseId: id, acceptedFrom, acceptedAt: now, acceptedByContactId: contact.id, acceptedByLabel: actor.label, updatedAt: now })
      .onConflictDoUpdate({
        target: supportResponsibility.caseId,
        set: { acceptedFrom, acceptedAt: now, acceptedByContactId: contact.id, acceptedByLabel: actor.label, updatedAt: now },
      });
    await recordAudit(tx, {
      actor,
      caseId: id,
      event: { action: "support.responsibility_accepted", payload: { contactId: contact.id, acceptedFrom, plannedOn: kase.plannedOn } },
    });
    for (const recipient of await staffToNotify(tx, id)) {
      await enqueueEmail(tx, {
        to: recipient,
        template: "notification",
        caseId: id,
        props: {
          title: `${kase.provider} accepted support responsibility for ${kase.customer}`,
          recipientName: recipient.name,
          paragraphs: [`${personOf(actor.label)} of ${kase.provider} accepted support responsibility for ${kase.customer} (${kase.reference}) from ${formatLongDate(acceptedFrom)}.`],
          action: { label: "Open the case", url: `/app/cases/${id}` },
        },
      });
    }
    return { acceptedFrom };
  });
}

/**
 * Who hears about the case's support transfer: its responsible engineer, or, when that account is
 * deactivated, the active admins (a reminder to nobody would let the transfer slip unseen).
 */
async function staffToNotify(tx: Transaction, caseId: string) {
  const [engineer] = await tx
    .select({ name: staffUsers.name, email: staffUsers.email })
    .from(cases)
    .innerJoin(staffUsers, and(eq(staffUsers.id, cases.responsibleEngineerId), isNull(staffUsers.deactivatedAt)))
    .where(eq(cases.id, caseId));
  if (engineer) return [engineer];
  return tx
    .select({ name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.deactivatedAt)))
    .orderBy(staffUsers.email);
}

/**
 * Reminds staff when a case's planned transfer date has passed (in the case's time zone) without
 * an acceptance, at most once per interval per case (claimed with a conditional write, so two
 * instances never both send).
 */
export async function sendSupportOverdueReminders({ now = new Date(), intervalMs = SUPPORT_REMINDER_INTERVAL_MS } = {}) {
  const due = new Date(now.getTime() - intervalMs);
  const candidates = await db()
    .select({ caseId: cases.id, plannedOn: cases.supportTransferPlannedOn })
    .from(cases)
    .leftJoin(supportResponsibility, eq(supportResponsibility.caseId, cases.id))
    .where(
      and(
        eq(cases.status, "open"),
        sql`${cases.supportTransferPlannedOn} is not null`,
        sql`${cases.supportTransferPlannedOn} < (${now.toISOString()}::timestamptz at time zone ${cases.timeZone})::date`,
        isNull(supportResponsibility.acceptedAt),
        or(isNull(supportResponsibility.overdueReminderAt), lt(supportResponsibility.overdueReminderAt, due)),
      ),
    );
  let reminded = 0;
  for (const candidate of candidates) {
    reminded += await inTransaction(async (tx) => {
      const [kase] = await tx
        .select({ reference: cases.reference, status: cases.status, customer: cases.customerLegalName, provider: cases.incomingProviderName })
        .from(cases)
        .where(eq(cases.id, candidate.caseId))
        .for("update");
      // Closed since the candidates were read: its record takes no more rows.
      if (!kase || kase.status === "closed") return 0;
      await tx.insert(supportResponsibility).values({ caseId: candidate.caseId }).onConflictDoNothing();
      const claimed = await tx
        .update(supportResponsibility)
        .set({ overdueReminderAt: now, updatedAt: now })
        .where(
          and(
            eq(supportResponsibility.caseId, candidate.caseId),
            isNull(supportResponsibility.acceptedAt),
            or(isNull(supportResponsibility.overdueReminderAt), lt(supportResponsibility.overdueReminderAt, due)),
          ),
        )
        .returning({ caseId: supportResponsibility.caseId });
      if (claimed.length === 0) return 0;
      const recipients = await staffToNotify(tx, candidate.caseId);
      const planned = formatLongDate(candidate.plannedOn!);
      for (const recipient of recipients) {
        await enqueueEmail(tx, {
          to: recipient,
          template: "notification",
          caseId: candidate.caseId,
          props: {
            title: `Support transfer for ${kase.customer} is overdue`,
            recipientName: recipient.name,
            paragraphs: [
              `The support transfer for ${kase.customer} (${kase.reference}) was planned for ${planned}, and ${kase.provider} has not accepted support responsibility.`,
              "Until it does, the MSP remains responsible for the customer's support.",
            ],
            action: { label: "Open the case", url: `/app/cases/${candidate.caseId}` },
          },
        });
      }
      await recordAudit(tx, {
        actor: systemActor(),
        caseId: candidate.caseId,
        event: { action: "support.overdue_reminder_sent", payload: { plannedOn: candidate.plannedOn!, recipients: recipients.length } },
      });
      return 1;
    });
  }
  return { casesReminded: reminded };
}
