// The customer's answer to a published version: acknowledge it whole, or dispute items of it with
// a comment; and staff's answers to disputes. An acknowledgement names the version's SHA-256 that
// the customer's page showed: if the list changed meanwhile, it is refused, because a person can
// only agree to what they saw.
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor, type Transaction } from "../../db/client";
import { caseContacts, cases, listAcknowledgements, listDisputes, listRetrievalConsents, listVersions, staffUsers } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase, lockCase } from "../cases/access.server";
import { inTransaction } from "../http/transaction.server";
import { CaseClosedError } from "../cases/errors.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { InvalidInput, Forbidden, NotFound } from "../http/refusals.server";
import { enqueueEmail } from "../mail/outbox.server";
import { type HardwareListItem, type ListKind, LIST_KINDS, isEarlyRetrievalCandidate, itemLabel } from "./items";
import { latestVersion, listNoun, versionItems } from "./versions.server";

/** The version the customer saw is no longer the current one. */
export class StaleVersionError extends Error {
  override name = "StaleVersionError";
  constructor(readonly currentVersion: number) {
    super(`This list changed while you were reading it. Please review version ${currentVersion} and try again.`);
  }
}

const sha256Field = z
  .string({ error: "The list's fingerprint is missing; reload the page." })
  .regex(/^[0-9a-f]{64}$/, "The list's fingerprint is missing; reload the page.");

const idList = z
  .union([z.uuid(), z.array(z.uuid())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const acknowledgeInput = z.object({
  kind: z.enum(LIST_KINDS),
  versionSha256: sha256Field,
  reviewed: z.literal("yes", { error: "Confirm that you have reviewed every item" }),
  /** Items whose proposed early retrieval date the customer agrees to. */
  earlyRetrieval: idList,
});
export type AcknowledgeInput = z.input<typeof acknowledgeInput>;

export const disputeInput = z.object({
  kind: z.enum(LIST_KINDS),
  versionSha256: sha256Field,
  comments: z
    .array(z.object({ itemId: z.uuid(), comment: z.string().trim().max(2000, "Keep each comment under 2000 characters") }))
    .transform((entries) => entries.filter((entry) => entry.comment !== "")),
});
export type DisputeInput = z.input<typeof disputeInput>;

export const answerInput = z.object({
  disputeId: z.uuid({ error: "Choose a dispute" }),
  answer: z.string({ error: "Write your answer" }).trim().min(1, "Write your answer").max(4000, "Keep this under 4000 characters"),
});
export type AnswerInput = z.input<typeof answerInput>;

/** The acting contact must be an active customer signer of this case, checked inside the transaction. */
async function assertSigner(tx: Transaction, actor: Actor, caseId: string) {
  if (actor.type !== "contact" || !actor.id) throw new Forbidden("Only the customer's signer can do this.");
  const [contact] = await tx
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(
      and(
        eq(caseContacts.id, actor.id),
        eq(caseContacts.caseId, caseId),
        eq(caseContacts.role, "customer_signer"),
        isNull(caseContacts.removedAt),
      ),
    );
  if (!contact) throw new Forbidden("Only the customer's signer can do this.");
  return contact;
}

/** Locks the case and returns the current version, refusing a closed case or a stale hash. */
async function currentVersionFor(tx: Transaction, { caseId, kind, versionSha256 }: { caseId: string; kind: ListKind; versionSha256: string }) {
  const kase = await lockCase(tx, caseId);
  if (kase.status === "closed") throw new CaseClosedError(kase.reference);
  const current = await latestVersion(tx, { caseId: kase.id, kind });
  if (!current) throw new NotFound(`No ${listNoun[kind]} has been published yet`);
  if (current.sha256 !== versionSha256) throw new StaleVersionError(current.version);
  return { kase, current };
}

/**
 * The customer signer acknowledges the current version of a list, naming its hash. Records who,
 * when, IP and user agent (on the acknowledgement and on its audit event, in one transaction),
 * and any early retrieval dates they agreed to.
 */
export async function acknowledgeList({ actor, caseId, input }: { actor: Actor; caseId: string; input: AcknowledgeInput }) {
  const { kind, versionSha256, earlyRetrieval } = parseInput(acknowledgeInput, input);
  return inTransaction(async (tx) => {
    const { kase, current } = await currentVersionFor(tx, { caseId: assertId(caseId, "Case"), kind, versionSha256 });
    const signer = await assertSigner(tx, actor, kase.id);
    const [existing] = await tx
      .select({ contactLabel: listAcknowledgements.contactLabel })
      .from(listAcknowledgements)
      .where(and(eq(listAcknowledgements.versionId, current.id), eq(listAcknowledgements.caseId, kase.id)));
    if (existing) {
      throw new InvalidInput({ form: `Version ${current.version} is already acknowledged (by ${existing.contactLabel}).` });
    }

    const items = versionItems(current);
    const agreed: { itemId: string; item: string; agreedFrom: string }[] = [];
    for (const itemId of new Set(earlyRetrieval.map((id) => id.toLowerCase()))) {
      const item = kind === "hardware" ? (items as HardwareListItem[]).find((candidate) => candidate.id === itemId) : undefined;
      if (!item || !isEarlyRetrievalCandidate(item)) {
        throw new InvalidInput({ earlyRetrieval: "Early retrieval can only be agreed for items where it is proposed." });
      }
      agreed.push({ itemId: item.id, item: itemLabel("hardware", item), agreedFrom: item.earlyRetrievalProposedOn! });
    }

    const contactLabel = `${signer.name} <${signer.email}>`;
    const [acknowledgement] = await tx
      .insert(listAcknowledgements)
      .values({
        caseId: kase.id,
        versionId: current.id,
        versionSha256: current.sha256,
        contactId: signer.id,
        contactLabel,
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
      })
      .returning({ id: listAcknowledgements.id, acknowledgedAt: listAcknowledgements.acknowledgedAt });
    const acknowledgementId = acknowledgement!.id;
    if (agreed.length > 0) {
      await tx.insert(listRetrievalConsents).values(
        agreed.map((entry) => ({ acknowledgementId, caseId: kase.id, hardwareItemId: entry.itemId, earliestOn: entry.agreedFrom })),
      );
    }
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "list.acknowledged",
        payload: {
          kind,
          acknowledgementId,
          versionId: current.id,
          version: current.version,
          sha256: current.sha256,
          contactId: signer.id,
          earlyRetrieval: agreed,
        },
      },
    });
    return { acknowledgementId, version: current.version, sha256: current.sha256 };
  });
}

