// The MSP's own ways into the customer's systems (agents, accounts, partner relationships, keys),
// each marked removed by staff — when, by whom, how — and confirmed or disputed by the incoming
// provider or the customer. The checklist waits until every one is removed and confirmed.
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "../../db/client";
import { cases, mspAccessPoints } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase, lockCase } from "../cases/access.server";
import { todayIn } from "../cases/dates";
import { CaseClosedError } from "../cases/errors.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { Conflict, InvalidInput, NotFound } from "../http/refusals.server";
import { constraintMessages, inTransaction } from "../http/transaction.server";
import { calendarDate } from "../http/values";
import { mspAccessKinds } from "./vocabulary";

export const addAccessPointSchema = z.object({
  kind: z.enum(mspAccessKinds, { error: "Choose what kind of access this is." }),
  name: z.string().trim().min(1, "Name the access point.").max(200, "Keep the name under 200 characters."),
  details: z.string().trim().max(2000, "Keep the details under 2,000 characters.").default(""),
});

export const markRemovedSchema = z.object({
  removedOn: calendarDate("Enter the date it was removed (YYYY-MM-DD)."),
  method: z.string().trim().min(1, "Say how it was removed.").max(2000, "Keep it under 2,000 characters."),
});

export const answerRemovalSchema = z.discriminatedUnion("answer", [
  z.object({ answer: z.literal("confirm") }),
  z.object({ answer: z.literal("dispute"), reason: z.string().trim().min(1, "Say why you dispute the removal.").max(2000, "Keep it under 2,000 characters.") }),
]);

constraintMessages({
  msp_access_points_named: { field: "name", message: "Name the access point." },
  msp_access_points_removal_consistent: { field: "method", message: "Say how it was removed." },
  msp_access_points_confirmed_after_removal: { field: "form", message: "Only a removed access point can be confirmed." },
  msp_access_points_dispute_has_reason: { field: "reason", message: "Say why you dispute the removal." },
});

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
  disputeReason: mspAccessPoints.disputeReason,
};

export type AccessPoint = Awaited<ReturnType<typeof listAccessPoints>>[number];

export async function listAccessPoints({ caseId, executor = db() }: { caseId: string; executor?: Executor }) {
  const id = assertId(caseId, "Case");
  return executor.select(accessPointColumns).from(mspAccessPoints).where(eq(mspAccessPoints.caseId, id)).orderBy(asc(mspAccessPoints.createdAt), asc(mspAccessPoints.id));
}

/** All access points of many cases in one query (for the checklist). */
export async function loadAccessPoints(executor: Executor, caseIds: string[]): Promise<Map<string, AccessPoint[]>> {
  const result = new Map<string, AccessPoint[]>();
  if (caseIds.length === 0) return result;
  const rows = await executor
    .select({ caseId: mspAccessPoints.caseId, ...accessPointColumns })
    .from(mspAccessPoints)
    .where(inArray(mspAccessPoints.caseId, caseIds))
    .orderBy(asc(mspAccessPoints.createdAt), asc(mspAccessPoints.id));
  for (const { caseId, ...row } of rows) {
    const list = result.get(caseId) ?? [];
    list.push(row);
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

/** Staff record the removal: the date (not in the future), who did it (the actor) and how. */
export async function markAccessRemoved({ actor, caseId, accessPointId, input, now = new Date() }: { actor: Actor; caseId: string; accessPointId: string; input: unknown; now?: Date }) {
  const values = parseInput(markRemovedSchema, input);
  const pointId = assertId(accessPointId, "Access point");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [zone] = await tx.select({ timeZone: cases.timeZone }).from(cases).where(eq(cases.id, kase.id));
    if (values.removedOn > todayIn(zone!.timeZone, now)) throw new InvalidInput({ removedOn: "The removal date cannot be in the future." });
    const [point] = await tx.select({ kind: mspAccessPoints.kind, name: mspAccessPoints.name, removedOn: mspAccessPoints.removedOn }).from(mspAccessPoints).where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId))).for("update");
    if (!point) throw new NotFound("Access point not found");
    if (point.removedOn) throw new Conflict("This access point is already marked removed.");
    await tx
      .update(mspAccessPoints)
      .set({ removedOn: values.removedOn, removedById: actor.type === "staff" ? actor.id : null, removedByLabel: actor.label, removalMethod: values.method, updatedAt: now })
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "msp_access.removed", payload: { accessPointId: pointId, kind: point.kind, name: point.name, removedOn: values.removedOn, removedBy: actor.label, method: values.method } },
    });
  });
}

/**
 * The incoming provider or the customer confirms a removal or disputes it with a reason. A
 * disputed removal can be confirmed later (once the MSP has fixed it); a confirmed one is final.
 */
export async function answerAccessRemoval({ actor, caseId, contactId, accessPointId, input, now = new Date() }: { actor: Actor; caseId: string; contactId: string; accessPointId: string; input: unknown; now?: Date }) {
  const answer = parseInput(answerRemovalSchema, input);
  const pointId = assertId(accessPointId, "Access point");
  return inTransaction(async (tx) => {
    const kase = await lockCase(tx, caseId);
    if (kase.status === "closed") throw new CaseClosedError(kase.reference);
    const [point] = await tx.select({ name: mspAccessPoints.name, removedOn: mspAccessPoints.removedOn, confirmation: mspAccessPoints.confirmation }).from(mspAccessPoints).where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId))).for("update");
    if (!point) throw new NotFound("Access point not found");
    if (!point.removedOn) throw new Conflict("The MSP has not marked this access point removed yet.");
    if (point.confirmation === "confirmed") throw new Conflict("This removal is already confirmed.");
    const disputeReason = answer.answer === "dispute" ? answer.reason : null;
    await tx
      .update(mspAccessPoints)
      .set({ confirmation: answer.answer === "confirm" ? "confirmed" : "disputed", confirmedAt: now, confirmedByContactId: contactId, confirmedByLabel: actor.label, disputeReason, updatedAt: now })
      .where(and(eq(mspAccessPoints.caseId, kase.id), eq(mspAccessPoints.id, pointId)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event:
        answer.answer === "confirm"
          ? { action: "msp_access.confirmed", payload: { accessPointId: pointId, name: point.name, contactId } }
          : { action: "msp_access.disputed", payload: { accessPointId: pointId, name: point.name, contactId, reason: disputeReason! } },
    });
  });
}
