// What the lists pages show: for staff, each list's draft against its latest version, the versions
// and their acknowledgements, disputes and early-retrieval proposals; for the case's contacts, the
// current version with what changed since the version they last acknowledged.
import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { cases } from "../../db/schema";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { listAcknowledgementsOf, listDisputesOf } from "./acknowledgements.server";
import { hashList } from "./canonical.server";
import { publishProblems, readDraft } from "./draft.server";
import { type ListItem, type ListKind, LIST_KINDS, describeDiff, diffListItems, listKindLabels } from "./items";
import { agreedEarliestDates, listEarlyRetrievalStatus } from "./retrieval.server";
import { comparisonBasis, getVersion, latestVersion, listVersionHistory, previousVersion, versionItems } from "./versions.server";

async function caseFacts(caseId: string) {
  const [row] = await db()
    .select({ cutoverOn: cases.cutoverOn, timeZone: cases.timeZone, reference: cases.reference, status: cases.status })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!row) throw new NotFound("Case not found");
  return row;
}

/** The highlights a reader needs: which items are new, which fields changed (and from what), what went. */
function highlights(kind: ListKind, before: ListItem[], after: ListItem[]) {
  const diff = diffListItems(kind, before, after);
  const changed: Record<string, Record<string, string>> = {};
  for (const entry of diff.changed) {
    changed[entry.item.id] = Object.fromEntries(entry.changes.map((change) => [change.field, change.from]));
  }
  return { addedIds: diff.added.map((item) => item.id), changed, removed: diff.removed };
}
export type ListHighlights = ReturnType<typeof highlights>;

