// A case's audit events for legal: every event, filterable by type, party and dates, a page at a
// time (a case can hold thousands), each with its place in the chain (sequence number, previous
// hash and hash) and the payload exactly as stored. Payloads never hold secret values
// (decision 001), so showing them whole shows legal no secret.
import { and, asc, count, desc, eq, gt, inArray, lt, type SQL, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { auditEvents, caseContacts, cases } from "../../db/schema";
import { canonicalJson } from "../audit/audit.server";
import { describeEvent } from "../cases/timeline.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { type Party, TIMELINE_PAGE_SIZE, type TimelineFilter, timelineFilter } from "./schemas";

const CUSTOMER_ROLES = ["customer_signer", "customer_viewer"] as const;

/** A contact of this case with one of these roles acted (contacts are recorded by id). */
const contactOfRoles = (caseId: string, roles: readonly ("customer_signer" | "customer_viewer" | "provider")[]) =>
  sql`exists (select 1 from ${caseContacts} where ${caseContacts.id} = ${auditEvents.actorId} and ${caseContacts.caseId} = ${caseId} and ${inArray(caseContacts.role, [...roles])})`;

function partyCondition(caseId: string, party: Party): SQL {
  switch (party) {
    case "staff":
      return eq(auditEvents.actorType, "staff");
    case "system":
      return eq(auditEvents.actorType, "system");
    case "customer":
      return and(eq(auditEvents.actorType, "contact"), contactOfRoles(caseId, CUSTOMER_ROLES))!;
    case "provider":
      return and(eq(auditEvents.actorType, "contact"), contactOfRoles(caseId, ["provider"]))!;
  }
}

export interface LegalTimelineEvent {
  seq: number;
  occurredAt: Date;
  party: Party;
  actor: string;
  action: string;
  summary: string;
  details: string[];
  ip: string | null;
  userAgent: string | null;
  payload: string;
  prevHash: string;
  hash: string;
}

export async function listLegalTimeline({ caseId, filter = {} }: { caseId: string; filter?: TimelineFilter }) {
  const id = assertId(caseId, "Case");
  const { action, party, from, to, before, after } = timelineFilter.parse(filter);
  const [kase] = await db().select({ timeZone: cases.timeZone }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");

  const conditions: SQL[] = [eq(auditEvents.caseId, id)];
  if (action) conditions.push(eq(auditEvents.action, action));
  if (party) conditions.push(partyCondition(id, party));
  // Days are the case's calendar days: from its midnight to the midnight after `to`.
  if (from) conditions.push(sql`${auditEvents.occurredAt} >= (${from}::date)::timestamp at time zone ${kase.timeZone}`);
  if (to) conditions.push(sql`${auditEvents.occurredAt} < ((${to}::date + 1)::timestamp at time zone ${kase.timeZone})`);
  const filtered = and(...conditions)!;

  // Newest first; `after` walks back towards the newest page, so it reads ascending and flips.
  const page = before !== undefined ? and(filtered, lt(auditEvents.seq, before)) : after !== undefined ? and(filtered, gt(auditEvents.seq, after)) : filtered;
  const rows = await db()
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorLabel: auditEvents.actorLabel,
      contactRole: caseContacts.role,
      action: auditEvents.action,
      payload: auditEvents.payload,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      prevHash: auditEvents.prevHash,
      hash: auditEvents.hash,
    })
    .from(auditEvents)
    .leftJoin(caseContacts, and(eq(auditEvents.actorType, "contact"), eq(caseContacts.id, auditEvents.actorId), eq(caseContacts.caseId, id)))
    .where(page)
    .orderBy(after !== undefined && before === undefined ? asc(auditEvents.seq) : desc(auditEvents.seq))
    .limit(TIMELINE_PAGE_SIZE + 1);
  if (after !== undefined && before === undefined) rows.reverse();
  const more = rows.length > TIMELINE_PAGE_SIZE;
  // The extra row only says that there is more in the direction being read.
  const shown = after !== undefined && before === undefined ? rows.slice(more ? 1 : 0) : rows.slice(0, TIMELINE_PAGE_SIZE);

  const [{ total } = { total: 0 }] = await db().select({ total: count() }).from(auditEvents).where(filtered);
  const [bounds] = await db()
    .select({ newest: sql<number | null>`max(${auditEvents.seq})`.mapWith(Number), oldest: sql<number | null>`min(${auditEvents.seq})`.mapWith(Number) })
    .from(auditEvents)
    .where(filtered);
  const actions = await db().selectDistinct({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.caseId, id)).orderBy(auditEvents.action);

  const events: LegalTimelineEvent[] = shown.map((row) => {
    const { summary, details } = describeEvent(row.action, row.payload);
    return {
      seq: row.seq,
      occurredAt: row.occurredAt,
      party: row.actorType === "contact" ? (row.contactRole === "provider" ? "provider" : "customer") : row.actorType,
      actor: row.actorLabel,
      action: row.action,
      summary,
      details,
      ip: row.ip,
      userAgent: row.userAgent,
      payload: canonicalJson(row.payload),
      prevHash: row.prevHash,
      hash: row.hash,
    };
  });
  const first = events[0]?.seq;
  const last = events.at(-1)?.seq;
  return {
    timeZone: kase.timeZone,
    events,
    total,
    // Keyset cursors: older and newer pages exist when the shown page does not reach the ends.
    olderThan: last !== undefined && bounds?.oldest != null && last > bounds.oldest ? last : null,
    newerThan: first !== undefined && bounds?.newest != null && first < bounds.newest ? first : null,
    actions: actions.map(({ action: value }) => ({ value, label: describeEvent(value, {}).summary })),
    pageSize: TIMELINE_PAGE_SIZE,
  };
}
