// What both backup items read: each job's reports and waivers, and the case's newest waiver. One
// load function for both, so a checklist evaluation reads it once.
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { caseContacts, waivers } from "../../../db/schema";
import { type JobFacts, loadTransitionFacts } from "../../backups/transition.server";

export interface BackupFacts {
  /** Keyed by backup job id. */
  jobs: Map<string, JobFacts>;
  /** The newest waiver that was not withdrawn. */
  latestWaiver: {
    id: string;
    status: "draft" | "sent" | "signed" | "declined";
    signerName: string | null;
    sentAt: Date | null;
    signedAt: Date | null;
    declineReason: string | null;
  } | null;
}

export async function loadBackupFacts(executor: Executor, caseIds: string[]): Promise<Map<string, BackupFacts>> {
  const [transition, waiverRows] = await Promise.all([
    loadTransitionFacts(executor, caseIds),
    executor
      .selectDistinctOn([waivers.caseId], {
        caseId: waivers.caseId,
        id: waivers.id,
        status: waivers.status,
        signerName: caseContacts.name,
        sentAt: waivers.sentAt,
        signedAt: waivers.signedAt,
        declineReason: waivers.declineReason,
      })
      .from(waivers)
      .leftJoin(caseContacts, eq(caseContacts.id, waivers.signerContactId))
      .where(and(inArray(waivers.caseId, caseIds), ne(waivers.status, "withdrawn")))
      .orderBy(waivers.caseId, desc(waivers.createdAt)),
  ]);
  const facts = new Map<string, BackupFacts>();
  for (const caseId of caseIds) {
    // Withdrawn waivers are not read; the check narrows the status for the type.
    const latest = waiverRows.find((row) => row.caseId === caseId && row.status !== "withdrawn");
    facts.set(caseId, {
      jobs: transition.get(caseId) ?? new Map(),
      latestWaiver: latest && latest.status !== "withdrawn" ? { id: latest.id, status: latest.status, signerName: latest.signerName, sentAt: latest.sentAt, signedAt: latest.signedAt, declineReason: latest.declineReason } : null,
    });
  }
  return facts;
}