/** The staff page: both lists of a case. */
export async function getListsOverview({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const facts = await caseFacts(id);
  const lists = await Promise.all(
    LIST_KINDS.map(async (kind) => {
      const [draft, latest, history, disputes] = await Promise.all([
        readDraft(db(), { caseId: id, kind }),
        latestVersion(db(), { caseId: id, kind }),
        listVersionHistory(db(), { caseId: id, kind }),
        listDisputesOf(db(), { caseId: id, kind }),
      ]);
      const draftHash = hashList(kind, id, draft).sha256;
      const unpublished = latest && latest.sha256 !== draftHash ? describeDiff(kind, diffListItems(kind, versionItems(latest), draft)) : null;
      return {
        kind,
        label: listKindLabels[kind],
        draft: { itemCount: draft.length, problems: publishProblems(kind, draft), sha256: draftHash },
        latest: latest
          ? {
              id: latest.id,
              version: latest.version,
              sha256: latest.sha256,
              publishedAt: latest.publishedAt.toISOString(),
              publishedByLabel: latest.publishedByLabel,
            }
          : null,
        changedSinceLatest: latest ? latest.sha256 !== draftHash : draft.length > 0,
        unpublished,
        history: history.map((row) => ({
          ...row,
          publishedAt: row.publishedAt.toISOString(),
          acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
          supersededAt: row.supersededAt?.toISOString() ?? null,
        })),
        disputes: disputes.map((row) => ({
          ...row,
          createdAt: row.createdAt.toISOString(),
          answeredAt: row.answeredAt?.toISOString() ?? null,
        })),
      };
    }),
  );
  const earlyRetrieval = await listEarlyRetrievalStatus({ caseId: id });
  return { cutoverOn: facts.cutoverOn, timeZone: facts.timeZone, lists, earlyRetrieval };
}

/** One version, for the staff version page: its items, canonical JSON and what it changed. */
export async function getVersionDetail({ caseId, versionId }: { caseId: string; versionId: string }) {
  const id = assertId(caseId, "Case");
  const version = await getVersion(db(), { caseId: id, versionId: assertId(versionId, "List version") });
  const facts = await caseFacts(id);
  const before = await previousVersion(db(), { caseId: id, kind: version.kind, version: version.version });
  const items = versionItems(version);
  return {
    kind: version.kind,
    label: listKindLabels[version.kind],
    version: version.version,
    sha256: version.sha256,
    canonicalJson: version.canonicalJson,
    publishedAt: version.publishedAt.toISOString(),
    publishedByLabel: version.publishedByLabel,
    timeZone: facts.timeZone,
    cutoverOn: facts.cutoverOn,
    items,
    previousVersion: before?.version ?? null,
    highlights: before ? highlights(version.kind, versionItems(before), items) : null,
  };
}

/** The portal page of one list: the current version, highlighted against what the customer last acknowledged. */
export async function getListReview({ caseId, kind }: { caseId: string; kind: ListKind }) {
  const id = assertId(caseId, "Case");
  const facts = await caseFacts(id);
  const current = await latestVersion(db(), { caseId: id, kind });
  const [acknowledgements, disputes] = await Promise.all([
    listAcknowledgementsOf(db(), { caseId: id, kind }),
    listDisputesOf(db(), { caseId: id, kind }),
  ]);
  const base = {
    kind,
    label: listKindLabels[kind],
    cutoverOn: facts.cutoverOn,
    timeZone: facts.timeZone,
    receipts: acknowledgements.map((row) => ({
      id: row.id,
      version: row.version,
      contactLabel: row.contactLabel.replace(/\s*<[^>]*>$/, ""),
      acknowledgedAt: row.acknowledgedAt.toISOString(),
      superseded: row.supersededAt !== null,
    })),
    disputes: disputes.map((row) => ({
      id: row.id,
      version: row.version,
      itemId: row.itemId,
      itemLabel: row.itemLabel,
      comment: row.comment,
      by: row.contactLabel.replace(/\s*<[^>]*>$/, ""),
      createdAt: row.createdAt.toISOString(),
      answer: row.answer,
      answeredAt: row.answeredAt?.toISOString() ?? null,
    })),
  };
  if (!current) return { ...base, current: null, acknowledgement: null, comparedTo: null, highlights: null, agreedEarly: {} };

  const items = versionItems(current);
  const acknowledged = acknowledgements.find((row) => row.version === current.version) ?? null;
  let comparedTo: { version: number; acknowledged: boolean } | null = null;
  let marks: ListHighlights | null = null;
  if (!acknowledged) {
    const basis = await comparisonBasis(db(), {
      caseId: id,
      kind,
      before: await previousVersion(db(), { caseId: id, kind, version: current.version }),
    });
    if (basis && basis.version.version !== current.version) {
      comparedTo = { version: basis.version.version, acknowledged: basis.acknowledged };
      marks = highlights(kind, versionItems(basis.version), items);
    }
  }
  const agreed = kind === "hardware" ? await agreedEarliestDates(db(), { caseId: id, itemIds: items.map((item) => item.id) }) : new Map();
  return {
    ...base,
    current: {
      version: current.version,
      sha256: current.sha256,
      publishedAt: current.publishedAt.toISOString(),
      items,
    },
    acknowledgement: acknowledged
      ? { id: acknowledged.id, by: acknowledged.contactLabel.replace(/\s*<[^>]*>$/, ""), at: acknowledged.acknowledgedAt.toISOString() }
      : null,
    comparedTo,
    highlights: marks,
    agreedEarly: Object.fromEntries(agreed) as Record<string, string>,
  };
}

/** For the portal's lists index: each list's current version and whether it is acknowledged. */
export async function getListsSummary({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  return Promise.all(
    LIST_KINDS.map(async (kind) => {
      const current = await latestVersion(db(), { caseId: id, kind });
      const acknowledgements = current ? await listAcknowledgementsOf(db(), { caseId: id, kind }) : [];
      const disputes = await listDisputesOf(db(), { caseId: id, kind });
      const acknowledged = current ? acknowledgements.find((row) => row.version === current.version) : undefined;
      return {
        kind,
        label: listKindLabels[kind],
        version: current?.version ?? null,
        itemCount: current?.itemCount ?? 0,
        publishedAt: current?.publishedAt.toISOString() ?? null,
        acknowledgedAt: acknowledged?.acknowledgedAt.toISOString() ?? null,
        acknowledgedBy: acknowledged?.contactLabel.replace(/\s*<[^>]*>$/, "") ?? null,
        openDisputes: disputes.filter((row) => !row.answeredAt).length,
      };
    }),
  );
}

