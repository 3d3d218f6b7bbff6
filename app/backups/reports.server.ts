// The incoming provider's reports of its first successful backup per job, with evidence, and their
// review. A verified report is what lets the MSP stop the job (see interlock.server.ts). Reports
// are evidence: the database keeps them unchanged once reviewed and never deletes them.
import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { db, type Transaction } from "../../db/client";
import { backupJobs, backupReports, caseContacts, cases, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertCanEditCases, lockCase, type LockedCase } from "../cases/access.server";
import { inTransaction } from "../http/transaction.server";
import type { ContactRole } from "../cases/vocabulary";
import { CaseClosedError } from "../cases/errors.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { InvalidInput, Forbidden, NotFound } from "../http/refusals.server";
import { enqueueEmail } from "../mail/outbox.server";
import { acceptEvidence } from "./evidence.server";
import { type BackupReportInput, backupReportInput } from "./schemas";
import { zonedLocalToInstant } from "./zoned-time";


/** Who acts, as far as reports are concerned. */
type Party =
  | { kind: "system" }
  | { kind: "staff"; staffId: string }
  | { kind: "contact"; contactId: string; role: ContactRole };

/**
 * Resolves the actor inside the transaction: staff must be an active admin or engineer; a contact
 * must be an active contact of this very case (another case's contact is told "not found") in one
 * of the given roles. System actors (demo seed, operator CLI) are trusted.
 */
async function partyOf(tx: Transaction, actor: Actor, caseId: string, contactRoles: readonly ContactRole[]): Promise<Party> {
  if (actor.type === "system") return { kind: "system" };
  if (actor.type === "staff") {
    await assertCanEditCases(tx, actor);
    return { kind: "staff", staffId: actor.id! };
  }
  const [contact] = await tx
    .select({ id: caseContacts.id, role: caseContacts.role })
    .from(caseContacts)
    .where(and(eq(caseContacts.id, assertId(actor.id ?? undefined, "Contact")), eq(caseContacts.caseId, caseId), isNull(caseContacts.removedAt)));
  if (!contact) throw new NotFound("Case not found");
  if (!contactRoles.includes(contact.role)) throw new Forbidden("This is for another party of the case.");
  return { kind: "contact", contactId: contact.id, role: contact.role };
}

/** The frame of every report change: case lock, open case, the actor's right to act, one transaction. */
function changeReports<T>(
  { actor, caseId, contactRoles, staffAllowed }: { actor: Actor; caseId: string; contactRoles: readonly ContactRole[]; staffAllowed: boolean },
  work: (tx: Transaction, kase: LockedCase, party: Party) => Promise<T>,
): Promise<T> {
  return inTransaction(async (tx) => {
    const kase = await lockCase(tx, caseId);
    const party = await partyOf(tx, actor, kase.id, contactRoles);
    if (party.kind === "staff" && !staffAllowed) throw new Forbidden("Backup reports come from the incoming provider.");
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    return work(tx, kase, party);
  });
}

async function caseFacts(tx: Transaction, caseId: string) {
  const [row] = await tx
    .select({
      reference: cases.reference,
      customer: cases.customerLegalName,
      provider: cases.incomingProviderName,
      timeZone: cases.timeZone,
      engineerId: staffUsers.id,
      engineerName: staffUsers.name,
      engineerEmail: staffUsers.email,
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(eq(cases.id, caseId));
  if (!row) throw new NotFound("Case not found");
  return row;
}

async function activeContacts(tx: Transaction, caseId: string, role: ContactRole) {
  return tx
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, role), isNull(caseContacts.removedAt)));
}

const staffJobPath = (caseId: string, jobId: string) => `/app/cases/${caseId}/backups/jobs/${jobId}/transition`;
const portalJobPath = (caseId: string, jobId: string) => `/portal/${caseId}/backups/${jobId}`;

// A backup a provider reports cannot have finished in the future; a few minutes allow for clocks.
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The incoming provider reports its first successful backup of a job, with an evidence file. The
 * file is checked by its bytes and size; the completion time is read in the case's time zone. The
 * responsible engineer is asked to verify it.
 */
