// The offboarding playbook as a checklist computed from the data (never stored, so it cannot
// drift from the facts), plus the case's stage and progress derived from it.
import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { db, type Executor } from "../../db/client";
import { backupJobs, backupSets, caseContacts, cases, hardwareItems, staffUsers, subscriptions } from "../../db/schema";
import { caseFactColumns } from "./case-columns.server";
import { checklistRegistry } from "./checklist/registry.server";
import type { AnyChecklistItem, CaseChecklist, CaseSnapshot, ChecklistItem } from "./checklist/types";
import { todayIn } from "./dates";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import type { CaseStage } from "./vocabulary";

export type { CaseChecklist, ChecklistItem } from "./checklist/types";

/**
 * The rows of `table` that match `where`, as a JSON array in the outer row: a case's rows of each
 * table come back in the case's own row, so a whole snapshot is one statement (one round trip, and
 * far less work per page than a query per table). Values travel as JSON, which suits text, enums,
 * numbers, booleans and dates (YYYY-MM-DD); a timestamp would arrive as a string.
 */
function rowsAsJson<T>({
  table,
  fields,
  where,
  orderBy,
}: {
  table: PgTable;
  fields: Record<keyof T & string, PgColumn>;
  where: SQL;
  orderBy: PgColumn;
}) {
  const pairs = sql.join(
    Object.entries<PgColumn>(fields).map(([key, column]) => sql`${sql.raw(`'${key.replaceAll("'", "''")}'`)}, ${column}`),
    sql`, `,
  );
  return sql<T[]>`(select coalesce(json_agg(json_build_object(${pairs}) order by ${orderBy}), '[]'::json) from ${table} where ${where})`;
}

/** Loads the snapshots of many cases in one statement, whatever the number of cases. */
export async function loadCaseSnapshots(
  executor: Executor,
  { caseIds, now = new Date() }: { caseIds: string[]; now?: Date },
): Promise<Map<string, CaseSnapshot>> {
  const snapshots = new Map<string, CaseSnapshot>();
  if (caseIds.length === 0) return snapshots;
  const rows = await executor
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      ...caseFactColumns,
      engineerDeactivatedAt: staffUsers.deactivatedAt,
      engineerRole: staffUsers.role,
      contacts: rowsAsJson<CaseSnapshot["contacts"][number]>({
        table: caseContacts,
        fields: { id: caseContacts.id, role: caseContacts.role, name: caseContacts.name },
        where: sql`${caseContacts.caseId} = ${cases.id} and ${caseContacts.removedAt} is null`,
        orderBy: caseContacts.createdAt,
      }),
      hardware: rowsAsJson<CaseSnapshot["hardware"][number]>({
        table: hardwareItems,
        fields: {
          id: hardwareItems.id,
          category: hardwareItems.category,
          makeModel: hardwareItems.makeModel,
          serialNumber: hardwareItems.serialNumber,
          owner: hardwareItems.owner,
          retrievalPlan: hardwareItems.retrievalPlan,
          retrievalWindowStartsOn: hardwareItems.retrievalWindowStartsOn,
          retrievalWindowEndsOn: hardwareItems.retrievalWindowEndsOn,
        },
        where: sql`${hardwareItems.caseId} = ${cases.id}`,
        orderBy: hardwareItems.createdAt,
      }),
      subscriptions: rowsAsJson<CaseSnapshot["subscriptions"][number]>({
        table: subscriptions,
        fields: { id: subscriptions.id, vendor: subscriptions.vendor, product: subscriptions.product, plan: subscriptions.plan },
        where: sql`${subscriptions.caseId} = ${cases.id}`,
        orderBy: subscriptions.createdAt,
      }),
      backupJobs: rowsAsJson<CaseSnapshot["backupJobs"][number]>({
        table: backupJobs,
        fields: { id: backupJobs.id, system: backupJobs.system, state: backupJobs.state },
        where: sql`${backupJobs.caseId} = ${cases.id}`,
        orderBy: backupJobs.createdAt,
      }),
      backupSets: rowsAsJson<CaseSnapshot["backupSets"][number]>({
        table: backupSets,
        fields: { id: backupSets.id, description: backupSets.description, proposedDisposition: backupSets.proposedDisposition },
        where: sql`${backupSets.caseId} = ${cases.id}`,
        orderBy: backupSets.createdAt,
      }),
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(inArray(cases.id, caseIds));
  for (const { engineerDeactivatedAt, engineerRole, contacts, hardware, subscriptions: subs, backupJobs: jobs, backupSets: sets, ...row } of rows) {
    snapshots.set(row.id, {
      case: { ...row, responsibleEngineerActive: engineerDeactivatedAt === null && engineerRole !== "legal" },
      contacts,
      hardware,
      subscriptions: subs,
      backupJobs: jobs,
      backupSets: sets,
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
  return { case: snapshot.case, items, stage: deriveStage(snapshot, items), progress: { done, applicable } };
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

/** Checklists for many cases: one snapshot statement plus each load function's batched queries, once. */
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
  // Items that read the same facts share one load function, which then runs once.
  const loads = new Map<NonNullable<AnyChecklistItem["load"]>, Promise<Map<string, unknown>>>();
  await Promise.all(
    checklistRegistry
      .filter((definition) => definition.load && ids.length > 0)
      .map(async (definition) => {
        const load = definition.load!;
        let pending = loads.get(load);
        if (!pending) loads.set(load, (pending = load(executor, ids)));
        loaded.set(definition.id, await pending);
      }),
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
  if (!checklist) throw new NotFound("Case not found");
  return checklist;
}
