// The MSP's own ways into the customer's systems (agents, accounts, partner relationships, keys),
// each marked removed by staff — when, by whom, how — and confirmed or disputed by the incoming
// provider or the customer. The checklist waits until every one is removed and confirmed.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "../../db/client";
import { caseContacts, cases, mspAccessPoints } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase, lockCase } from "../cases/access.server";
import { todayIn } from "../cases/dates";
import { CaseClosedError } from "../cases/errors.server";
import { formatLongDate } from "../cases/format";
import type { ContactRole } from "../cases/vocabulary";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { Conflict, Forbidden, InvalidInput, NotFound } from "../http/refusals.server";
import { constraintMessages, inTransaction } from "../http/transaction.server";
import { mspAccessKinds } from "./vocabulary";

export const addAccessPointSchema = z.object({
  kind: z.enum(mspAccessKinds, { error: "Choose what kind of access this is." }),
  name: z.string({ error: "Name the access point." }).trim().min(1, "Name the access point.").max(200, "Keep the name under 200 characters."),
  details: z.string().trim().max(2000, "Keep the details under 2,000 characters.").default(""),
});

export const markRemovedSchema = z.object({
  removedOn: z.iso.date({ error: "Enter the date it was removed (YYYY-MM-DD)." }),
  method: z.string({ error: "Say how it was removed." }).trim().min(1, "Say how it was removed.").max(2000, "Keep it under 2,000 characters."),
});

export const answerRemovalSchema = z.discriminatedUnion(
  "answer",
  [
    z.object({ answer: z.literal("confirm") }),
    z.object({
      answer: z.literal("dispute"),
      reason: z.string({ error: "Say why you dispute the removal." }).trim().min(1, "Say why you dispute the removal.").max(2000, "Keep it under 2,000 characters."),
    }),
  ],
  { error: "Choose whether you confirm or dispute the removal." },
);

constraintMessages({
  msp_access_points_named: { field: "name", message: "Name the access point." },
  msp_access_points_removal_consistent: { field: "method", message: "Say how it was removed." },
  msp_access_points_confirmed_after_removal: { field: "form", message: "Only a removed access point can be confirmed." },
  msp_access_points_dispute_has_reason: { field: "reason", message: "Say why you dispute the removal." },
});

/** The parties who confirm or dispute a removal: the incoming provider and the customer's signer. */
export const ACCESS_ANSWERING_ROLES = ["provider", "customer_signer"] as const satisfies readonly ContactRole[];

export const accessPointColumns = {
  id: mspAccessPoints.id,
  kind: mspAccessPoints.kind,
  name: mspAccessPoints.name,
  details: mspAccessPoints.details,
  removedOn: mspAccessPoints.removedOn,
  removedBy: mspAccessPoints.removedByLabel,
  removalMethod: mspAccessPoints.removalMethod,
  confirmation: mspAccessPoints.confirmation,
  confirmedAt: mspAccessPoints.confirmedAt,
  confirmedBy: mspAccessPoints.confirmedByLabel,
  /** The role of the contact who confirmed or disputed (null while nobody answered). */
  confirmedByRole: caseContacts.role,
  disputeReason: mspAccessPoints.disputeReason,
};

/** People are shown by name to every party, never by address. */
const personOf = (label: string | null) => (label === null ? null : label.replace(/\s*<[^>]*>$/, ""));
const shown = <T extends { removedBy: string | null; confirmedBy: string | null }>(row: T) => ({ ...row, removedBy: personOf(row.removedBy), confirmedBy: personOf(row.confirmedBy) });

const selectAccessPoints = (executor: Executor) =>
  executor
    .select({ caseId: mspAccessPoints.caseId, ...accessPointColumns })
    .from(mspAccessPoints)
    .leftJoin(caseContacts, eq(caseContacts.id, mspAccessPoints.confirmedByContactId));

export type AccessPoint = Awaited<ReturnType<typeof listAccessPoints>>[number];

/** An access point as pages receive it (the answer's moment as ISO text). */
export type AccessPointView = Omit<AccessPoint, "confirmedAt"> & { confirmedAt: string | null };

export const accessPointView = (point: AccessPoint): AccessPointView => ({ ...point, confirmedAt: point.confirmedAt?.toISOString() ?? null });

export async function listAccessPoints({ caseId, executor = db() }: { caseId: string; executor?: Executor }) {
  const id = assertId(caseId, "Case");
  const rows = await selectAccessPoints(executor).where(eq(mspAccessPoints.caseId, id)).orderBy(asc(mspAccessPoints.createdAt), asc(mspAccessPoints.id));
  return rows.map(({ caseId: _case, ...row }) => shown(row));
}

/** All access points of many cases in one query (for the checklist). */
export async function loadAccessPoints(executor: Executor, caseIds: string[]): Promise<Map<string, AccessPoint[]>> {
  const result = new Map<string, AccessPoint[]>();
  if (caseIds.length === 0) return result;
  const rows = await selectAccessPoints(executor).where(inArray(mspAccessPoints.caseId, caseIds)).orderBy(asc(mspAccessPoints.createdAt), asc(mspAccessPoints.id));
  for (const { caseId, ...row } of rows) {
    const list = result.get(caseId) ?? [];
    list.push(shown(row));
    result.set(caseId, list);
  }
  return result;
}

