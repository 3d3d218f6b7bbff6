// Support responsibility: "once the keys to the kingdom are passed, the new service provider is
// responsible". The incoming provider's contact accepts it, after confirming the keys received,
// from a date that is today or later in the case's time zone. Until that date the MSP is
// responsible; the case's planned transfer date is only the plan, and staff are reminded when it
// passes without an acceptance.
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "../../db/client";
import { caseVaults, cases, staffUsers, supportResponsibility } from "../../db/schema";
import { type Actor, recordAudit, systemActor } from "../audit/audit.server";
import { todayIn } from "../cases/dates";
import { CaseClosedError } from "../cases/errors.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { Conflict, InvalidInput, NotFound } from "../http/refusals.server";
import { constraintMessages, inTransaction } from "../http/transaction.server";
import { calendarDate } from "../http/values";
import { enqueueEmail } from "../mail/outbox.server";
import type { SupportParty } from "./vocabulary";

export const acceptSupportSchema = z.object({
  acceptedFrom: calendarDate("Enter the date from which you are responsible (YYYY-MM-DD)."),
});

constraintMessages({
  support_responsibility_not_backdated: { field: "acceptedFrom", message: "The date must be today or later." },
  support_responsibility_acceptance_consistent: { field: "form", message: "The acceptance is incomplete." },
});

/** Time between reminders to staff about an overdue transfer. */
export const SUPPORT_REMINDER_INTERVAL_MS = 3 * 24 * 60 * 60_000;

export interface SupportAcceptance {
  acceptedFrom: string;
  acceptedAt: Date;
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
      result.set(row.caseId, { acceptedFrom: row.acceptedFrom, acceptedAt: row.acceptedAt, acceptedBy: row.acceptedBy });
    }
  }
  return result;
}

export interface SupportStatus {
  /** Who is responsible for support today. */
  responsible: SupportParty;
  /** Since when the incoming provider is (or will be) responsible; null while only planned. */
  acceptedFrom: string | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  plannedOn: string | null;
  /** The planned date is past and nobody accepted. */
  overdue: boolean;
  /** A sentence for people: "… is responsible for support since …". */
  summary: string;
}

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
    return { ...base, responsible: "incoming_provider", overdue: false, summary: `${providerName} is responsible for support since ${acceptance.acceptedFrom} (accepted by ${acceptance.acceptedBy}).` };
  }
  if (acceptance) {
    return { ...base, responsible: "msp", overdue: false, summary: `${mspName} is responsible for support until ${providerName} takes over on ${acceptance.acceptedFrom} (accepted by ${acceptance.acceptedBy}).` };
  }
  const overdue = plannedOn !== null && plannedOn < today;
  const plan = plannedOn ? ` The transfer is planned for ${plannedOn}${overdue ? ", which has passed without an acceptance" : ""}.` : "";
  return { ...base, responsible: "msp", overdue, summary: `${mspName} is responsible for support: ${providerName} has not accepted support responsibility yet.${plan}` };
}

/** The case's support status today, for pages and the packet. */
export async function getSupportStatus({ caseId, mspName, now = new Date() }: { caseId: string; mspName: string; now?: Date }) {
  const id = assertId(caseId, "Case");
  const [kase] = await db()
    .select({ plannedOn: cases.supportTransferPlannedOn, provider: cases.incomingProviderName, timeZone: cases.timeZone })
    .from(cases)
    .where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const acceptance = (await loadSupportAcceptances(db(), [id])).get(id);
  return supportStatus({ acceptance, plannedOn: kase.plannedOn, providerName: kase.provider, mspName, today: todayIn(kase.timeZone, now) });
}

/**
 * The incoming provider's contact accepts support responsibility from `acceptedFrom`. Needs the
 * keys received first (the provider cannot support what it cannot reach); accepted once.
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
      .select({ reference: cases.reference, status: cases.status, timeZone: cases.timeZone, plannedOn: cases.supportTransferPlannedOn, customer: cases.customerLegalName, provider: cases.incomingProviderName, engineerName: staffUsers.name, engineerEmail: staffUsers.email })
      .from(cases)
      .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
      .where(eq(cases.id, id))
      .for("update", { of: cases });
    if (!kase) throw new NotFound("Case not found");
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    const today = todayIn(kase.timeZone, now);
    if (acceptedFrom < today) throw new InvalidInput({ acceptedFrom: `The date must be today (${today}) or later.` });
    const [vault] = await tx.select({ keysReceivedAt: caseVaults.keysReceivedAt }).from(caseVaults).where(eq(caseVaults.caseId, id));
    if (!vault?.keysReceivedAt) {
      throw new Conflict("Confirm that you received the credentials first: support responsibility passes with the keys.");
    }
    const [existing] = await tx
      .select({ acceptedAt: supportResponsibility.acceptedAt })
      .from(supportResponsibility)
      .where(eq(supportResponsibility.caseId, id));
    if (existing?.acceptedAt) throw new Conflict("Support responsibility has already been accepted for this case.");
    await tx
      .insert(supportResponsibility)
      .values({ caseId: id, acceptedFrom, acceptedAt: now, acceptedByContactId: contactId, acceptedByLabel: actor.label, updatedAt: now })
      .onConflictDoUpdate({
        target: supportResponsibility.caseId,
        set: { acceptedFrom, acceptedAt: now, acceptedByContactId: contactId, acceptedByLabel: actor.label, updatedAt: now },
      });
    await recordAudit(tx, {
      actor,
      caseId: id,
      event: { action: "support.responsibility_accepted", payload: { contactId, acceptedFrom, plannedOn: kase.plannedOn } },
    });
    await enqueueEmail(tx, {
      to: { name: kase.engineerName, email: kase.engineerEmail },
      template: "notification",
      caseId: id,
      props: {
        title: `${kase.provider} accepted support responsibility for ${kase.customer}`,
        recipientName: kase.engineerName,
        paragraphs: [`${actor.label.replace(/\s*<[^>]*>$/, "")} of ${kase.provider} accepted support responsibility for ${kase.customer} (${kase.reference}) from ${acceptedFrom}.`],
        action: { label: "Open the case", url: `/app/cases/${id}` },
      },
    });
    return { acceptedFrom };
  });
}

/**
 * Reminds the responsible engineer when a case's planned transfer date has passed without an
 * acceptance, at most once per interval per case (claimed with a conditional write, so two
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
      const [kase] = await tx
        .select({ reference: cases.reference, customer: cases.customerLegalName, provider: cases.incomingProviderName, engineerName: staffUsers.name, engineerEmail: staffUsers.email })
        .from(cases)
        .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
        .where(eq(cases.id, candidate.caseId));
      if (!kase) return 0;
      await enqueueEmail(tx, {
        to: { name: kase.engineerName, email: kase.engineerEmail },
        template: "notification",
        caseId: candidate.caseId,
        props: {
          title: `Support transfer for ${kase.customer} is overdue`,
          recipientName: kase.engineerName,
          paragraphs: [
            `The support transfer for ${kase.customer} (${kase.reference}) was planned for ${candidate.plannedOn}, and ${kase.provider} has not accepted support responsibility.`,
            "Until it does, the MSP remains responsible for the customer's support.",
          ],
          action: { label: "Open the case", url: `/app/cases/${candidate.caseId}` },
        },
      });
      await recordAudit(tx, {
        actor: systemActor(),
        caseId: candidate.caseId,
        event: { action: "support.overdue_reminder_sent", payload: { plannedOn: candidate.plannedOn!, recipients: 1 } },
      });
      return 1;
    });
  }
  return { casesReminded: reminded };
}
