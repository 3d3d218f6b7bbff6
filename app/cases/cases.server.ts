// Offboarding cases: create, edit, close, read, list. Every write runs with its audit event in one
// transaction (see access.server.ts); reads select only the columns a page shows.
import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Transaction } from "../../db/client";
import { caseReferenceCounters, cases, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import {
  assertCanCloseCase,
  assertCanEditCases,
  assertResponsibleStaff,
  changeOpenCase,
  lockCase,
} from "./access.server";
import { inTransaction } from "../http/transaction.server";
import { caseFactColumns } from "./case-columns.server";
import { changesBetween } from "./changes";
import { evaluateChecklists } from "./checklist.server";
import { CaseClosedError } from "./errors.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { InvalidInput, Forbidden, NotFound } from "../http/refusals.server";
import { revokeCaseExternalAccess } from "./external-access.server";
import { type CaseInput, type CaseListFilter, caseInput, caseListFilter } from "./schemas";
import type { CaseStage } from "./vocabulary";
import { constraintMessages } from "../http/transaction.server";

// What the database rules of these tables mean for the person filling in the form.
constraintMessages({
  cases_reference_unique: { field: "form", message: "That case reference is taken; please submit again." },
  cases_customer_named: { field: "customerLegalName", message: "Enter the departing customer's legal name" },
  cases_provider_named: { field: "incomingProviderName", message: "Enter the incoming provider's company name" },
  cases_time_zone_given: { field: "timeZone", message: "Choose the case's time zone" },
  cases_cutover_after_notice: { field: "cutoverOn", message: "Cutover cannot be before notice was received" },
  cases_access_end_after_cutover: { field: "portalAccessEndsOn", message: "Portal access cannot end before cutover" },
  cases_support_transfer_after_notice: { field: "supportTransferPlannedOn", message: "The support transfer cannot be planned before notice was received" },
  cases_responsible_engineer_id_staff_users_id_fk: { field: "responsibleEngineerId", message: "Choose an active admin or engineer" },
});

const NOT_RESPONSIBLE = "Choose an active admin or engineer";

/**
 * The next human reference for a year, e.g. HO-2026-0042. The counter row's lock (taken by the
 * upsert) serialises concurrent creators, so two cases never share a number.
 */
async function nextCaseReference(tx: Transaction, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const [row] = await tx
    .insert(caseReferenceCounters)
    .values({ year, lastNumber: 1 })
    .onConflictDoUpdate({
      target: caseReferenceCounters.year,
      set: { lastNumber: sql`${caseReferenceCounters.lastNumber} + 1` },
    })
    .returning({ number: caseReferenceCounters.lastNumber });
  return `HO-${year}-${String(row!.number).padStart(4, "0")}`;
}

function caseColumns(values: ReturnType<typeof caseInput.parse>) {
  return {
    customerLegalName: values.customerLegalName,
    customerAddress: values.customerAddress ?? "",
    incomingProviderName: values.incomingProviderName,
    noticeReceivedOn: values.noticeReceivedOn,
    cutoverOn: values.cutoverOn,
    supportTransferPlannedOn: values.supportTransferPlannedOn ?? null,
    portalAccessEndsOn: values.portalAccessEndsOn,
    timeZone: values.timeZone,
    responsibleEngineerId: values.responsibleEngineerId.toLowerCase(),
  };
}

/** Opens a case. Returns its id and human reference. */
export async function createCase({
  actor,
  input,
  now = new Date(),
}: {
  actor: Actor;
  input: CaseInput;
  now?: Date;
}): Promise<{ id: string; reference: string }> {
  const values = caseColumns(parseInput(caseInput, input));
  return inTransaction(async (tx) => {
    await assertCanEditCases(tx, actor);
    if (!(await assertResponsibleStaff(tx, values.responsibleEngineerId))) {
      throw new InvalidInput({ responsibleEngineerId: NOT_RESPONSIBLE });
    }
    const reference = await nextCaseReference(tx, now);
    const [row] = await tx.insert(cases).values({ ...values, reference }).returning({ id: cases.id });
    const id = row!.id;
    await recordAudit(tx, {
      actor,
      caseId: id,
      event: { action: "case.created", payload: { reference, customerLegalName: values.customerLegalName, details: values } },
    });
    return { id, reference };
  });
}

/** Edits a case's facts. Records only what changed, as from → to. */
export async function updateCase({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: CaseInput;
}): Promise<{ changed: string[] }> {
  const values = caseColumns(parseInput(caseInput, input));
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select(caseFactColumns)
      .from(cases)
      .where(eq(cases.id, kase.id));
    const changes = changesBetween(before!, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    if (changes.responsibleEngineerId && !(await assertResponsibleStaff(tx, values.responsibleEngineerId))) {
      throw new InvalidInput({ responsibleEngineerId: NOT_RESPONSIBLE });
    }
    await tx
      .update(cases)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(cases.id, kase.id));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "case.updated", payload: { changes } } });
    return { changed: Object.keys(changes) };
  });
}

