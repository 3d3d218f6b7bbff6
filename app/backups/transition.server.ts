// Where each backup job of a case stands in the transition: what it waits for, or why it may stop.
// Computed from the data every time (reports, waivers, the job's state), never stored, so the
// overview, the checklist, the portal and the reminders cannot disagree.
import { and, desc, eq, inArray } from "drizzle-orm";
import { db, type Executor } from "../../db/client";
import { backupJobs, backupReports, cases, waiverBackupJobs, waivers } from "../../db/schema";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { formatDate } from "../cases/format";
import type { BackupJobState, NextStepOwner } from "../cases/vocabulary";
import type { ReportStatus, TransitionStatus } from "./vocabulary";

/** What the database knows about one job's transition. */
export interface JobFacts {
  /** Newest first. */
  reports: { id: string; status: ReportStatus; reportedAt: Date; reviewedAt: Date | null; reviewedByLabel: string | null; rejectionReason: string | null }[];
  /** Waivers naming the job that are sent (awaiting signature) or signed. */
  waivers: { id: string; status: "sent" | "signed"; signedAt: Date | null }[];
}

/**
 * The transition facts of many cases in two queries, keyed by case and then by job. Only the
 * columns needed: a report's evidence bytes are never read here.
 */
export async function loadTransitionFacts(executor: Executor, caseIds: string[]): Promise<Map<string, Map<string, JobFacts>>> {
  const byCase = new Map<string, Map<string, JobFacts>>();
  if (caseIds.length === 0) return byCase;
  const [reportRows, waiverRows] = await Promise.all([
    executor
      .select({
        caseId: backupReports.caseId,
        jobId: backupReports.backupJobId,
        id: backupReports.id,
        status: backupReports.status,
        reportedAt: backupReports.reportedAt,
        reviewedAt: backupReports.reviewedAt,
        reviewedByLabel: backupReports.reviewedByLabel,
        rejectionReason: backupReports.rejectionReason,
      })
      .from(backupReports)
      .where(inArray(backupReports.caseId, caseIds))
      .orderBy(desc(backupReports.reportedAt)),
    executor
      .select({ caseId: waivers.caseId, jobId: waiverBackupJobs.backupJobId, id: waivers.id, status: waivers.status, signedAt: waivers.signedAt })
      .from(waiverBackupJobs)
      .innerJoin(waivers, eq(waivers.id, waiverBackupJobs.waiverId))
      .where(and(inArray(waivers.caseId, caseIds), inArray(waivers.status, ["sent", "signed"]))),
  ]);
  const factsOf = (caseId: string, jobId: string) => {
    let jobs = byCase.get(caseId);
    if (!jobs) byCase.set(caseId, (jobs = new Map()));
    let facts = jobs.get(jobId);
    if (!facts) jobs.set(jobId, (facts = { reports: [], waivers: [] }));
    return facts;
  };
  for (const { caseId, jobId, ...report } of reportRows) factsOf(caseId, jobId).reports.push(report);
  for (const { caseId, jobId, status, ...waiver } of waiverRows) {
    factsOf(caseId, jobId).waivers.push({ ...waiver, status: status === "signed" ? "signed" : "sent" });
  }
  return byCase;
}

export interface JobTransition {
  status: TransitionStatus;
  /** Who has to act next; null once the job may be stopped (or is). */
  waitingFor: NextStepOwner | null;
  /** One line for people: what the job waits for, or why it may be stopped. */
  explanation: string;
}

const EMPTY: JobFacts = { reports: [], waivers: [] };
const onDay = (moment: Date) => formatDate(moment.toISOString().slice(0, 10));

/** Pure: a job's transition from its state and facts. */
export function describeJobTransition(
  job: { state: BackupJobState },
  facts: JobFacts = EMPTY,
  { provider }: { provider: string },
): JobTransition {
  const verified = facts.reports.find((report) => report.status === "verified");
  const signed = facts.waivers.find((waiver) => waiver.status === "signed");
  if (job.state === "stopped") {
    const basis = verified ? "after the new provider's backup was verified" : signed ? "under the signed waiver" : "";
    return { status: "stopped", waitingFor: null, explanation: `Stopped${basis ? ` ${basis}` : ""}.` };
  }
  if (verified) {
    return {
      status: "verified",
      waitingFor: null,
      explanation: `${provider}'s backup was verified on ${onDay(verified.reviewedAt!)} by ${verified.reviewedByLabel}: this job may be stopped.`,
    };
  }
  if (signed) {
    return {
      status: "released",
      waitingFor: null,
      explanation: `Released by the waiver signed on ${onDay(signed.signedAt!)}: this job may be stopped.`,
    };
  }
  if (facts.reports.some((report) => report.status === "submitted")) {
    return {
      status: "awaiting_review",
      waitingFor: "msp",
      explanation: `${provider} reported its first backup; it waits for verification by MSP staff or the customer signer.`,
    };
  }
  const waiverSent = facts.waivers.some((waiver) => waiver.status === "sent");
  const rejected = facts.reports.find((report) => report.status === "rejected");
  return {
    status: "awaiting_report",
    waitingFor: waiverSent ? "customer" : "incoming_provider",
    explanation:
      `Waiting for ${provider} to report its first successful backup` +
      (waiverSent ? ", or for the customer to sign the backup waiver" : "") +
      (rejected ? ` (the last report was rejected: ${rejected.rejectionReason})` : "") +
      ".",
  };
}

const jobColumns = {
  id: backupJobs.id,
  system: backupJobs.system,
  scope: backupJobs.scope,
  schedule: backupJobs.schedule,
  state: backupJobs.state,
  stoppedAt: backupJobs.stoppedAt,
};

/** Every job of a case with its transition, for the staff backups tab and the portal. */
export async function listJobTransitions({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const [kase] = await db().select({ provider: cases.incomingProviderName }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const [jobs, facts] = await Promise.all([
    db().select(jobColumns).from(backupJobs).where(eq(backupJobs.caseId, id)).orderBy(backupJobs.system, backupJobs.createdAt),
    loadTransitionFacts(db(), [id]),
  ]);
  const perJob = facts.get(id) ?? new Map<string, JobFacts>();
  return jobs.map((job) => ({
    id: job.id,
    system: job.system,
    scope: job.scope,
    schedule: job.schedule,
    state: job.state,
    stoppedAt: job.stoppedAt?.toISOString() ?? null,
    transition: describeJobTransition(job, perJob.get(job.id), kase),
  }));
}
export type JobTransitionRow = Awaited<ReturnType<typeof listJobTransitions>>[number];

/** One job of a case with its transition; a job of another case is not found. */
export async function getJobTransition({ caseId, jobId }: { caseId: string; jobId: string }) {
  const jobs = await listJobTransitions({ caseId });
  const job = jobs.find((row) => row.id === assertId(jobId, "Backup job"));
  if (!job) throw new NotFound("Backup job not found");
  return job;
}
