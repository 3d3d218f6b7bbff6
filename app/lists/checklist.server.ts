// The checklist's view of a list: published, unchanged since, acknowledged by the customer, and no
// dispute left unanswered. One definition per list, built here and registered in
// app/cases/checklist/lists-*.server.ts.
import { and, desc, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { listAcknowledgements, listVersions } from "../../db/schema";
import { formatDate } from "../cases/format";
import { type ChecklistOutcome, defineChecklistItem, limitBlockers, outcome } from "../cases/checklist/types";
import { openDisputesOf } from "./acknowledgements.server";
import { hashList } from "./canonical.server";
import { publishProblems, readDrafts } from "./draft.server";
import type { ListItems, ListKind } from "./items";
import { listNoun } from "./versions.server";

export interface ListChecklistFacts {
  draftCount: number;
  draftSha256: string;
  problems: string[];
  latest: { version: number; sha256: string } | null;
  acknowledgement: { by: string; at: Date } | null;
  openDisputes: { item: string; comment: string; by: string }[];
}

const person = (label: string) => label.replace(/\s*<[^>]*>$/, "");

type ListFactsByKind = Record<ListKind, ListChecklistFacts>;

/**
 * Everything both list items need for many cases, one query per table. Both items share this
 * function, so a checklist evaluation runs it once for the hardware and the subscription list.
 */
export async function loadListFacts(executor: Executor, caseIds: string[]): Promise<Map<string, ListFactsByKind>> {
  const [hardwareDrafts, subscriptionDrafts, latestRows, disputes] = await Promise.all([
    readDrafts(executor, { caseIds, kind: "hardware" }),
    readDrafts(executor, { caseIds, kind: "subscriptions" }),
    executor
      .selectDistinctOn([listVersions.caseId, listVersions.kind], {
        caseId: listVersions.caseId,
        kind: listVersions.kind,
        id: listVersions.id,
        version: listVersions.version,
        sha256: listVersions.sha256,
      })
      .from(listVersions)
      .where(inArray(listVersions.caseId, caseIds))
      .orderBy(listVersions.caseId, listVersions.kind, desc(listVersions.version)),
    openDisputesOf(executor, { caseIds }),
  ]);
  const acknowledgements =
    latestRows.length === 0
      ? []
      : await executor
          .select({ versionId: listAcknowledgements.versionId, by: listAcknowledgements.contactLabel, at: listAcknowledgements.acknowledgedAt })
          .from(listAcknowledgements)
          .where(
            and(
              inArray(listAcknowledgements.caseId, caseIds),
              inArray(
                listAcknowledgements.versionId,
                latestRows.map((row) => row.id),
              ),
            ),
          );
  const factsOf = <K extends ListKind>(caseId: string, kind: K, draft: ListItems[K][]): ListChecklistFacts => {
    const latest = latestRows.find((row) => row.caseId === caseId && row.kind === kind) ?? null;
    const acknowledged = latest ? acknowledgements.find((row) => row.versionId === latest.id) : undefined;
    return {
      draftCount: draft.length,
      draftSha256: hashList(kind, caseId, draft).sha256,
      problems: publishProblems(kind, draft),
      latest: latest ? { version: latest.version, sha256: latest.sha256 } : null,
      acknowledgement: acknowledged ? { by: person(acknowledged.by), at: acknowledged.at } : null,
      openDisputes: disputes
        .filter((row) => row.caseId === caseId && row.kind === kind)
        .map((row) => ({ item: row.itemLabel, comment: row.comment, by: person(row.contactLabel) })),
    };
  };
  const facts = new Map<string, ListFactsByKind>();
  for (const caseId of caseIds) {
    facts.set(caseId, {
      hardware: factsOf(caseId, "hardware", hardwareDrafts.get(caseId) ?? []),
      subscriptions: factsOf(caseId, "subscriptions", subscriptionDrafts.get(caseId) ?? []),
    });
  }
  return facts;
}

/** The verdict for one list; pure, so tests can feed it facts. */
export function evaluateListFacts(kind: ListKind, facts: ListChecklistFacts | undefined): ChecklistOutcome {
  const noun = listNoun[kind];
  if (!facts) return outcome.pending("msp", `The ${noun} could not be read.`);
  if (!facts.latest && facts.draftCount === 0) return outcome.notApplicable(`No items to put on the ${noun} yet.`);
  const mspSteps: string[] = [];
  for (const dispute of facts.openDisputes) mspSteps.push(`Open dispute — ${dispute.item}: “${dispute.comment}” (${dispute.by})`);
  const changed = facts.latest !== null && facts.latest.sha256 !== facts.draftSha256;
  if (!facts.latest || changed) {
    if (facts.problems.length > 0) mspSteps.push(...facts.problems);
    else mspSteps.push(`Publish ${facts.latest ? `version ${facts.latest.version + 1}` : "the list"} for the customer to acknowledge (Lists tab).`);
  }
  if (mspSteps.length > 0) {
    const disputes = facts.openDisputes.length;
    const summary =
      disputes > 0
        ? `${disputes} open dispute${disputes === 1 ? "" : "s"} from the customer to answer.`
        : !facts.latest
          ? `The ${noun} is not published yet.`
          : `The ${noun} changed since version ${facts.latest.version}: publish it again.`;
    return outcome.pending("msp", summary, limitBlockers(mspSteps));
  }
  const latest = facts.latest!;
  if (!facts.acknowledgement) return outcome.pending("customer", `Version ${latest.version} awaits the customer signer's acknowledgement.`);
  return outcome.done(
    `Version ${latest.version} acknowledged by ${facts.acknowledgement.by} on ${formatDate(facts.acknowledgement.at.toISOString().slice(0, 10))}.`,
  );
}

export function listAcknowledgedItem(kind: ListKind, { id, title }: { id: string; title: string }) {
  return defineChecklistItem<ListFactsByKind>({
    id,
    title,
    phase: "transition",
    load: loadListFacts,
    evaluate: (_snapshot, facts) => evaluateListFacts(kind, facts?.[kind]),
  });
}