/** The case's responsible engineer, who hears about disputes. */
async function responsibleEngineer(tx: Transaction, caseId: string) {
  const [row] = await tx
    .select({ name: staffUsers.name, email: staffUsers.email, customer: cases.customerLegalName, reference: cases.reference })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(and(eq(cases.id, caseId), isNull(staffUsers.deactivatedAt)));
  return row ?? null;
}

/** The customer signer comments on one or more items of the current version. */
export async function disputeListItems({ actor, caseId, input }: { actor: Actor; caseId: string; input: DisputeInput }) {
  const { kind, versionSha256, comments } = parseInput(disputeInput, input);
  if (comments.length === 0) throw new InvalidInput({ form: "Write a comment on at least one item you disagree with." });
  return inTransaction(async (tx) => {
    const { kase, current } = await currentVersionFor(tx, { caseId: assertId(caseId, "Case"), kind, versionSha256 });
    const signer = await assertSigner(tx, actor, kase.id);
    const items = new Map(versionItems(current).map((item) => [item.id, item]));
    const rows = comments.map(({ itemId, comment }) => {
      const item = items.get(itemId.toLowerCase());
      if (!item) throw new InvalidInput({ form: "One of the commented items is not in this version; reload the page." });
      return {
        caseId: kase.id,
        versionId: current.id,
        itemId: item.id,
        itemLabel: itemLabel(kind, item),
        comment,
        contactId: signer.id,
        contactLabel: `${signer.name} <${signer.email}>`,
      };
    });
    const created = await tx.insert(listDisputes).values(rows).returning({ id: listDisputes.id, itemId: listDisputes.itemId });
    const disputes = created.map((row, index) => ({
      disputeId: row.id,
      itemId: row.itemId,
      item: rows[index]!.itemLabel,
      comment: rows[index]!.comment,
    }));
    // Disputes come back to staff: the responsible engineer is told at once.
    const engineer = await responsibleEngineer(tx, kase.id);
    if (engineer) {
      await enqueueEmail(tx, {
        to: { name: engineer.name, email: engineer.email },
        template: "notification",
        caseId: kase.id,
        props: {
          title: `${engineer.customer} (${engineer.reference}) disputed items of the ${listNoun[kind]}`,
          recipientName: engineer.name,
          paragraphs: [
            `${signer.name} commented on ${disputes.length} item${disputes.length === 1 ? "" : "s"} of version ${current.version}:`,
            ...disputes.map((dispute) => `${dispute.item}: “${dispute.comment}”`),
            "Answer each comment, correct the list if needed, and publish a new version.",
          ],
          action: { label: "Answer the disputes", url: `/app/cases/${kase.id}/lists` },
        },
      });
    }
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "list.disputed",
        payload: { kind, versionId: current.id, version: current.version, sha256: current.sha256, contactId: signer.id, disputes },
      },
    });
    return { disputeIds: disputes.map((dispute) => dispute.disputeId) };
  });
}

