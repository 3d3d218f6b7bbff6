// Publishing: the draft (the live inventory) is frozen into the next version of its list. A new
// version supersedes every earlier acknowledgement of that list and emails each customer signer
// once, with what changed since the version they last acknowledged.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { caseContacts, cases, listAcknowledgements, listVersions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "../cases/access.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import { enqueueEmail } from "../mail/outbox.server";
import { hashList, parseListDocument } from "./canonical.server";
import { publishProblems, readDraft } from "./draft.server";
import { type ListKind, describeDiff, diffListItems } from "./items";

export const listNoun: Record<ListKind, string> = { hardware: "hardware list", subscriptions: "subscription list" };

export interface StoredVersion {
  id: string;
  version: number;
  sha256: string;
  canonicalJson: string;
  itemCount: number;
  publishedAt: Date;
  publishedByLabel: string;
}

const versionColumns = {
  id: listVersions.id,
  version: listVersions.version,
  sha256: listVersions.sha256,
  canonicalJson: listVersions.canonicalJson,
  itemCount: listVersions.itemCount,
  publishedAt: listVersions.publishedAt,
  publishedByLabel: listVersions.publishedByLabel,
};

/** The newest version of a case's list: the one the customer is asked to acknowledge. */
export async function latestVersion(executor: Executor, { caseId, kind }: { caseId: string; kind: ListKind }): Promise<StoredVersion | null> {
  const [row] = await executor
    .select(versionColumns)
    .from(listVersions)
    .where(and(eq(listVersions.caseId, caseId), eq(listVersions.kind, kind)))
    .orderBy(desc(listVersions.version))
    .limit(1);
  return row ?? null;
}

/** The newest version that the customer acknowledged (superseded or not). */
export async function lastAcknowledgedVersion(
  executor: Executor,
  { caseId, kind }: { caseId: string; kind: ListKind },
): Promise<StoredVersion | null> {
  const [row] = await executor
    .select(versionColumns)
    .from(listVersions)
    .innerJoin(listAcknowledgements, and(eq(listAcknowledgements.versionId, listVersions.id), eq(listAcknowledgements.caseId, caseId)))
    .where(and(eq(listVersions.caseId, caseId), eq(listVersions.kind, kind)))
    .orderBy(desc(listVersions.version))
    .limit(1);
  return row ?? null;
}

export const versionItems = <K extends ListKind>(version: Pick<StoredVersion, "canonicalJson">) =>
  parseListDocument<K>(version.canonicalJson).items;

/** What the customer reads a new version against: the version they last acknowledged, else the one before. */
export async function comparisonBasis(
  executor: Executor,
  { caseId, kind, before }: { caseId: string; kind: ListKind; before: StoredVersion | null },
) {
  const acknowledged = await lastAcknowledgedVersion(executor, { caseId, kind });
  const basis = acknowledged ?? before;
  return basis ? { version: basis, acknowledged: acknowledged !== null } : null;
}

async function activeSigners(tx: Transaction, caseId: string) {
  return tx
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "customer_signer"), isNull(caseContacts.removedAt)));
}

/**
 * Publishes the draft as the next version. Refused when an item is incomplete (the customer must
 * see every owner, window and plan), when nothing changed since the latest version, and for a
 * first version with no items.
 */
