// Reminders of the backup transition, run by the scheduler (app/jobs):
// - the customer signer is reminded every HANDOVER_WAIVER_REMINDER_DAYS days while a backup waiver
//   is sent but not signed, declined or withdrawn;
// - the responsible engineer is warned once a day from HANDOVER_CUTOVER_WARNING_DAYS days before
//   cutover while a job has neither a verified new backup nor a signed waiver.
// Each reminder is remembered in backup_reminders, written in the transaction that queues its
// email; the table's unique key makes a rerun, a restart or a second instance send nothing twice.
import { and, eq, gte, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type pino from "pino";
import { db, type Transaction } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { backupJobs, backupReminders, caseContacts, cases, staffUsers, waivers } from "../../db/schema";
import { type Actor, recordAudit, systemActor } from "../audit/audit.server";
import { todayIn } from "../cases/dates";
import { formatDate } from "../cases/format";
import { config } from "../config.server";
import type { ScheduledJob } from "../jobs/scheduler.server";
import { enqueueEmail } from "../mail/outbox.server";
import { portalWaiverUrl } from "../waiver/paths";
import { describeJobTransition, loadTransitionFacts } from "./transition.server";

const DAY_MS = 86_400_000;
const reminderActor: Actor = systemActor("backup reminders");

/** Days from one calendar date to another (YYYY-MM-DD), e.g. 2026-03-01 → 2026-03-04 is 3. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * Records a reminder unless it was already sent; true when this call recorded it (and so must send
 * it). ON CONFLICT DO NOTHING makes a concurrent second attempt wait for the first and then skip.
 */
async function claimReminder(
  tx: Transaction,
  values: { kind: "waiver_signer" | "cutover_warning"; caseId: string; subjectId: string; recipientAddress: string; occasion: string },
) {
  const inserted = await tx
    .insert(backupReminders)
    .values({ ...values, recipientAddress: values.recipientAddress.toLowerCase() })
    .onConflictDoNothing()
    .returning({ id: backupReminders.id });
  return inserted.length > 0;
}

// ---------------------------------------------------------------------------------------------
// The customer signer, while the waiver waits for a signature

/**
 * Reminder number n is due n × interval after the waiver was sent. After downtime only the latest
 * due reminder goes out, not each one missed.
 */
export async function remindWaiverSigners({ now = new Date(), intervalDays = config().HANDOVER_WAIVER_REMINDER_DAYS } = {}) {
  const intervalMs = intervalDays * DAY_MS;
  const waiting = await db()
    .select({
      waiverId: waivers.id,
      caseId: cases.id,
      sentAt: waivers.sentAt,
      signerContactId: waivers.signerContactId,
      backupsStopAfter: waivers.backupsStopAfter,
      reference: cases.reference,
      customer: cases.customerLegalName,
    })
    .from(waivers)
    .innerJoin(cases, eq(cases.id, waivers.caseId))
    .where(and(eq(waivers.status, "sent"), isNotNull(waivers.sentAt), lte(waivers.sentAt, new Date(now.getTime() - intervalMs)), eq(cases.status, "open")));
  let sent = 0;
  for (const waiver of waiting) {
    const reminder = Math.floor((now.getTime() - waiver.sentAt!.getTime()) / intervalMs);
    // The signer the waiver was sent to; a waiver that names none goes to every customer signer.
    const signers = await db()
      .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
      .from(caseContacts)
      .where(
        and(
          eq(caseContacts.caseId, waiver.caseId),
          isNull(caseContacts.removedAt),
          waiver.signerContactId ? eq(caseContacts.id, waiver.signerContactId) : eq(caseContacts.role, "customer_signer"),
        ),
      );
    for (const signer of signers) {
      const done = await inTransaction(async (tx) => {
        // Signed, declined or withdrawn since the list was read: no reminder. FOR SHARE holds the
        // status until this reminder is committed.
        const [current] = await tx.select({ status: waivers.status }).from(waivers).where(eq(waivers.id, waiver.waiverId)).for("share");
        if (current?.status !== "sent") return false;
        const claimed = await claimReminder(tx, {
          kind: "waiver_signer",
          caseId: waiver.caseId,
          subjectId: waiver.waiverId,
          recipientAddress: signer.email,
          occasion: String(reminder),
        });
        if (!claimed) return false;
        await enqueueEmail(tx, {
          to: { name: signer.name, email: signer.email },
          template: "notification",
          caseId: waiver.caseId,
          props: {
            title: `Reminder: the backup waiver for ${waiver.customer} awaits your signature`,
            recipientName: signer.name,
            paragraphs: [
              `The backup waiver for ${waiver.customer} (${waiver.reference}) was sent to you on ${formatDate(waiver.sentAt!.toISOString().slice(0, 10))} and is not signed yet.`,
              `It lets the backup jobs it names stop after ${formatDate(waiver.backupsStopAfter)}. Until it is signed — or the incoming provider's own backups are verified — those jobs keep running.`,
              "Please read it in the handover portal and sign it, or decline it with a reason.",
            ],
            action: { label: "Review the waiver", url: portalWaiverUrl(waiver.caseId) },
          },
        });
        await recordAudit(tx, {
          actor: reminderActor,
          caseId: waiver.caseId,
          event: { action: "backup_reminder.signer_reminded", payload: { waiverId: waiver.waiverId, contactId: signer.id, reminder } },
        });
        return true;
      });
      if (done) sent++;
    }
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------
// The responsible engineer, as cutover nears

export async function warnBeforeCutover({ now = new Date(), windowDays = config().HANDOVER_CUTOVER_WARNING_DAYS } = {}) {
  // Generous UTC bounds; the exact window is decided per case in its own time zone below.
  const earliestCutover = new Date(now.getTime() - 2 * DAY_MS).toISOString().slice(0, 10);
  const latestCutover = new Date(now.getTime() + (windowDays + 2) * DAY_MS).toISOString().slice(0, 10);
  const candidates = await db()
    .select({
      caseId: cases.id,
      reference: cases.reference,
      customer: cases.customerLegalName,
      provider: cases.incomingProviderName,
      cutoverOn: cases.cutoverOn,
      timeZone: cases.timeZone,
      engineerId: staffUsers.id,
      engineerName: staffUsers.name,
      engineerEmail: staffUsers.email,
    })
    .from(cases)
    .innerJoin(staffUsers, and(eq(staffUsers.id, cases.responsibleEngineerId), isNull(staffUsers.deactivatedAt)))
    .where(and(eq(cases.status, "open"), gte(cases.cutoverOn, earliestCutover), lte(cases.cutoverOn, latestCutover)));
  const due = candidates
    .map((kase) => ({ ...kase, today: todayIn(kase.timeZone, now) }))
    .map((kase) => ({ ...kase, daysLeft: daysBetween(kase.today, kase.cutoverOn) }))
    .filter((kase) => kase.daysLeft >= 0 && kase.daysLeft <= windowDays);
  if (due.length === 0) return 0;
  const caseIds = due.map((kase) => kase.caseId);
  const [jobRows, facts] = await Promise.all([
    db()
      .select({ caseId: backupJobs.caseId, id: backupJobs.id, system: backupJobs.system, state: backupJobs.state })
      .from(backupJobs)
      .where(inArray(backupJobs.caseId, caseIds))
      .orderBy(backupJobs.system),
    loadTransitionFacts(db(), caseIds),
  ]);
  let sent = 0;
  for (const kase of due) {
    const uncovered = jobRows
      .filter((job) => job.caseId === kase.caseId)
      .map((job) => ({ job, transition: describeJobTransition(job, facts.get(kase.caseId)?.get(job.id), { provider: kase.provider }) }))
      .filter(({ transition }) => transition.status === "awaiting_report" || transition.status === "awaiting_review");
    if (uncovered.length === 0) continue;
    const done = await inTransaction(async (tx) => {
      const claimed = await claimReminder(tx, {
        kind: "cutover_warning",
        caseId: kase.caseId,
        subjectId: kase.caseId,
        recipientAddress: kase.engineerEmail,
        occasion: kase.today,
      });
      if (!claimed) return false;
      const when = kase.daysLeft === 0 ? "today" : kase.daysLeft === 1 ? "tomorrow" : `in ${kase.daysLeft} days`;
      const jobs = `${uncovered.length} backup job${uncovered.length === 1 ? "" : "s"}`;
      await enqueueEmail(tx, {
        to: { name: kase.engineerName, email: kase.engineerEmail },
        template: "notification",
        caseId: kase.caseId,
        props: {
          title: `Cutover ${when}: ${jobs} not yet covered (${kase.reference})`,
          recipientName: kase.engineerName,
          paragraphs: [
            `${kase.customer} moves to ${kase.provider} on ${formatDate(kase.cutoverOn)}. These backup jobs have neither a verified backup from ${kase.provider} nor a signed waiver:`,
            ...uncovered.map(({ job, transition }) => `• ${job.system} — ${transition.explanation}`),
            "They keep running and cannot be stopped until one of the two is in place. Please chase the provider's report or the customer's signature.",
          ],
          action: { label: "Open the case's backups", url: `/app/cases/${kase.caseId}/backups` },
        },
      });
      await recordAudit(tx, {
        actor: reminderActor,
        caseId: kase.caseId,
        event: {
          action: "backup_reminder.cutover_warning_sent",
          payload: { staffId: kase.engineerId, cutoverOn: kase.cutoverOn, daysLeft: kase.daysLeft, uncoveredJobIds: uncovered.map(({ job }) => job.id) },
        },
      });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

/** Both kinds in one run; what the scheduled job calls. */
export async function sendBackupReminders({ now = new Date(), log }: { now?: Date; log?: pino.Logger } = {}) {
  const signerReminders = await remindWaiverSigners({ now });
  const cutoverWarnings = await warnBeforeCutover({ now });
  if (signerReminders + cutoverWarnings > 0) log?.info({ signerReminders, cutoverWarnings }, "backup reminders queued");
  return { signerReminders, cutoverWarnings };
}

export const backupReminderJobs: ScheduledJob[] = [
  {
    name: "backups.reminders",
    // Hourly: a reminder goes out within the hour it is due; what was sent is in backup_reminders.
    everyMs: 60 * 60_000,
    run: async ({ log }) => {
      await sendBackupReminders({ log });
    },
  },
];

