// The backup release waiver, staff side: prepare a draft (signer, stop date, jobs released, the
// disposition of every historical backup set), send it — which freezes its terms, pins the
// published texts and stores the PDF the signer will see — or withdraw it. Every change runs in
// changeOpenCase (role, case lock, closed-case check) with its audit event and emails.
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor, type Transaction } from "../../db/client";
import {
  backupJobs,
  backupSets,
  caseContacts,
  cases,
  mspProfile,
  staffUsers,
  waiverBackupJobs,
  waiverBackupSets,
  waiverConsents,
  waivers,
  waiverSignatures,
} from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "../cases/access.server";
import { inTransaction } from "../http/transaction.server";
import { backupSetColumns } from "../cases/backups.server";
import { todayIn } from "../cases/dates";
import { assertId } from "../http/params.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import { formatLongDate } from "../cases/format";
import { enqueueEmail } from "../mail/outbox.server";
import type { WaiverTerms } from "./document";
import { portalWaiverUrl } from "./paths";
import { renderUnsignedWaiver } from "./render.server";
import { type SetDispositionInput, waiverDraftInput } from "./schemas";
import { currentText, sha256Hex } from "./versions.server";
import { signingClaimHeld } from "./signing-claim.server";

export type WaiverStatus = (typeof waivers.status.enumValues)[number];

export const waiverStatusLabels: Record<WaiverStatus, string> = {
  draft: "Draft",
  sent: "Awaiting signature",
  signed: "Signed",
  declined: "Declined",
  withdrawn: "Withdrawn",
};



// ---------------------------------------------------------------------------------------------
// Reading

