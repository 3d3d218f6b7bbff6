// The offboarding playbook as a checklist computed from the data (never stored, so it cannot
// drift from the facts), plus the case's stage and progress derived from it.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { db, type Executor } from "../../db/client";
import { backupJobs, backupSets, caseContacts, cases, hardwareItems, staffUsers, subscriptions } from "../../db/schema";
import { checklistRegistry } from "./checklist/registry.server";
import type { AnyChecklistItem, CaseChecklist, CaseSnapshot, ChecklistItem } from "./checklist/types";
import { todayIn } from "./dates";
import { assertId, NotFoundError } from "./errors.server";
import type { CaseStage } from "./vocabulary";

export type { CaseChecklist, ChecklistItem } from "./checklist/types";

function groupBy<T extends { caseId: string }>(rows: T[]): Map<string, Omit<T, "caseId">[]> {
  const groups = new Map<string, Omit<T, "caseId">[]>();
  for (const { caseId, ...rest } of rows) {
    const list = groups.get(caseId) ?? [];
    list.push(rest);
    groups.set(caseId, list);
  }
  return groups;
}

/** Loads the snapshots of many cases with one query per table, whatever the number of cases. */
export async function loadCaseSnapshots(
  executor: Executor,
  { caseIds, now = new Date() }: { caseIds: string[]; now?: Date },
): Promise<Map<string, CaseSnapshot>> {
  const snapshots = new Map<string, CaseSnapshot>();
  if (caseIds.length === 0) return snapshots;
  const [caseRows, contactRows, hardwareRows, subscriptionRows, jobRows, setRows] = await Promise.all([
    executor
      .select({
        id: cases.id,
        reference: cases.reference,
        status: cases.status,
        customerLegalName: cases.customerLegalName,
        customerAddress: cases.customerAddress,
        incomingProviderName: cases.incomingProviderName,
        noticeReceivedOn: cases.noticeReceivedOn,
        cutoverOn: cases.cutoverOn,
        supportTransferPlannedOn: cases.supportTransferPlannedOn,
        portalAccessEndsOn: cases.portalAccessEndsOn,
        timeZone: cases.timeZone,
        responsibleEngineerId: cases.responsibleEngineerId,
        engineerDeactivatedAt: staffUsers.deactivatedAt,
        engineerRole: staffUsers.role,
      })
      .from(cases)
      .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
      .where(inArray(cases.id, caseIds)),
    executor
      .select({ caseId: caseContacts.caseId, id: caseContacts.id, role: caseContacts.role, name: caseContacts.name })
      .from(caseContacts)
      .where(and(inArray(caseContacts.caseId, caseIds), isNull(caseContacts.removedAt)))
      .orderBy(caseContacts.createdAt),
    executor
      .select({
        caseId: hardwareItems.caseId,
        id: hardwareItems.id,
        category: hardwareItems.category,
        makeModel: hardwareItems.makeModel,
        serialNumber: hardwareItems.serialNumber,
        owner: hardwareItems.owner,
        retrievalPlan: hardwareItems.retrievalPlan,
        retrievalWindowStartsOn: hardwareItems.retrievalWindowStartsOn,
        retrievalWindowEndsOn: hardwareItems.retrievalWindowEndsOn,
      })
      .from(hardwareItems)
      .where(inArray(hardwareItems.caseId, caseIds))
      .orderBy(hardwareItems.createdAt),
    executor
      .select({
        caseId: subscriptions.caseId,
        id: subscriptions.id,
        vendor: subscriptions.vendor,
        product: subscriptions.product,
        plan: subscriptions.plan,
      })
      .from(subscriptions)
      .where(inArray(subscriptions.caseId, caseIds))
      .orderBy(subscriptions.createdAt),
    executor
      .select({ caseId: backupJobs.caseId, id: backupJobs.id, system: backupJobs.system, state: backupJobs.state })
      .from(backupJobs)
      .where(inArray(backupJobs.caseId, caseIds))
      .orderBy(backupJobs.createdAt),
    executor
      .select({
        caseId: backupSets.caseId,
        id: backupSets.id,
        description: backupSets.description,
        proposedDisposition: backupSets.proposedDisposition,
      })
      .from(backupSets)
      .where(inArray(backupSets.caseId, caseIds))
      .orderBy(backupSets.createdAt),
  ]);
  const contacts = groupBy(contactRows);
  const hardware = groupBy(hardwareRows);
  const subs = groupBy(subscriptionRows);
  const jobs = groupBy(jobRows);
  const sets = groupBy(setRows);
  for (const { engineerDeactivatedAt, engineerRole, ...row } of caseRows) {
    snapshots.set(row.id, {
      case: { ...row, responsibleEngineerActive: engineerDeactivatedAt === null && engineerRole !== "legal" },
      contacts: contacts.get(row.id) ?? [],
      hardware: hardware.get(row.id) ?? [],
      subscriptions: subs.get(row.id) ?? [],
      backupJobs: jobs.get(row.id) ?? [],
      backupSets: sets.get(row.id) ?? [],
      today: todayIn(row.timeZone, now),
    });
  }
  return snapshots;
}