export async function submitBackupReport({
  actor,
  caseId,
  jobId,
  input,
  file,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  jobId: string;
  input: BackupReportInput;
  file: { name?: string; bytes: Uint8Array } | null;
  now?: Date;
}): Promise<{ id: string }> {
  const id = assertId(jobId, "Backup job");
  const values = parseInput(backupReportInput, input);
  const accepted = acceptEvidence(file ?? { bytes: new Uint8Array() });
  if (!accepted.ok) throw new InvalidInput({ evidence: accepted.message });
  const { evidence } = accepted;
  return changeReports({ actor, caseId, contactRoles: ["provider"], staffAllowed: false }, async (tx, kase, party) => {
    const facts = await caseFacts(tx, kase.id);
    const completedAt = zonedLocalToInstant(values.completedAt, facts.timeZone);
    if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new InvalidInput({ completedAt: "This time is in the future. Report a backup that has completed." });
    }
    const [job] = await tx
      .select({ id: backupJobs.id, system: backupJobs.system, scope: backupJobs.scope, state: backupJobs.state })
      .from(backupJobs)
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)))
      .for("update");
    if (!job) throw new NotFound("Backup job not found");
    if (job.state === "stopped") throw new InvalidInput({ form: "This backup job has already been stopped." });
    const [live] = await tx
      .select({ status: backupReports.status })
      .from(backupReports)
      .where(and(eq(backupReports.backupJobId, job.id), eq(backupReports.caseId, kase.id), ne(backupReports.status, "rejected")))
      .limit(1);
    if (live) {
      throw new InvalidInput({
        form: live.status === "verified" ? "A backup of this job has already been verified." : "A report for this job is already waiting for verification.",
      });
    }
    const [row] = await tx
      .insert(backupReports)
      .values({
        caseId: kase.id,
        backupJobId: job.id,
        completedAt,
        providerSystem: values.providerSystem,
        jobReference: values.jobReference,
        notes: values.notes ?? "",
        evidenceFilename: evidence.filename,
        evidenceContentType: evidence.contentType,
        evidenceSize: evidence.size,
        evidenceSha256: evidence.sha256,
        evidence: evidence.bytes,
        reportedByContactId: party.kind === "contact" ? party.contactId : null,
        reportedByLabel: actor.label,
        reportedAt: now,
      })
      .returning({ id: backupReports.id });
    const reportId = row!.id;
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "backup_report.submitted",
        payload: {
          reportId,
          jobId: job.id,
          system: job.system,
          completedAt: completedAt.toISOString(),
          providerSystem: values.providerSystem,
          jobReference: values.jobReference,
          evidence: { filename: evidence.filename, contentType: evidence.contentType, size: evidence.size, sha256: evidence.sha256 },
        },
      },
    });
    await enqueueEmail(tx, {
      to: { name: facts.engineerName, email: facts.engineerEmail },
      template: "notification",
      caseId: kase.id,
      props: {
        title: `Backup report to verify: ${job.system} (${facts.reference})`,
        recipientName: facts.engineerName,
        paragraphs: [
          `${actor.label.replace(/\s*<[^>]*>$/, "")} of ${facts.provider} reported the first successful backup of “${job.system}” for ${facts.customer}.`,
          "Please check the evidence and verify or reject the report. The job keeps running until a report is verified or the customer signs the backup waiver.",
        ],
        action: { label: "Review the report", url: staffJobPath(kase.id, job.id) },
      },
    });
    return { id: reportId };
  });
}

/** A report waiting for review, locked for this transaction; anything else is refused. */
async function lockSubmittedReport(tx: Transaction, { caseId, reportId }: { caseId: string; reportId: string }) {
  const [report] = await tx
    .select({
      id: backupReports.id,
      status: backupReports.status,
      evidenceSha256: backupReports.evidenceSha256,
      jobId: backupJobs.id,
      system: backupJobs.system,
    })
    .from(backupReports)
    .innerJoin(backupJobs, and(eq(backupJobs.id, backupReports.backupJobId), eq(backupJobs.caseId, backupReports.caseId)))
    .where(and(eq(backupReports.id, assertId(reportId, "Backup report")), eq(backupReports.caseId, caseId)))
    .for("update", { of: backupReports });
  if (!report) throw new NotFound("Backup report not found");
  if (report.status !== "submitted") {
    throw new InvalidInput({ form: `This report has already been ${report.status}.` });
  }
  return report;
}

function reviewerColumns(party: Party, actor: Actor, now: Date) {
  return {
    reviewedAt: now,
    reviewedByStaffId: party.kind === "staff" ? party.staffId : null,
    reviewedByContactId: party.kind === "contact" ? party.contactId : null,
    reviewedByLabel: actor.label,
  };
}

const REVIEWERS = { contactRoles: ["customer_signer"] as const, staffAllowed: true };

/**
 * Staff (admin or engineer) or the customer signer confirm that the evidence shows a successful
 * backup of the job. From then on the MSP may stop the job. (The route asks the signer for a fresh
 * emailed code first.)
 */
export async function verifyBackupReport({ actor, caseId, reportId, now = new Date() }: { actor: Actor; caseId: string; reportId: string; now?: Date }) {
  return changeReports({ actor, caseId, ...REVIEWERS }, async (tx, kase, party) => {
    const report = await lockSubmittedReport(tx, { caseId: kase.id, reportId });
    await tx.update(backupReports).set({ status: "verified", ...reviewerColumns(party, actor, now) }).where(eq(backupReports.id, report.id));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "backup_report.verified", payload: { reportId: report.id, jobId: report.jobId, system: report.system, evidenceSha256: report.evidenceSha256 } },
    });
    const facts = await caseFacts(tx, kase.id);
    const who = actor.label.replace(/\s*<[^>]*>$/, "");
    for (const contact of await activeContacts(tx, kase.id, "provider")) {
      await enqueueEmail(tx, {
        to: { name: contact.name, email: contact.email },
        template: "notification",
        caseId: kase.id,
        props: {
          title: `Backup verified: ${report.system} (${facts.reference})`,
          recipientName: contact.name,
          paragraphs: [`${who} verified your first successful backup of “${report.system}” for ${facts.customer}. Thank you.`],
          action: { label: "See the backup transition", url: portalJobPath(kase.id, report.jobId) },
        },
      });
    }
    if (!(party.kind === "staff" && party.staffId === facts.engineerId)) {
      await enqueueEmail(tx, {
        to: { name: facts.engineerName, email: facts.engineerEmail },
        template: "notification",
        caseId: kase.id,
        props: {
          title: `Backup verified: ${report.system} (${facts.reference})`,
          recipientName: facts.engineerName,
          paragraphs: [`${who} verified ${facts.provider}'s first successful backup of “${report.system}”. The job may now be stopped.`],
          action: { label: "Open the job", url: staffJobPath(kase.id, report.jobId) },
        },
      });
    }
    return { jobId: report.jobId };
  });
}