/** Every waiver of a case, newest first, with what the staff page shows about each. */
export async function listCaseWaivers({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const rows = await db()
    .select({
      id: waivers.id,
      status: waivers.status,
      backupsStopAfter: waivers.backupsStopAfter,
      createdAt: waivers.createdAt,
      sentAt: waivers.sentAt,
      firstViewedAt: waivers.firstViewedAt,
      signedAt: waivers.signedAt,
      declinedAt: waivers.declinedAt,
      withdrawnAt: waivers.withdrawnAt,
      declineReason: waivers.declineReason,
      withdrawReason: waivers.withdrawReason,
      unsignedSha256: waivers.unsignedSha256,
      signingInProgress: signingClaimHeld,
      signerName: caseContacts.name,
      signerEmail: caseContacts.email,
      preparedBy: staffUsers.name,
      templateVersion: sql<number | null>`(select version from waiver_text_versions v where v.id = ${waivers.templateVersionId})`,
      disclosureVersion: sql<number | null>`(select version from waiver_text_versions v where v.id = ${waivers.disclosureVersionId})`,
      sealedSha256: waiverSignatures.sealedSha256,
      sealedAt: waiverSignatures.sealedAt,
      signedName: waiverSignatures.signerName,
      receiptJws: waiverSignatures.receiptJws,
    })
    .from(waivers)
    .innerJoin(staffUsers, eq(staffUsers.id, waivers.preparedById))
    .leftJoin(caseContacts, eq(caseContacts.id, waivers.signerContactId))
    .leftJoin(waiverSignatures, eq(waiverSignatures.waiverId, waivers.id))
    .where(eq(waivers.caseId, id))
    .orderBy(desc(waivers.createdAt));
  const ids = rows.map((row) => row.id);
  const [jobs, consents] = ids.length
    ? await Promise.all([
        db()
          .select({ waiverId: waiverBackupJobs.waiverId, system: backupJobs.system })
          .from(waiverBackupJobs)
          .innerJoin(backupJobs, eq(backupJobs.id, waiverBackupJobs.backupJobId))
          .where(inArray(waiverBackupJobs.waiverId, ids))
          .orderBy(backupJobs.system),
        db()
          .select({ waiverId: waiverConsents.waiverId, consentedAt: waiverConsents.consentedAt })
          .from(waiverConsents)
          .where(and(inArray(waiverConsents.waiverId, ids), isNull(waiverConsents.withdrawnAt))),
      ])
    : [[], []];
  return rows.map((row) => ({
    ...row,
    jobs: jobs.filter((job) => job.waiverId === row.id).map((job) => job.system),
    consentedAt: consents.find((consent) => consent.waiverId === row.id)?.consentedAt ?? null,
  }));
}
export type CaseWaiverRow = Awaited<ReturnType<typeof listCaseWaivers>>[number];

/** What the prepare form offers: the case's signers, jobs and historical sets, and the open waiver's choices. */
export async function getWaiverDraftForm({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  const [kase] = await db().select({ timeZone: cases.timeZone, cutoverOn: cases.cutoverOn }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const [signers, jobs, sets, [open]] = await Promise.all([
    db()
      .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
      .from(caseContacts)
      .where(and(eq(caseContacts.caseId, id), eq(caseContacts.role, "customer_signer"), isNull(caseContacts.removedAt)))
      .orderBy(caseContacts.name),
    db()
      .select({ id: backupJobs.id, system: backupJobs.system, scope: backupJobs.scope, state: backupJobs.state })
      .from(backupJobs)
      .where(eq(backupJobs.caseId, id))
      .orderBy(backupJobs.system, backupJobs.createdAt),
    db()
      .select(backupSetColumns)
      .from(backupSets)
      .where(eq(backupSets.caseId, id))
      .orderBy(backupSets.description, backupSets.createdAt),
    db()
      .select({ id: waivers.id, status: waivers.status, signerContactId: waivers.signerContactId, backupsStopAfter: waivers.backupsStopAfter })
      .from(waivers)
      .where(and(eq(waivers.caseId, id), inArray(waivers.status, ["draft", "sent"])))
      .orderBy(desc(waivers.createdAt))
      .limit(1),
  ]);
  let chosen: { jobIds: string[]; sets: Map<string, { disposition: string; dispositionOn: string; handOverMethod: string | null }> } = {
    jobIds: [],
    sets: new Map(),
  };
  if (open) {
    const [jobRows, setRows] = await Promise.all([
      db().select({ id: waiverBackupJobs.backupJobId }).from(waiverBackupJobs).where(eq(waiverBackupJobs.waiverId, open.id)),
      db()
        .select({
          id: waiverBackupSets.backupSetId,
          disposition: waiverBackupSets.disposition,
          dispositionOn: waiverBackupSets.dispositionOn,
          handOverMethod: waiverBackupSets.handOverMethod,
        })
        .from(waiverBackupSets)
        .where(eq(waiverBackupSets.waiverId, open.id)),
    ]);
    chosen = { jobIds: jobRows.map((row) => row.id), sets: new Map(setRows.map((row) => [row.id, row])) };
  }
  return {
    timeZone: kase.timeZone,
    today: todayIn(kase.timeZone),
    cutoverOn: kase.cutoverOn,
    signers,
    jobs,
    open: open ?? null,
    values: {
      signerContactId: open?.signerContactId ?? signers[0]?.id ?? "",
      backupsStopAfter: open?.backupsStopAfter ?? kase.cutoverOn,
      // A new draft offers every job that still runs; a saved one shows what was chosen.
      jobIds: open ? chosen.jobIds : jobs.filter((job) => job.state !== "stopped").map((job) => job.id),
      sets: sets.map((set) => {
        const agreed = chosen.sets.get(set.id);
        return {
          ...set,
          disposition: agreed?.disposition ?? set.proposedDisposition ?? "",
          dispositionOn: agreed?.dispositionOn ?? set.dispositionOn ?? "",
          handOverMethod: agreed?.handOverMethod ?? set.handOverMethod ?? "",
        };
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Drafts

async function lockOpenWaiver(tx: Transaction, caseId: string) {
  const [row] = await tx
    .select({ id: waivers.id, status: waivers.status, signingInProgress: signingClaimHeld })
    .from(waivers)
    .where(and(eq(waivers.caseId, caseId), inArray(waivers.status, ["draft", "sent"])))
    .orderBy(desc(waivers.createdAt))
    .limit(1)
    .for("update");
  return row ?? null;
}

/**
 * Creates the case's draft waiver, or replaces the choices of the existing draft. One waiver is
 * open (draft or sent) per case at a time: a sent one must be withdrawn before a new draft.
 */
export async function saveWaiverDraft({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: unknown;
}): Promise<{ waiverId: string }> {
  const parsed = waiverDraftInput.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInput(Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join(".") || "form", issue.message])));
  }
  const values = parsed.data;
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [facts] = await tx.select({ timeZone: cases.timeZone }).from(cases).where(eq(cases.id, kase.id));
    if (values.backupsStopAfter < todayIn(facts!.timeZone)) {
      throw new InvalidInput({ backupsStopAfter: "The stop date cannot be in the past." });
    }
    const [signer] = await tx
      .select({ id: caseContacts.id })
      .from(caseContacts)
      .where(
        and(
          eq(caseContacts.id, values.signerContactId),
          eq(caseContacts.caseId, kase.id),
          eq(caseContacts.role, "customer_signer"),
          isNull(caseContacts.removedAt),
        ),
      );
    if (!signer) throw new InvalidInput({ signerContactId: "Choose a customer signer of this case." });
    const jobIds = [...new Set(values.jobIds)];
    const jobs = await tx
      .select({ id: backupJobs.id, state: backupJobs.state })
      .from(backupJobs)
      .where(and(eq(backupJobs.caseId, kase.id), inArray(backupJobs.id, jobIds)));
    if (jobs.length !== jobIds.length) throw new InvalidInput({ jobIds: "Choose backup jobs of this case." });
    if (jobs.some((job) => job.state === "stopped")) throw new InvalidInput({ jobIds: "A job that has already stopped needs no release." });
    const caseSets = await tx.select({ id: backupSets.id }).from(backupSets).where(eq(backupSets.caseId, kase.id));
    const given = new Map(values.sets.map((set) => [set.setId, set]));
    const missing = caseSets.filter((set) => !given.has(set.id));
    if (missing.length > 0 || given.size !== caseSets.length) {
      throw new InvalidInput({
        form: "Every historical backup set of the case needs its disposition in the waiver. Reload the page to see them all.",
      });
    }

    const open = await lockOpenWaiver(tx, kase.id);
    if (open?.status === "sent") {
      throw new InvalidInput({ form: "A waiver has been sent for signature. Withdraw it before preparing a new one." });
    }
    let waiverId: string;
    if (open) {
      waiverId = open.id;
      await tx
        .update(waivers)
        .set({ backupsStopAfter: values.backupsStopAfter, signerContactId: signer.id, updatedAt: new Date() })
        .where(and(eq(waivers.id, waiverId), eq(waivers.caseId, kase.id)));
      await tx.delete(waiverBackupJobs).where(eq(waiverBackupJobs.waiverId, waiverId));
      await tx.delete(waiverBackupSets).where(eq(waiverBackupSets.waiverId, waiverId));
    } else {
      const [created] = await tx
        .insert(waivers)
        .values({
          caseId: kase.id,
          status: "draft",
          backupsStopAfter: values.backupsStopAfter,
          signerContactId: signer.id,
          preparedById: actorStaffId(actor, kase.responsibleEngineerId),
        })
        .returning({ id: waivers.id });
      waiverId = created!.id;
    }
    await tx.insert(waiverBackupJobs).values(jobIds.map((backupJobId) => ({ waiverId, backupJobId })));
    const sets: SetDispositionInput[] = values.sets;
    if (sets.length > 0) {
      await tx.insert(waiverBackupSets).values(
        sets.map((set) => ({
          waiverId,
          backupSetId: set.setId,
          disposition: set.disposition,
          dispositionOn: set.dispositionOn,
          handOverMethod: set.handOverMethod,
        })),
      );
    }
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "waiver.draft_saved",
        payload: { waiverId, signerContactId: signer.id, backupsStopAfter: values.backupsStopAfter, jobIds, sets: sets.map((set) => ({ ...set })) },
      },
    });
    return { waiverId };
  });
}