export async function addAccessPoint({ actor, caseId, input }: { actor: Actor; caseId: string; input: unknown }) {
  const values = parseInput(addAccessPointSchema, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [row] = await tx.insert(mspAccessPoints).values({ caseId: kase.id, ...values }).returning({ id: mspAccessPoints.id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "msp_access.added", payload: { accessPointId: row!.id, kind: values.kind, name: values.name } } });
    return { accessPointId: row!.id };
  });
}

/**
 * Staff record the removal: the date (not in the future), who did it (the actor) and how. A
 * disputed removal may be recorded again once the MSP has fixed it; the new record replaces the
 * dispute, which stays in the audit trail, and waits for a new confirmation.
 */
export async function markAccessRemoved({ actor, caseId, accessPointId, input, now = new Date() }: { actor: Actor; caseId: string; accessPointId: string; input: unknown; now?: Date }) {
  const pointId = assertId(accessPointId, "Access point");
  const values = parseInput(markRemovedSchema, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [point] = await tx
      .select({ kind: mspAccessPoints.kind, name: mspAccessPoints.name, removedOn: mspAccessPoints.removedOn, confirmation: mspAccessPoints.confirmation, disputeReason: mspAccessPoints.disputeReason })
      .from(mspAccessPoints)
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)))
      .for("update");
    if (!point) throw new NotFound("Access point not found");
    if (point.confirmation === "confirmed") throw new Conflict("This removal is already confirmed.");
    if (point.removedOn && point.confirmation !== "disputed") throw new Conflict("This access point is already marked removed.");
    const [zone] = await tx.select({ timeZone: cases.timeZone }).from(cases).where(eq(cases.id, kase.id));
    const today = todayIn(zone!.timeZone, now);
    if (values.removedOn > today) throw new InvalidInput({ removedOn: `The removal date cannot be in the future (today is ${formatLongDate(today)}).` });
    await tx
      .update(mspAccessPoints)
      .set({
        removedOn: values.removedOn,
        removedById: actor.type === "staff" ? actor.id : null,
        removedByLabel: actor.label,
        removalMethod: values.method,
        confirmation: null,
        confirmedAt: null,
        confirmedByContactId: null,
        confirmedByLabel: null,
        disputeReason: null,
        updatedAt: now,
      })
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "msp_access.removed",
        payload: {
          accessPointId: pointId,
          kind: point.kind,
          name: point.name,
          removedOn: values.removedOn,
          removedBy: actor.label,
          method: values.method,
          ...(point.confirmation === "disputed" ? { afterDispute: point.disputeReason! } : {}),
        },
      },
    });
  });
}

/**
 * The incoming provider or the customer's signer confirms a removal, or disputes it with a
 * reason. A confirmation is final; a dispute stands until staff record the removal again.
 */
export async function answerAccessRemoval({ actor, caseId, contactId, accessPointId, input, now = new Date() }: { actor: Actor; caseId: string; contactId: string; accessPointId: string; input: unknown; now?: Date }) {
  const pointId = assertId(accessPointId, "Access point");
  const answer = parseInput(answerRemovalSchema, input);
  return inTransaction(async (tx) => {
    const kase = await lockCase(tx, caseId);
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    // The session's role was checked by the route; the contact's current standing decides here.
    const [contact] = await tx
      .select({ id: caseContacts.id })
      .from(caseContacts)
      .where(and(eq(caseContacts.id, assertId(contactId, "Contact")), eq(caseContacts.caseId, kase.id), inArray(caseContacts.role, [...ACCESS_ANSWERING_ROLES]), isNull(caseContacts.removedAt)));
    if (!contact) throw new Forbidden("Only the incoming provider or the customer's signer can confirm or dispute a removal.");
    const [point] = await tx
      .select({ name: mspAccessPoints.name, removedOn: mspAccessPoints.removedOn, confirmation: mspAccessPoints.confirmation })
      .from(mspAccessPoints)
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)))
      .for("update");
    if (!point) throw new NotFound("Access point not found");
    if (!point.removedOn) throw new Conflict("The MSP has not marked this access point removed yet.");
    if (point.confirmation === "confirmed") throw new Conflict("This removal is already confirmed.");
    if (point.confirmation === "disputed") throw new Conflict("This removal is disputed: the MSP records it again before it can be answered.");
    const disputeReason = answer.answer === "dispute" ? answer.reason : null;
    await tx
      .update(mspAccessPoints)
      .set({ confirmation: answer.answer === "confirm" ? "confirmed" : "disputed", confirmedAt: now, confirmedByContactId: contact.id, confirmedByLabel: actor.label, disputeReason, updatedAt: now })
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event:
        answer.answer === "confirm"
          ? { action: "msp_access.confirmed", payload: { accessPointId: pointId, name: point.name, contactId: contact.id } }
          : { action: "msp_access.disputed", payload: { accessPointId: pointId, name: point.name, contactId: contact.id, reason: disputeReason! } },
    });
  });
}