/** The report does not show what it should; the provider is told why and may report again. */
export async function rejectBackupReport({
  actor,
  caseId,
  reportId,
  reason,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  reportId: string;
  reason: string;
  now?: Date;
}) {
  const text = reason.trim();
  if (!text) throw new InvalidInput({ reason: "Say what is missing or wrong, so the provider can report again" });
  if (text.length > 1000) throw new InvalidInput({ reason: "Keep this under 1000 characters" });
  return changeReports({ actor, caseId, ...REVIEWERS }, async (tx, kase, party) => {
    const report = await lockSubmittedReport(tx, { caseId: kase.id, reportId });
    await tx
      .update(backupReports)
      .set({ status: "rejected", rejectionReason: text, ...reviewerColumns(party, actor, now) })
      .where(eq(backupReports.id, report.id));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "backup_report.rejected", payload: { reportId: report.id, jobId: report.jobId, system: report.system, reason: text } },
    });
    const facts = await caseFacts(tx, kase.id);
    for (const contact of await activeContacts(tx, kase.id, "provider")) {
      await enqueueEmail(tx, {
        to: { name: contact.name, email: contact.email },
        template: "notification",
        caseId: kase.id,
        props: {
          title: `Backup report not accepted: ${report.system} (${facts.reference})`,
          recipientName: contact.name,
          paragraphs: [
            `Your report of the first backup of “${report.system}” for ${facts.customer} was not accepted. The reason given:`,
            text,
            "Please report the backup again with evidence that shows it.",
          ],
          action: { label: "Report again", url: portalJobPath(kase.id, report.jobId) },
        },
      });
    }
    return { jobId: report.jobId };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A job's reports, newest first, without their evidence bytes. */
export async function listJobReports({ caseId, jobId }: { caseId: string; jobId: string }) {
  const rows = await db()
    .select({
      id: backupReports.id,
      status: backupReports.status,
      completedAt: backupReports.completedAt,
      providerSystem: backupReports.providerSystem,
      jobReference: backupReports.jobReference,
      notes: backupReports.notes,
      evidenceFilename: backupReports.evidenceFilename,
      evidenceContentType: backupReports.evidenceContentType,
      evidenceSize: backupReports.evidenceSize,
      evidenceSha256: backupReports.evidenceSha256,
      reportedByLabel: backupReports.reportedByLabel,
      reportedAt: backupReports.reportedAt,
      reviewedAt: backupReports.reviewedAt,
      reviewedByLabel: backupReports.reviewedByLabel,
      rejectionReason: backupReports.rejectionReason,
    })
    .from(backupReports)
    .where(and(eq(backupReports.caseId, assertId(caseId, "Case")), eq(backupReports.backupJobId, assertId(jobId, "Backup job"))))
    .orderBy(desc(backupReports.reportedAt));
  return rows.map((row) => ({
    ...row,
    completedAt: row.completedAt.toISOString(),
    reportedAt: row.reportedAt.toISOString(),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
  }));
}
export type BackupReportRow = Awaited<ReturnType<typeof listJobReports>>[number];

/** A report's evidence file, for a download by someone already allowed to see the case; each download is recorded. */
export async function downloadReportEvidence({ actor, caseId, reportId }: { actor: Actor; caseId: string; reportId: string }) {
  const kase = assertId(caseId, "Case");
  const id = assertId(reportId, "Backup report");
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select({
        jobId: backupReports.backupJobId,
        filename: backupReports.evidenceFilename,
        contentType: backupReports.evidenceContentType,
        size: backupReports.evidenceSize,
        sha256: backupReports.evidenceSha256,
        bytes: backupReports.evidence,
      })
      .from(backupReports)
      .where(and(eq(backupReports.id, id), eq(backupReports.caseId, kase)));
    if (!row) throw new NotFound("Backup report not found");
    // Who looked at which evidence (by its SHA-256) is part of the record of the stop decision.
    await recordAudit(tx, {
      actor,
      caseId: kase,
      event: {
        action: "backup_report.evidence_downloaded",
        payload: { reportId: id, jobId: row.jobId, filename: row.filename, sha256: row.sha256, bytes: row.size },
      },
    });
    const { jobId: _jobId, ...evidence } = row;
    return evidence;
  });
}