/** Staff prepare waivers; a system actor (demo seed, CLI) prepares in the name of the responsible engineer. */
const actorStaffId = (actor: Actor, fallback: string) => (actor.type === "staff" && actor.id ? actor.id : fallback);

// ---------------------------------------------------------------------------------------------
// Terms: what the document says, read from the case at the moment it is sent

async function buildTerms(
  executor: Executor,
  {
    waiverId,
    caseId,
    sentAt,
    template,
    disclosure,
  }: {
    waiverId: string;
    caseId: string;
    sentAt: Date | null;
    template: { version: number; sha256: string };
    disclosure: { version: number; sha256: string };
  },
): Promise<WaiverTerms> {
  const [row] = await executor
    .select({
      reference: cases.reference,
      customerName: cases.customerLegalName,
      customerAddress: cases.customerAddress,
      providerName: cases.incomingProviderName,
      timeZone: cases.timeZone,
      backupsStopAfter: waivers.backupsStopAfter,
      preparedBy: staffUsers.name,
      signerId: caseContacts.id,
      signerName: caseContacts.name,
      signerEmail: caseContacts.email,
      signerTitle: caseContacts.jobTitle,
      signerRemovedAt: caseContacts.removedAt,
    })
    .from(waivers)
    .innerJoin(cases, eq(cases.id, waivers.caseId))
    .innerJoin(staffUsers, eq(staffUsers.id, waivers.preparedById))
    .leftJoin(caseContacts, and(eq(caseContacts.id, waivers.signerContactId), eq(caseContacts.caseId, waivers.caseId)))
    .where(and(eq(waivers.id, waiverId), eq(waivers.caseId, caseId)));
  if (!row) throw new NotFound("Waiver not found");
  if (!row.signerId || row.signerRemovedAt) {
    throw new InvalidInput({ signerContactId: "The chosen signer is no longer a contact of this case. Choose another and save." });
  }
  // Read through the caller's executor: inside a transaction on embedded PGlite (one connection) a
  // query beside it would wait forever.
  const [msp] = await executor
    .select({ name: mspProfile.legalName, address: mspProfile.address, contactEmail: mspProfile.contactEmail, accentColor: mspProfile.accentColor })
    .from(mspProfile)
    .where(eq(mspProfile.id, 1));
  const [jobs, sets] = await Promise.all([
    executor
      .select({ id: backupJobs.id, system: backupJobs.system, scope: backupJobs.scope, schedule: backupJobs.schedule, retention: backupJobs.retention })
      .from(waiverBackupJobs)
      .innerJoin(backupJobs, and(eq(backupJobs.id, waiverBackupJobs.backupJobId), eq(backupJobs.caseId, caseId)))
      .where(eq(waiverBackupJobs.waiverId, waiverId))
      .orderBy(asc(backupJobs.system)),
    executor
      .select({
        id: backupSets.id,
        description: backupSets.description,
        location: backupSets.location,
        sizeGb: backupSets.sizeGb,
        disposition: waiverBackupSets.disposition,
        dispositionOn: waiverBackupSets.dispositionOn,
        handOverMethod: waiverBackupSets.handOverMethod,
      })
      .from(waiverBackupSets)
      .innerJoin(backupSets, and(eq(backupSets.id, waiverBackupSets.backupSetId), eq(backupSets.caseId, caseId)))
      .where(eq(waiverBackupSets.waiverId, waiverId))
      .orderBy(asc(backupSets.description)),
  ]);
  return {
    documentId: waiverId,
    caseReference: row.reference,
    msp: {
      name: msp?.name ?? "Handover",
      address: msp?.address ?? "",
      contactEmail: msp?.contactEmail ?? "",
      accentColor: msp?.accentColor ?? "#1d4ed8",
    },
    customer: { name: row.customerName, address: row.customerAddress },
    provider: { name: row.providerName },
    signer: { contactId: row.signerId, name: row.signerName!, email: row.signerEmail!, jobTitle: row.signerTitle ?? "" },
    backupsStopAfter: row.backupsStopAfter,
    timeZone: row.timeZone,
    jobs,
    sets: sets.map((set) => ({ ...set, sizeGb: Number(set.sizeGb) })),
    template,
    disclosure,
    preparedBy: row.preparedBy,
    sentAt: sentAt ? sentAt.toISOString() : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Sending and withdrawing

/**
 * Sends the draft to its signer. From here on what it says is fixed (the database refuses a
 * change): the terms, the published template and disclosure versions, and the unsigned PDF whose
 * SHA-256 the seal will cite.
 */
export async function sendWaiver({ actor, caseId, waiverId }: { actor: Actor; caseId: string; waiverId: string }) {
  const id = assertId(waiverId, "Waiver");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [waiver] = await tx
      .select({ status: waivers.status })
      .from(waivers)
      .where(and(eq(waivers.id, id), eq(waivers.caseId, kase.id)))
      .for("update");
    if (!waiver) throw new NotFound("Waiver not found");
    if (waiver.status !== "draft") throw new InvalidInput({ form: "Only a draft can be sent." });
    const [template, disclosure] = [await currentText(tx, "waiver_template"), await currentText(tx, "esign_disclosure")];
    const sentAt = new Date();
    const terms = await buildTerms(tx, {
      waiverId: id,
      caseId: kase.id,
      sentAt,
      template: { version: template.version, sha256: template.sha256 },
      disclosure: { version: disclosure.version, sha256: disclosure.sha256 },
    });
    if (terms.jobs.length === 0) throw new InvalidInput({ jobIds: "Choose at least one backup job to release." });
    const pdf = await renderUnsignedWaiver({ template: template.body, terms });
    const unsignedSha256 = sha256Hex(pdf);
    await tx
      .update(waivers)
      .set({
        status: "sent",
        sentAt,
        terms,
        unsignedPdf: pdf,
        unsignedSha256,
        templateVersionId: template.id,
        disclosureVersionId: disclosure.id,
        updatedAt: sentAt,
      })
      .where(and(eq(waivers.id, id), eq(waivers.caseId, kase.id)));
    await enqueueEmail(tx, {
      to: { name: terms.signer.name, email: terms.signer.email },
      caseId: kase.id,
      template: "waiver-request",
      props: {
        recipientName: terms.signer.name,
        customerName: terms.customer.name,
        caseReference: terms.caseReference,
        providerName: terms.provider.name,
        backupsStopAfter: formatLongDate(terms.backupsStopAfter),
        jobCount: terms.jobs.length,
        waiverUrl: portalWaiverUrl(kase.id),
      },
    });
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "waiver.sent",
        payload: {
          waiverId: id,
          signerContactId: terms.signer.contactId,
          templateVersion: template.version,
          disclosureVersion: disclosure.version,
          unsignedSha256,
          jobIds: terms.jobs.map((job) => job.id),
        },
      },
    });
    return { unsignedSha256 };
  });
}

