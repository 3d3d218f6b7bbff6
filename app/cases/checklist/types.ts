// The contract every checklist item fulfils. An item is one file that exports one definition;
// app/cases/checklist/registry.server.ts lists them. Later features add their own item (a new file
// and one registry line) without touching the others.
import type { Executor } from "../../../db/client";
import type { BackupJobState, BackupSetDisposition, CaseStage, ChecklistState, ContactRole, HardwareCategory, HardwareOwner, NextStepOwner, SubscriptionPlan } from "../vocabulary";

/** What the built-in items read: one case and its inventory, loaded once for all items. */
export interface CaseSnapshot {
  case: {
    id: string;
    reference: string;
    status: "open" | "closed";
    customerLegalName: string;
    customerAddress: string;
    incomingProviderName: string;
    noticeReceivedOn: string;
    cutoverOn: string;
    supportTransferPlannedOn: string | null;
    portalAccessEndsOn: string;
    timeZone: string;
    responsibleEngineerId: string;
    /** False when the responsible engineer has been deactivated or lost the engineer/admin role. */
    responsibleEngineerActive: boolean;
  };
  /** Active contacts only (removed ones are gone from the case's point of view). */
  contacts: { id: string; role: ContactRole; name: string }[];
  hardware: {
    id: string;
    category: HardwareCategory;
    makeModel: string;
    serialNumber: string;
    owner: HardwareOwner | null;
    retrievalPlan: string | null;
    retrievalWindowStartsOn: string | null;
    retrievalWindowEndsOn: string | null;
  }[];
  subscriptions: { id: string; vendor: string; product: string; plan: SubscriptionPlan | null }[];
  backupJobs: { id: string; system: string; state: BackupJobState }[];
  backupSets: { id: string; description: string; proposedDisposition: BackupSetDisposition | null }[];
  /** Today's date in the case's time zone (YYYY-MM-DD). */
  today: string;
}

/** An item's own verdict, before dependencies are applied. */
export interface ChecklistOutcome {
  state: ChecklistState;
  /** Who has to act next; null when nothing is left to do. */
  nextStepOwner: NextStepOwner | null;
  /** One line for people: what is done, or what is missing. */
  summary: string;
  /** What stands in the way, one line each (empty when done or not applicable). */
  blockers: string[];
}

/** The playbook phase an item belongs to; the case leaves "intake" when its intake items are done. */
export type ChecklistPhase = "intake" | "transition" | "post_cutover";

export interface ChecklistItemDefinition<Extra = undefined> {
  /** Stable id, e.g. "customer-signer"; other items name it in `dependsOn`. */
  id: string;
  title: string;
  phase: ChecklistPhase;
  /**
   * Where the party who owns the next step acts in the portal, relative to `/portal/<caseId>/`
   * (e.g. "credentials"); the portal home links the item there.
   */
  portalPath?: string;
  /** Items that must be done (or not applicable) first; until then this item shows as blocked. */
  dependsOn?: readonly string[];
  /**
   * Optional: what the item needs beyond the snapshot, loaded for many cases in one go (the case
   * list evaluates every listed case). Query with the case ids in the `where`. Items that pass the
   * same function share one call per evaluation.
   */
  load?: (executor: Executor, caseIds: string[]) => Promise<Map<string, Extra>>;
  evaluate: (snapshot: CaseSnapshot, extra: Extra | undefined) => ChecklistOutcome;
}

// The registry holds items with different `Extra` types; this erases them behind one shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChecklistItem = ChecklistItemDefinition<any>;

/** Declares an item; keeps its `load` and `evaluate` types tied together. */
export function defineChecklistItem<Extra = undefined>(item: ChecklistItemDefinition<Extra>): AnyChecklistItem {
  return item;
}

/** An evaluated item, as the overview and the portal show it. */
export interface ChecklistItem extends ChecklistOutcome {
  id: string;
  title: string;
  phase: ChecklistPhase;
  portalPath?: string;
}

export interface CaseChecklist {
  /** The case's facts the checklist was computed from. */
  case: CaseSnapshot["case"];
  items: ChecklistItem[];
  stage: CaseStage;
  progress: { done: number; applicable: number };
}

/** Shorthand for outcomes. */
export const outcome = {
  done: (summary: string): ChecklistOutcome => ({ state: "done", nextStepOwner: null, summary, blockers: [] }),
  notApplicable: (summary: string): ChecklistOutcome => ({ state: "not_applicable", nextStepOwner: null, summary, blockers: [] }),
  pending: (nextStepOwner: NextStepOwner, summary: string, blockers: string[] = []): ChecklistOutcome => ({
    state: "pending",
    nextStepOwner,
    summary,
    blockers,
  }),
};

const MAX_BLOCKERS = 8;

/** Keeps long lists readable: the first few, then "and N more". */
export function limitBlockers(lines: string[]): string[] {
  if (lines.length <= MAX_BLOCKERS) return lines;
  return [...lines.slice(0, MAX_BLOCKERS - 1), `…and ${lines.length - (MAX_BLOCKERS - 1)} more`];
}