export async function publishList({ actor, caseId, kind }: { actor: Actor; caseId: string; kind: ListKind }) {
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    // The case row is locked (changeOpenCase): two publishes of one case cannot pick the same number.
    const items = await readDraft(tx, { caseId: kase.id, kind });
    const problems = publishProblems(kind, items);
    if (problems.length > 0) {
      const shown = problems.slice(0, 5).join("; ");
      const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
      throw new InvalidInput({ form: `Complete the ${listNoun[kind]} before publishing: ${shown}${more}.` });
    }
    const previous = await latestVersion(tx, { caseId: kase.id, kind });
    if (!previous && items.length === 0) {
      throw new InvalidInput({ form: `The ${listNoun[kind]} is empty: add items before publishing it.` });
    }
    const { json, sha256 } = hashList(kind, kase.id, items);
    if (previous?.sha256 === sha256) {
      throw new InvalidInput({ form: `Nothing changed since version ${previous.version}: there is nothing new to publish.` });
    }
    const basis = await comparisonBasis(tx, { caseId: kase.id, kind, before: previous });
    const changes = basis ? describeDiff(kind, diffListItems(kind, versionItems(basis.version), items)) : null;

    const version = (previous?.version ?? 0) + 1;
    const [created] = await tx
      .insert(listVersions)
      .values({
        caseId: kase.id,
        kind,
        version,
        canonicalJson: json,
        sha256,
        itemCount: items.length,
        publishedById: actor.type === "staff" ? actor.id : null,
        publishedByLabel: actor.label,
      })
      .returning({ id: listVersions.id });
    const versionId = created!.id;

    // Every live acknowledgement of this list now names an outdated version.
    const earlierVersions = tx
      .select({ id: listVersions.id })
      .from(listVersions)
      .where(and(eq(listVersions.caseId, kase.id), eq(listVersions.kind, kind)));
    const superseded = await tx
      .update(listAcknowledgements)
      .set({ supersededAt: new Date(), supersededByVersionId: versionId })
      .where(
        and(
          eq(listAcknowledgements.caseId, kase.id),
          isNull(listAcknowledgements.supersededAt),
          inArray(listAcknowledgements.versionId, earlierVersions),
        ),
      )
      .returning({ id: listAcknowledgements.id });

    const [facts] = await tx.select({ customer: cases.customerLegalName }).from(cases).where(eq(cases.id, kase.id));
    const signers = await activeSigners(tx, kase.id);
    for (const signer of signers) {
      await enqueueEmail(tx, {
        to: { name: signer.name, email: signer.email },
        template: "list-published",
        caseId: kase.id,
        props: {
          recipientName: signer.name,
          caseName: `${facts!.customer} (${kase.reference})`,
          listName: listNoun[kind],
          version,
          sha256,
          comparedTo: basis ? { version: basis.version.version, acknowledged: basis.acknowledged } : null,
          changes,
          reviewUrl: `/portal/${kase.id}/lists/${kind}`,
        },
      });
    }
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "list.published",
        payload: {
          kind,
          versionId,
          version,
          sha256,
          itemCount: items.length,
          comparedToVersion: basis?.version.version ?? null,
          changes,
          supersededAcknowledgementIds: superseded.map((row) => row.id),
          notified: signers.map((signer) => signer.email),
        },
      },
    });
    return { versionId, version, sha256, notified: signers.length, supersededAcknowledgements: superseded.length };
  });
}

/** Every version of a case's list, newest first, with its acknowledgement (if any). */
export async function listVersionHistory(executor: Executor, { caseId, kind }: { caseId: string; kind: ListKind }) {
  return executor
    .select({
      id: listVersions.id,
      version: listVersions.version,
      sha256: listVersions.sha256,
      itemCount: listVersions.itemCount,
      publishedAt: listVersions.publishedAt,
      publishedByLabel: listVersions.publishedByLabel,
      acknowledgementId: listAcknowledgements.id,
      acknowledgedByLabel: listAcknowledgements.contactLabel,
      acknowledgedAt: listAcknowledgements.acknowledgedAt,
      supersededAt: listAcknowledgements.supersededAt,
    })
    .from(listVersions)
    .leftJoin(listAcknowledgements, and(eq(listAcknowledgements.versionId, listVersions.id), eq(listAcknowledgements.caseId, caseId)))
    .where(and(eq(listVersions.caseId, caseId), eq(listVersions.kind, kind)))
    .orderBy(desc(listVersions.version));
}

/** One version of a case's list; another case's version id is "not found". */
export async function getVersion(executor: Executor, { caseId, versionId }: { caseId: string; versionId: string }) {
  const [row] = await executor
    .select({ ...versionColumns, kind: listVersions.kind })
    .from(listVersions)
    .where(and(eq(listVersions.id, versionId), eq(listVersions.caseId, caseId)));
  if (!row) throw new NotFound("List version not found");
  return row;
}

/** The version just before this one, if any. */
export async function previousVersion(executor: Executor, { caseId, kind, version }: { caseId: string; kind: ListKind; version: number }) {
  const [row] = await executor
    .select(versionColumns)
    .from(listVersions)
    .where(and(eq(listVersions.caseId, caseId), eq(listVersions.kind, kind), eq(listVersions.version, version - 1)));
  return row ?? null;
}