const settled = (item: ChecklistItem) => item.state === "done" || item.state === "not_applicable";

/** Evaluates the registry over one snapshot; pure, so tests can pass their own registry. */
export function evaluateChecklist(
  snapshot: CaseSnapshot,
  { registry = checklistRegistry, extras = new Map() }: { registry?: readonly AnyChecklistItem[]; extras?: Map<string, unknown> } = {},
): CaseChecklist {
  const items: ChecklistItem[] = [];
  const byId = new Map<string, ChecklistItem>();
  for (const definition of registry) {
    let result: ChecklistItem = {
      id: definition.id,
      title: definition.title,
      phase: definition.phase,
      ...(definition.portalPath ? { portalPath: definition.portalPath } : {}),
      ...definition.evaluate(snapshot, extras.get(definition.id)),
    };
    // A dependency that is not settled blocks this item, unless it is already done or moot.
    const waitingFor = (definition.dependsOn ?? [])
      .map((id) => byId.get(id))
      .filter((dependency): dependency is ChecklistItem => !!dependency && !settled(dependency));
    if (waitingFor.length > 0 && !settled(result)) {
      result = {
        ...result,
        state: "blocked",
        nextStepOwner: waitingFor[0]!.nextStepOwner,
        blockers: waitingFor.map((dependency) => `Waiting for: ${dependency.title}`),
      };
    }
    items.push(result);
    byId.set(result.id, result);
  }
  const applicable = items.filter((item) => item.state !== "not_applicable").length;
  const done = items.filter((item) => item.state === "done").length;
  return { items, stage: deriveStage(snapshot, items), progress: { done, applicable } };
}

/**
 * intake → transition → post-cutover → closed. Cutover is a date in the case's time zone, so a
 * case in Sydney passes it hours before one in New York.
 */
export function deriveStage(snapshot: CaseSnapshot, items: ChecklistItem[]): CaseStage {
  if (snapshot.case.status === "closed") return "closed";
  if (snapshot.today >= snapshot.case.cutoverOn) return "post_cutover";
  const intakeOpen = items.some((item) => item.phase === "intake" && !settled(item));
  return intakeOpen ? "intake" : "transition";
}

/** Checklists for many cases: one snapshot query per table plus each item's own batched load. */
export async function evaluateChecklists({
  caseIds,
  now = new Date(),
  executor = db(),
}: {
  caseIds: string[];
  now?: Date;
  executor?: Executor;
}): Promise<Map<string, CaseChecklist>> {
  const snapshots = await loadCaseSnapshots(executor, { caseIds, now });
  const ids = [...snapshots.keys()];
  const loaded = new Map<string, Map<string, unknown>>();
  await Promise.all(
    checklistRegistry
      .filter((definition) => definition.load && ids.length > 0)
      .map(async (definition) => loaded.set(definition.id, await definition.load!(executor, ids))),
  );
  const results = new Map<string, CaseChecklist>();
  for (const [caseId, snapshot] of snapshots) {
    const extras = new Map<string, unknown>();
    for (const [itemId, perCase] of loaded) extras.set(itemId, perCase.get(caseId));
    results.set(caseId, evaluateChecklist(snapshot, { extras }));
  }
  return results;
}

/** The checklist of one case, for its overview. */
export async function getCaseChecklist({ caseId, now }: { caseId: string; now?: Date }): Promise<CaseChecklist> {
  const id = assertId(caseId, "Case");
  const checklist = (await evaluateChecklists({ caseIds: [id], now })).get(id);
  if (!checklist) throw new NotFoundError("Case not found");
  return checklist;
}