/** Staff answer a dispute (once). The customer who raised it is emailed the answer. */
export async function answerDispute({ actor, caseId, input }: { actor: Actor; caseId: string; input: AnswerInput }) {
  const { disputeId, answer } = parseInput(answerInput, input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [dispute] = await tx
      .select({
        id: listDisputes.id,
        itemLabel: listDisputes.itemLabel,
        comment: listDisputes.comment,
        answeredAt: listDisputes.answeredAt,
        kind: listVersions.kind,
        contactName: caseContacts.name,
        contactEmail: caseContacts.email,
        contactRemovedAt: caseContacts.removedAt,
      })
      .from(listDisputes)
      .innerJoin(listVersions, eq(listVersions.id, listDisputes.versionId))
      .innerJoin(caseContacts, eq(caseContacts.id, listDisputes.contactId))
      .where(and(eq(listDisputes.id, disputeId), eq(listDisputes.caseId, kase.id)))
      .for("update", { of: listDisputes });
    if (!dispute) throw new NotFound("Dispute not found");
    if (dispute.answeredAt) throw new InvalidInput({ answer: "This dispute has already been answered." });
    await tx
      .update(listDisputes)
      .set({
        answer,
        answeredAt: new Date(),
        answeredById: actor.type === "staff" ? actor.id : null,
        answeredByLabel: actor.label,
      })
      .where(and(eq(listDisputes.id, dispute.id), eq(listDisputes.caseId, kase.id)));
    if (!dispute.contactRemovedAt) {
      await enqueueEmail(tx, {
        to: { name: dispute.contactName, email: dispute.contactEmail },
        template: "notification",
        caseId: kase.id,
        props: {
          title: `Your comment on the ${listNoun[dispute.kind]} was answered`,
          recipientName: dispute.contactName,
          paragraphs: [`${dispute.itemLabel}`, `You wrote: “${dispute.comment}”`, `Our answer: ${answer}`],
          action: { label: `Review the ${listNoun[dispute.kind]}`, url: `/portal/${kase.id}/lists/${dispute.kind}` },
        },
      });
    }
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "list.dispute_answered", payload: { kind: dispute.kind, disputeId: dispute.id, item: dispute.itemLabel, answer } },
    });
  });
}

