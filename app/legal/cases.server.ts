// Finding cases for legal: by customer or reference, stage and a date range on one of the case's
// dates. Closed cases are included by default: legal's questions come years after a case ended.
import { and, desc, eq, gte, ilike, lte, or, type SQL, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { cases, staffUsers } from "../../db/schema";
import { evaluateChecklists } from "../cases/checklist.server";
import type { CaseStage } from "../cases/vocabulary";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { type CaseDateField, type LegalCaseSearch, legalCaseSearch } from "./schemas";

/** More than a page of results is a search to narrow, not a list to scroll. */
export const LEGAL_SEARCH_LIMIT = 200;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// Opened and closed are instants; legal asks in calendar days, taken in the case's own time zone.
const dayOf = (column: SQL) => sql`(${column} at time zone ${cases.timeZone})::date`;
const DATE_COLUMNS: Record<CaseDateField, SQL> = {
  opened: dayOf(sql`${cases.createdAt}`),
  notice: sql`${cases.noticeReceivedOn}`,
  cutover: sql`${cases.cutoverOn}`,
  closed: dayOf(sql`${cases.closedAt}`),
};

export interface LegalCaseRow {
  id: string;
  reference: string;
  customer: string;
  provider: string;
  stage: CaseStage;
  openedAt: Date;
  noticeReceivedOn: string;
  cutoverOn: string;
  closedAt: Date | null;
  timeZone: string;
}

export async function searchLegalCases(search: LegalCaseSearch = {}, { now = new Date() }: { now?: Date } = {}) {
  const { q, stage, dateField, from, to } = legalCaseSearch.parse(search);
  const conditions: SQL[] = [];
  if (q) conditions.push(or(ilike(cases.customerLegalName, likePattern(q)), ilike(cases.reference, likePattern(q)))!);
  const day = DATE_COLUMNS[dateField];
  if (from) conditions.push(gte(day, sql`${from}::date`));
  if (to) conditions.push(lte(day, sql`${to}::date`));
  // The stage is computed from each case's data, not stored; closed is the one stage the row says.
  if (stage === "closed") conditions.push(eq(cases.status, "closed"));
  else if (stage) conditions.push(eq(cases.status, "open"));
  const rows = await db()
    .select({
      id: cases.id,
      reference: cases.reference,
      customer: cases.customerLegalName,
      provider: cases.incomingProviderName,
      status: cases.status,
      openedAt: cases.createdAt,
      noticeReceivedOn: cases.noticeReceivedOn,
      cutoverOn: cases.cutoverOn,
      closedAt: cases.closedAt,
      timeZone: cases.timeZone,
    })
    .from(cases)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(cases.createdAt), cases.reference);
  // Without a stage to match, only the cases shown need their checklist evaluated.
  const candidates = stage ? rows : rows.slice(0, LEGAL_SEARCH_LIMIT);
  const checklists = await evaluateChecklists({ caseIds: candidates.map((row) => row.id), now });
  const found: LegalCaseRow[] = [];
  for (const { status, ...row } of candidates) {
    const rowStage: CaseStage = checklists.get(row.id)?.stage ?? (status === "closed" ? "closed" : "intake");
    if (stage && rowStage !== stage) continue;
    found.push({ ...row, stage: rowStage });
  }
  return { cases: found.slice(0, LEGAL_SEARCH_LIMIT), total: stage ? found.length : rows.length, limit: LEGAL_SEARCH_LIMIT };
}

/** The facts at the head of the legal case page. */
export async function getLegalCase({ caseId }: { caseId: string }) {
  const [row] = await db()
    .select({
      id: cases.id,
      reference: cases.reference,
      customer: cases.customerLegalName,
      provider: cases.incomingProviderName,
      status: cases.status,
      timeZone: cases.timeZone,
      openedAt: cases.createdAt,
      noticeReceivedOn: cases.noticeReceivedOn,
      cutoverOn: cases.cutoverOn,
      closedAt: cases.closedAt,
      closedBy: staffUsers.name,
    })
    .from(cases)
    .leftJoin(staffUsers, eq(staffUsers.id, cases.closedById))
    .where(eq(cases.id, assertId(caseId, "Case")));
  if (!row) throw new NotFound("Case not found");
  return row;
}