/** Takes a draft or a sent waiver back. The signer of a sent one is told. */
export async function withdrawWaiver({ actor, caseId, waiverId, reason }: { actor: Actor; caseId: string; waiverId: string; reason: string }) {
  const id = assertId(waiverId, "Waiver");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [waiver] = await tx
      .select({ status: waivers.status, signingInProgress: signingClaimHeld, terms: waivers.terms, signerContactId: waivers.signerContactId })
      .from(waivers)
      .where(and(eq(waivers.id, id), eq(waivers.caseId, kase.id)))
      .for("update");
    if (!waiver) throw new NotFound("Waiver not found");
    if (waiver.status !== "draft" && waiver.status !== "sent") throw new InvalidInput({ form: "Only a draft or a sent waiver can be withdrawn." });
    if (waiver.signingInProgress) throw new InvalidInput({ form: "The signer is signing this waiver right now. Reload in a minute." });
    const now = new Date();
    await tx
      .update(waivers)
      .set({ status: "withdrawn", withdrawnAt: now, withdrawReason: reason, updatedAt: now })
      .where(and(eq(waivers.id, id), eq(waivers.caseId, kase.id)));
    if (waiver.status === "sent") {
      const terms = waiver.terms as WaiverTerms;
      await enqueueEmail(tx, {
        to: { name: terms.signer.name, email: terms.signer.email },
        caseId: kase.id,
        template: "notification",
        props: {
          title: `The backup release for ${terms.customer.name} was withdrawn`,
          recipientName: terms.signer.name,
          paragraphs: [
            `${terms.msp.name} withdrew the backup release it sent you on ${formatLongDate(terms.sentAt!.slice(0, 10))}. There is nothing for you to sign for now.`,
            `Reason given: ${reason}`,
          ],
          action: { label: "Open the handover portal", url: `/portal/${kase.id}` },
        },
      });
    }
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "waiver.withdrawn", payload: { waiverId: id, from: waiver.status, reason } } });
  });
}

