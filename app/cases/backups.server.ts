// Backups the MSP runs for the customer (jobs) and the backups it still holds (historical sets).
// The backups story of Handover: never stop a job until the new provider has a verified backup
// or the customer has signed a release. That rule is checked in setBackupJobState, the one place a
// job's state changes, by the interlock in app/backups/interlock.server.ts.
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { backupJobs, backupSets } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { decideStop } from "../backups/interlock.server";
import { changeOpenCase } from "./access.server";
import { changesBetween } from "./changes";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import {
  type BackupJobDetailsInput,
  type BackupJobInput,
  type BackupSetInput,
  backupJobDetailsInput,
  backupJobInput,
  backupJobStateInput,
  backupSetInput,
} from "./schemas";
import type { BackupJobState } from "./vocabulary";
import { constraintMessages } from "../http/transaction.server";

// What the database rules of these tables mean for the person filling in the form.
constraintMessages({
  backup_jobs_system_given: { field: "system", message: "Enter the system being backed up" },
  backup_jobs_scope_given: { field: "scope", message: "Describe what the job covers" },
  backup_jobs_stopped_consistent: { field: "state", message: "A stopped job needs its stop time" },
  backup_sets_description_given: { field: "description", message: "Describe the backup set" },
  backup_sets_size_not_negative: { field: "sizeGb", message: "The size cannot be negative" },
  backup_sets_disposition_dated: { field: "dispositionOn", message: "A disposition needs its date" },
  backup_sets_hand_over_method: { field: "handOverMethod", message: "A hand-over (and only a hand-over) has a method" },
});

// ---------------------------------------------------------------------------------------------
// Backup jobs

const jobColumns = {
  id: backupJobs.id,
  system: backupJobs.system,
  scope: backupJobs.scope,
  schedule: backupJobs.schedule,
  retention: backupJobs.retention,
  state: backupJobs.state,
  stoppedAt: backupJobs.stoppedAt,
};

export async function addBackupJob({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: BackupJobInput;
}): Promise<{ id: string }> {
  const values = parseInput(backupJobInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [row] = await tx
      .insert(backupJobs)
      .values({ ...values, caseId: kase.id })
      .returning({ id: backupJobs.id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_job.added", payload: { jobId: row!.id, job: values } } });
    return { id: row!.id };
  });
}

/** Edits what a job is (system, scope, schedule, retention); not whether it runs. */
export async function updateBackupJob({
  actor,
  caseId,
  jobId,
  input,
}: {
  actor: Actor;
  caseId: string;
  jobId: string;
  input: BackupJobDetailsInput;
}): Promise<{ changed: string[] }> {
  const id = assertId(jobId, "Backup job");
  const values = parseInput(backupJobDetailsInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select({ system: backupJobs.system, scope: backupJobs.scope, schedule: backupJobs.schedule, retention: backupJobs.retention })
      .from(backupJobs)
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)))
      .for("update");
    if (!before) throw new NotFound("Backup job not found");
    const changes = changesBetween(before, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    await tx
      .update(backupJobs)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_job.updated", payload: { jobId: id, changes } } });
    return { changed: Object.keys(changes) };
  });
}

/**
 * The one place a backup job's state changes (run, pause, stop). Stopping goes through the backup
 * interlock (app/backups/interlock.server.ts): a verified new-provider backup of the job, or a
 * signed waiver releasing it, checked inside this transaction with the job row locked. A refused
 * stop changes nothing but is recorded in the audit trail: the transaction commits that record,
 * and the refusal is thrown after the commit.
 */
export async function setBackupJobState({
  actor,
  caseId,
  jobId,
  state,
}: {
  actor: Actor;
  caseId: string;
  jobId: string;
  state: BackupJobState;
}): Promise<{ changed: boolean }> {
  const id = assertId(jobId, "Backup job");
  const { state: to } = parseInput(backupJobStateInput, { state });
  const result = await changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [job] = await tx
      .select({ id: backupJobs.id, system: backupJobs.system, state: backupJobs.state })
      .from(backupJobs)
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)))
      .for("update");
    if (!job) throw new NotFound("Backup job not found");
    if (job.state === to) return { changed: false };
    if (to === "stopped") {
      const decision = await decideStop(tx, { actor, caseId: kase.id, job });
      if (!decision.allowed) return { refused: decision.error };
    }
    const now = new Date();
    await tx
      .update(backupJobs)
      .set({ state: to, stoppedAt: to === "stopped" ? now : null, updatedAt: now })
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "backup_job.state_changed", payload: { jobId: id, system: job.system, from: job.state, to } },
    });
    return { changed: true };
  });
  if ("refused" in result) throw result.refused;
  return result;
}