/**
 * Closes a case for good: from now on it is a read-only record and its contacts lose access.
 * Only an admin or the responsible engineer may close, and only as a named staff member.
 */
export async function closeCase({ actor, caseId }: { actor: Actor; caseId: string }): Promise<{ reference: string }> {
  return inTransaction(async (tx) => {
    const kase = await lockCase(tx, caseId);
    if (actor.type !== "staff" || !actor.id) throw new Forbidden("A case is closed by a named staff member.");
    await assertCanCloseCase(tx, actor, kase.responsibleEngineerId);
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    const closedAt = new Date();
    await tx
      .update(cases)
      .set({ status: "closed", closedAt, closedById: actor.id, updatedAt: closedAt })
      .where(and(eq(cases.id, kase.id), eq(cases.status, "open")));
    await revokeCaseExternalAccess(tx, { caseId: kase.id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "case.closed", payload: { reference: kase.reference } } });
    return { reference: kase.reference };
  });
}

const closedBy = alias(staffUsers, "closed_by");

/** One case's facts for its pages. Throws NotFound for an unknown or malformed id. */
export async function getCase({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const [row] = await db()
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      ...caseFactColumns,
      responsibleEngineerName: staffUsers.name,
      responsibleEngineerEmail: staffUsers.email,
      closedAt: cases.closedAt,
      closedByName: closedBy.name,
      createdAt: cases.createdAt,
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .leftJoin(closedBy, eq(closedBy.id, cases.closedById))
    .where(eq(cases.id, id));
  if (!row) throw new NotFound("Case not found");
  return row;
}
export type CaseDetails = Awaited<ReturnType<typeof getCase>>;

/** The form's starting values for editing a case (the same shape the schema accepts). */
export function caseFormValues(kase: CaseDetails): Record<keyof CaseInput, string> {
  return {
    customerLegalName: kase.customerLegalName,
    customerAddress: kase.customerAddress,
    incomingProviderName: kase.incomingProviderName,
    noticeReceivedOn: kase.noticeReceivedOn,
    cutoverOn: kase.cutoverOn,
    supportTransferPlannedOn: kase.supportTransferPlannedOn ?? "",
    portalAccessEndsOn: kase.portalAccessEndsOn,
    timeZone: kase.timeZone,
    responsibleEngineerId: kase.responsibleEngineerId,
  };
}

export interface CaseListRow {
  id: string;
  reference: string;
  customer: string;
  provider: string;
  status: "open" | "closed";
  cutoverOn: string;
  responsibleEngineerName: string;
  stage: CaseStage;
  progress: { done: number; applicable: number };
}

const LIST_LIMIT = 500;

// LIKE treats % and _ as wildcards: a search for "50%" means the text "50%".
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Cases for the list page: search by customer, reference or provider; open, closed or all.
 * Open cases come soonest cutover first; closed ones most recently closed first.
 */
export async function listCases(filter: CaseListFilter = {}, { now = new Date() }: { now?: Date } = {}): Promise<CaseListRow[]> {
  const { q, status } = caseListFilter.parse(filter);
  const conditions: SQL[] = [];
  if (status !== "all") conditions.push(eq(cases.status, status));
  if (q) {
    const pattern = likePattern(q);
    conditions.push(
      or(ilike(cases.customerLegalName, pattern), ilike(cases.reference, pattern), ilike(cases.incomingProviderName, pattern))!,
    );
  }
  const rows = await db()
    .select({
      id: cases.id,
      reference: cases.reference,
      customer: cases.customerLegalName,
      provider: cases.incomingProviderName,
      status: cases.status,
      cutoverOn: cases.cutoverOn,
      responsibleEngineerName: staffUsers.name,
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(
      sql`case when ${cases.status} = 'open' then 0 else 1 end`,
      sql`case when ${cases.status} = 'open' then ${cases.cutoverOn} end asc`,
      desc(cases.closedAt),
      cases.reference,
    )
    .limit(LIST_LIMIT);
  const checklists = await evaluateChecklists({ caseIds: rows.map((row) => row.id), now });
  return rows.map((row) => {
    const checklist = checklists.get(row.id);
    return {
      ...row,
      stage: checklist?.stage ?? (row.status === "closed" ? "closed" : "intake"),
      progress: checklist?.progress ?? { done: 0, applicable: 0 },
    };
  });
}