// ---------------------------------------------------------------------------------------------
// PDFs for staff

/**
 * The unsigned PDF: as sent (the stored bytes the signer previews), or for a draft — staff only —
 * as it would be sent now.
 */
export async function waiverPreviewPdf({ actor, caseId, waiverId, allowDraft }: { actor: Actor; caseId: string; waiverId: string; allowDraft: boolean }) {
  const id = assertId(waiverId, "Waiver");
  const kase = assertId(caseId, "Case");
  const file = await renderWaiverPreview({ caseId: kase, waiverId: id, allowDraft });
  // Every copy handed out is recorded with the SHA-256 of its bytes: who saw which terms, and when.
  await inTransaction((tx) =>
    recordAudit(tx, {
      actor,
      caseId: kase,
      event: { action: "waiver.preview_downloaded", payload: { waiverId: id, asSent: file.asSent, sha256: sha256Hex(file.bytes), bytes: file.bytes.byteLength } },
    }),
  );
  return { bytes: file.bytes, filename: file.filename };
}

async function renderWaiverPreview({ caseId: kase, waiverId: id, allowDraft }: { caseId: string; waiverId: string; allowDraft: boolean }) {
  const [row] = await db()
    .select({ status: waivers.status, unsignedPdf: waivers.unsignedPdf, reference: cases.reference })
    .from(waivers)
    .innerJoin(cases, eq(cases.id, waivers.caseId))
    .where(and(eq(waivers.id, id), eq(waivers.caseId, kase)));
  if (!row) throw new NotFound("Waiver not found");
  if (row.unsignedPdf) return { bytes: row.unsignedPdf, filename: `backup-release-${row.reference}-as-sent.pdf`, asSent: true };
  if (row.status !== "draft" || !allowDraft) throw new NotFound("This waiver was never sent");
  const [template, disclosure] = [await currentText(db(), "waiver_template"), await currentText(db(), "esign_disclosure")];
  const terms = await buildTerms(db(), {
    waiverId: id,
    caseId: kase,
    sentAt: null,
    template: { version: template.version, sha256: template.sha256 },
    disclosure: { version: disclosure.version, sha256: disclosure.sha256 },
  });
  return { bytes: await renderUnsignedWaiver({ template: template.body, terms, draft: true }), filename: `backup-release-${row.reference}-draft.pdf`, asSent: false };
}

/**
 * The sealed PDF, for any party of the case (staff of any role, or any contact of the case). Every
 * download is recorded in the audit trail.
 */
export async function downloadSignedWaiver({ actor, caseId, waiverId }: { actor: Actor; caseId: string; waiverId: string }) {
  const id = assertId(waiverId, "Waiver");
  const kase = assertId(caseId, "Case");
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select({ pdf: waiverSignatures.sealedPdf, sha256: waiverSignatures.sealedSha256, reference: cases.reference })
      .from(waiverSignatures)
      .innerJoin(cases, eq(cases.id, waiverSignatures.caseId))
      .where(and(eq(waiverSignatures.waiverId, id), eq(waiverSignatures.caseId, kase)));
    if (!row) throw new NotFound("No signed copy of this waiver");
    await recordAudit(tx, { actor, caseId: kase, event: { action: "waiver.downloaded", payload: { waiverId: id, sealedSha256: row.sha256 } } });
    return { bytes: row.pdf, sha256: row.sha256, filename: signedFilename(row.reference) };
  });
}

export const signedFilename = (reference: string) => `backup-release-${reference}-signed.pdf`;