export async function removeBackupJob({ actor, caseId, jobId }: { actor: Actor; caseId: string; jobId: string }) {
  const id = assertId(jobId, "Backup job");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [removed] = await tx
      .delete(backupJobs)
      .where(and(eq(backupJobs.id, id), eq(backupJobs.caseId, kase.id)))
      .returning(jobColumns);
    if (!removed) throw new NotFound("Backup job not found");
    const { id: _id, ...job } = removed;
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_job.removed", payload: { jobId: id, job } } });
  });
}

export async function listBackupJobs({ caseId }: { caseId: string }) {
  return db()
    .select(jobColumns)
    .from(backupJobs)
    .where(eq(backupJobs.caseId, assertId(caseId, "Case")))
    .orderBy(backupJobs.system, backupJobs.createdAt);
}
export type BackupJobRow = Awaited<ReturnType<typeof listBackupJobs>>[number];

export async function getBackupJob({ caseId, jobId }: { caseId: string; jobId: string }) {
  const [row] = await db()
    .select(jobColumns)
    .from(backupJobs)
    .where(and(eq(backupJobs.id, assertId(jobId, "Backup job")), eq(backupJobs.caseId, assertId(caseId, "Case"))));
  if (!row) throw new NotFound("Backup job not found");
  return row;
}

export function backupJobFormValues(row: BackupJobRow): Record<keyof BackupJobDetailsInput, string> {
  return { system: row.system, scope: row.scope, schedule: row.schedule, retention: row.retention };
}

// ---------------------------------------------------------------------------------------------
// Historical backup sets

/** The columns of a historical set as pages and the waiver read it. */
export const backupSetColumns = {
  id: backupSets.id,
  description: backupSets.description,
  location: backupSets.location,
  sizeGb: backupSets.sizeGb,
  proposedDisposition: backupSets.proposedDisposition,
  dispositionOn: backupSets.dispositionOn,
  handOverMethod: backupSets.handOverMethod,
};

function setValues(input: BackupSetInput) {
  const v = parseInput(backupSetInput, input);
  return {
    description: v.description,
    location: v.location,
    sizeGb: v.sizeGb,
    proposedDisposition: v.proposedDisposition ?? null,
    dispositionOn: v.dispositionOn ?? null,
    handOverMethod: v.handOverMethod ?? null,
  };
}

export async function addBackupSet({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: BackupSetInput;
}): Promise<{ id: string }> {
  const values = setValues(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [row] = await tx
      .insert(backupSets)
      .values({ ...values, caseId: kase.id })
      .returning({ id: backupSets.id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_set.added", payload: { setId: row!.id, set: values } } });
    return { id: row!.id };
  });
}

export async function updateBackupSet({
  actor,
  caseId,
  setId,
  input,
}: {
  actor: Actor;
  caseId: string;
  setId: string;
  input: BackupSetInput;
}): Promise<{ changed: string[] }> {
  const id = assertId(setId, "Backup set");
  const values = setValues(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select(backupSetColumns)
      .from(backupSets)
      .where(and(eq(backupSets.id, id), eq(backupSets.caseId, kase.id)))
      .for("update");
    if (!before) throw new NotFound("Backup set not found");
    const changes = changesBetween(before, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    await tx
      .update(backupSets)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(backupSets.id, id), eq(backupSets.caseId, kase.id)));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_set.updated", payload: { setId: id, changes } } });
    return { changed: Object.keys(changes) };
  });
}

export async function removeBackupSet({ actor, caseId, setId }: { actor: Actor; caseId: string; setId: string }) {
  const id = assertId(setId, "Backup set");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [removed] = await tx
      .delete(backupSets)
      .where(and(eq(backupSets.id, id), eq(backupSets.caseId, kase.id)))
      .returning(backupSetColumns);
    if (!removed) throw new NotFound("Backup set not found");
    const { id: _id, ...set } = removed;
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "backup_set.removed", payload: { setId: id, set } } });
  });
}

export async function listBackupSets({ caseId }: { caseId: string }) {
  return db()
    .select(backupSetColumns)
    .from(backupSets)
    .where(eq(backupSets.caseId, assertId(caseId, "Case")))
    .orderBy(backupSets.description, backupSets.createdAt);
}
export type BackupSetRow = Awaited<ReturnType<typeof listBackupSets>>[number];

export async function getBackupSet({ caseId, setId }: { caseId: string; setId: string }) {
  const [row] = await db()
    .select(backupSetColumns)
    .from(backupSets)
    .where(and(eq(backupSets.id, assertId(setId, "Backup set")), eq(backupSets.caseId, assertId(caseId, "Case"))));
  if (!row) throw new NotFound("Backup set not found");
  return row;
}

export function backupSetFormValues(row: BackupSetRow): Record<keyof BackupSetInput, string> {
  return {
    description: row.description,
    location: row.location,
    sizeGb: String(row.sizeGb),
    proposedDisposition: row.proposedDisposition ?? "",
    dispositionOn: row.dispositionOn ?? "",
    handOverMethod: row.handOverMethod ?? "",
  };
}