/** A case's disputes (optionally of one list), newest first. Open ones have no answer yet. */
export async function listDisputesOf(executor: Executor, { caseId, kind }: { caseId: string; kind?: ListKind }) {
  return executor
    .select({
      id: listDisputes.id,
      kind: listVersions.kind,
      version: listVersions.version,
      itemId: listDisputes.itemId,
      itemLabel: listDisputes.itemLabel,
      comment: listDisputes.comment,
      contactLabel: listDisputes.contactLabel,
      createdAt: listDisputes.createdAt,
      answer: listDisputes.answer,
      answeredByLabel: listDisputes.answeredByLabel,
      answeredAt: listDisputes.answeredAt,
    })
    .from(listDisputes)
    .innerJoin(listVersions, eq(listVersions.id, listDisputes.versionId))
    .where(and(eq(listDisputes.caseId, caseId), kind ? eq(listVersions.kind, kind) : undefined))
    .orderBy(desc(listDisputes.createdAt));
}

/** Open (unanswered) disputes of many cases, for the checklist. */
export async function openDisputesOf(executor: Executor, { caseIds }: { caseIds: string[] }) {
  if (caseIds.length === 0) return [];
  return executor
    .select({
      caseId: listDisputes.caseId,
      kind: listVersions.kind,
      itemLabel: listDisputes.itemLabel,
      comment: listDisputes.comment,
      contactLabel: listDisputes.contactLabel,
    })
    .from(listDisputes)
    .innerJoin(listVersions, eq(listVersions.id, listDisputes.versionId))
    .where(and(inArray(listDisputes.caseId, caseIds), isNull(listDisputes.answeredAt)))
    .orderBy(asc(listDisputes.createdAt));
}

/** One acknowledgement with its version, for receipts; scoped to the case. */
export async function getAcknowledgement(executor: Executor, { caseId, acknowledgementId }: { caseId: string; acknowledgementId: string }) {
  const [row] = await executor
    .select({
      id: listAcknowledgements.id,
      contactLabel: listAcknowledgements.contactLabel,
      acknowledgedAt: listAcknowledgements.acknowledgedAt,
      ip: listAcknowledgements.ip,
      userAgent: listAcknowledgements.userAgent,
      supersededAt: listAcknowledgements.supersededAt,
      versionId: listVersions.id,
      kind: listVersions.kind,
      version: listVersions.version,
      sha256: listVersions.sha256,
      canonicalJson: listVersions.canonicalJson,
      publishedAt: listVersions.publishedAt,
      publishedByLabel: listVersions.publishedByLabel,
    })
    .from(listAcknowledgements)
    .innerJoin(listVersions, eq(listVersions.id, listAcknowledgements.versionId))
    .where(and(eq(listAcknowledgements.id, assertId(acknowledgementId, "Acknowledgement")), eq(listAcknowledgements.caseId, caseId)));
  if (!row) throw new NotFound("Acknowledgement not found");
  const consents = await executor
    .select({ itemId: listRetrievalConsents.hardwareItemId, earliestOn: listRetrievalConsents.earliestOn })
    .from(listRetrievalConsents)
    .where(and(eq(listRetrievalConsents.acknowledgementId, row.id), eq(listRetrievalConsents.caseId, caseId)));
  return { ...row, consents };
}

/** The acknowledgements of a case (one list or both), newest first, for the receipts list. */
export async function listAcknowledgementsOf(executor: Executor = db(), { caseId, kind }: { caseId: string; kind?: ListKind }) {
  return executor
    .select({
      id: listAcknowledgements.id,
      kind: listVersions.kind,
      version: listVersions.version,
      sha256: listVersions.sha256,
      contactLabel: listAcknowledgements.contactLabel,
      acknowledgedAt: listAcknowledgements.acknowledgedAt,
      supersededAt: listAcknowledgements.supersededAt,
    })
    .from(listAcknowledgements)
    .innerJoin(listVersions, eq(listVersions.id, listAcknowledgements.versionId))
    .where(and(eq(listAcknowledgements.caseId, caseId), kind ? eq(listVersions.kind, kind) : undefined))
    .orderBy(desc(listAcknowledgements.acknowledgedAt));
}
