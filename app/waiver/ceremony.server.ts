// The signing ceremony (ESIGN / UETA), signer side: read the waiver, consent to electronic records
// under the waiver's disclosure version, confirm identity with an emailed code (the route's
// step-up), then type a full name, draw or type a signature, state the intent and sign — or
// decline with a reason. Signing seals the PDF outside any transaction (so the audit trail's
// append lock is never held while rendering and signing) and stores it in a short one.
import { randomUUID } from "node:crypto";
import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { databaseHandle, db, type Executor, type Transaction } from "../../db/client";
import { caseContacts, cases, staffUsers, waiverConsents, waivers, waiverSignatures, waiverTextVersions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { appendCheckpoint, writeCheckpointFile } from "../audit/checkpoints.server";
import { inTransaction } from "../http/transaction.server";
import { assertId } from "../http/params.server";
import { InvalidInput, Forbidden, NotFound } from "../http/refusals.server";
import { contactRoleLabels } from "../cases/vocabulary";
import { config } from "../config.server";
import { logger } from "../log.server";
import { enqueueEmail } from "../mail/outbox.server";
import { CONTACT_STEP_UP_VALIDITY_MS } from "../portal/session.server";
import { signingCertificate } from "../signing/certificate.server";
import { signReceipt } from "../signing/receipt.server";
import { disclosureBlocks, INTENT_STATEMENT, type WaiverTerms, waiverBlocks } from "./document";
import { AlreadySignedError, ConsentRequiredError, SealingFailedError, SigningInProgressError } from "./errors.server";
import { renderSealedWaiver } from "./render.server";
import { isKnownTimeZone, isoUtc } from "./time";
import { getTextVersion, sha256Hex } from "./versions.server";
import { portalWaiverUrl, staffWaiverUrl } from "./paths";
import { noClaim, signingClaimHeld, thisSession } from "./signing-claim.server";
import { signedFilename } from "./waivers.server";

/**
 * How long one request may hold a waiver while it seals it. A process that dies frees it at once
 * (the claim is tied to its database session); this bounds only a live process that hangs.
 */
export const SIGNING_CLAIM_MS = 2 * 60_000;
const MAX_SIGNATURE_PNG_BYTES = 512 * 1024;

export interface Signer {
  contactId: string;
  role: "customer_signer" | "customer_viewer" | "provider";
}


// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The waiver a contact sees in the portal: the newest one that was sent (drafts are staff's
 * business). The signer's first look at a sent waiver is recorded: the certificate states it.
 */
export async function getPortalWaiver({ caseId, contact, actor }: { caseId: string; contact: Signer; actor: Actor }) {
  const kase = assertId(caseId, "Case");
  const [row] = await db()
    .select({
      id: waivers.id,
      status: waivers.status,
      sentAt: waivers.sentAt,
      signedAt: waivers.signedAt,
      declinedAt: waivers.declinedAt,
      withdrawnAt: waivers.withdrawnAt,
      declineReason: waivers.declineReason,
      firstViewedAt: waivers.firstViewedAt,
      signerContactId: waivers.signerContactId,
      terms: waivers.terms,
      unsignedSha256: waivers.unsignedSha256,
      templateVersionId: waivers.templateVersionId,
      signingInProgress: signingClaimHeld,
    })
    .from(waivers)
    // Sent at some point (a draft withdrawn before sending was never the parties' business).
    .where(and(eq(waivers.caseId, kase), isNotNull(waivers.sentAt)))
    .orderBy(desc(waivers.sentAt))
    .limit(1);
  const signedCopies = await db()
    .select({ waiverId: waiverSignatures.waiverId, signerName: waiverSignatures.signerName, signedAt: waiverSignatures.signedAt, sealedSha256: waiverSignatures.sealedSha256 })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.caseId, kase))
    .orderBy(desc(waiverSignatures.signedAt));
  if (!row || !row.terms || !row.templateVersionId) return { waiver: null, signedCopies };

  const isSigner = contact.role === "customer_signer" && row.signerContactId === contact.contactId;
  if (isSigner && row.status === "sent" && !row.firstViewedAt) {
    await inTransaction(async (tx) => {
      // Only the first view counts; a second tab racing this one updates nothing.
      const updated = await tx
        .update(waivers)
        .set({ firstViewedAt: new Date() })
        .where(and(eq(waivers.id, row.id), eq(waivers.caseId, kase), eq(waivers.status, "sent"), isNull(waivers.firstViewedAt)))
        .returning({ id: waivers.id });
      if (updated.length === 1) {
        await recordAudit(tx, { actor, caseId: kase, event: { action: "waiver.viewed", payload: { waiverId: row.id, contactId: contact.contactId } } });
      }
    });
  }
  const terms = row.terms as WaiverTerms;
  const template = await getTextVersion(db(), row.templateVersionId);
  const [consent] = isSigner ? await liveConsents(db(), { waiverId: row.id, contactId: contact.contactId }) : [];
  const [signature] = await db()
    .select({ signerName: waiverSignatures.signerName, signedAt: waiverSignatures.signedAt, sealedSha256: waiverSignatures.sealedSha256, receiptJws: waiverSignatures.receiptJws })
    .from(waiverSignatures)
    .where(and(eq(waiverSignatures.waiverId, row.id), eq(waiverSignatures.caseId, kase)));
  return {
    waiver: {
      id: row.id,
      status: row.status,
      isSigner,
      signerName: terms.signer.name,
      sentAt: row.sentAt,
      declinedAt: row.declinedAt,
      withdrawnAt: row.withdrawnAt,
      declineReason: isSigner ? row.declineReason : null,
      signingInProgress: row.signingInProgress,
      unsignedSha256: row.unsignedSha256!,
      backupsStopAfter: terms.backupsStopAfter,
      templateVersion: terms.template.version,
      blocks: waiverBlocks(template.body, terms),
      consentedAt: consent?.consentedAt ?? null,
      signature: signature ?? null,
    },
    signedCopies,
  };
}

function liveConsents(executor: Executor, { waiverId, contactId }: { waiverId: string; contactId: string }) {
  return executor
    .select({ id: waiverConsents.id, consentedAt: waiverConsents.consentedAt, disclosureVersionId: waiverConsents.disclosureVersionId })
    .from(waiverConsents)
    .where(and(eq(waiverConsents.waiverId, waiverId), eq(waiverConsents.contactId, contactId), isNull(waiverConsents.withdrawnAt)));
}

/** The waiver open for this signer's signature, or a NotFound: only the named signer of a sent waiver gets further. */
async function openWaiverFor(executor: Executor, { caseId, contactId, waiverId }: { caseId: string; contactId: string; waiverId?: string }) {
  const kase = assertId(caseId, "Case");
  const query = executor
    .select({
      id: waivers.id,
      status: waivers.status,
      signerContactId: waivers.signerContactId,
      disclosureVersionId: waivers.disclosureVersionId,
      terms: waivers.terms,
      unsignedSha256: waivers.unsignedSha256,
      signingInProgress: signingClaimHeld,
    })
    .from(waivers)
    .where(
      and(
        eq(waivers.caseId, kase),
        waiverId ? eq(waivers.id, assertId(waiverId, "Waiver")) : eq(waivers.status, "sent"),
      ),
    )
    .orderBy(desc(waivers.sentAt))
    .limit(1);
  const [row] = await query;
  if (!row || !row.terms || !row.disclosureVersionId) throw new NotFound("There is no waiver waiting for your signature.");
  if (row.signerContactId !== contactId) throw new Forbidden("This waiver is for another signer.");
  return { ...row, terms: row.terms as WaiverTerms, disclosureVersionId: row.disclosureVersionId };
}

/** The sent waiver awaiting this signer (for the decline page). */
export async function getOpenWaiverForSigner({ caseId, contactId }: { caseId: string; contactId: string }) {
  const waiver = await openWaiverFor(db(), { caseId, contactId });
  if (waiver.status !== "sent") throw new NotFound("There is no waiver waiting for your signature.");
  return { waiverId: waiver.id, customerName: waiver.terms.customer.name, mspName: waiver.terms.msp.name, providerName: waiver.terms.provider.name };
}

/** The disclosure the signer consents to: the version pinned when the waiver was sent. */
export async function getConsentStep({ caseId, contactId }: { caseId: string; contactId: string }) {
  const waiver = await openWaiverFor(db(), { caseId, contactId });
  if (waiver.status !== "sent") throw new NotFound("There is no waiver waiting for your signature.");
  const disclosure = await getTextVersion(db(), waiver.disclosureVersionId);
  const [consent] = await liveConsents(db(), { waiverId: waiver.id, contactId });
  return {
    waiverId: waiver.id,
    disclosure: {
      version: disclosure.version,
      sha256: disclosure.sha256,
      blocks: disclosureBlocks(disclosure.body, {
        mspName: waiver.terms.msp.name,
        mspContactEmail: waiver.terms.msp.contactEmail,
        customerName: waiver.terms.customer.name,
        caseReference: waiver.terms.caseReference,
      }),
    },
    consentedAt: consent?.consentedAt ?? null,
  };
}

/** What the signing page shows; refuses before consent, so the steps happen in order. */
export async function getSigningStep({ caseId, contactId }: { caseId: string; contactId: string }) {
  const waiver = await openWaiverFor(db(), { caseId, contactId });
  if (waiver.status === "signed") throw new AlreadySignedError(caseId);
  if (waiver.status !== "sent") throw new NotFound("There is no waiver waiting for your signature.");
  const [consent] = await liveConsents(db(), { waiverId: waiver.id, contactId });
  if (!consent || consent.disclosureVersionId !== waiver.disclosureVersionId) throw new ConsentRequiredError(caseId);
  return {
    waiverId: waiver.id,
    documentSha256: waiver.unsignedSha256!,
    signerName: waiver.terms.signer.name,
    customerName: waiver.terms.customer.name,
    mspName: waiver.terms.msp.name,
    backupsStopAfter: waiver.terms.backupsStopAfter,
    jobCount: waiver.terms.jobs.length,
    intentStatement: INTENT_STATEMENT,
    signingInProgress: waiver.signingInProgress,
  };
}

// ---------------------------------------------------------------------------------------------
// Consent

async function lockSentWaiver(tx: Transaction, { caseId, contactId, waiverId }: { caseId: string; contactId: string; waiverId: string }) {
  const [row] = await tx
    .select({
      id: waivers.id,
      status: waivers.status,
      signerContactId: waivers.signerContactId,
      disclosureVersionId: waivers.disclosureVersionId,
      terms: waivers.terms,
      unsignedSha256: waivers.unsignedSha256,
      sentAt: waivers.sentAt,
      firstViewedAt: waivers.firstViewedAt,
      templateVersionId: waivers.templateVersionId,
      signingInProgress: signingClaimHeld,
      caseStatus: cases.status,
      responsibleEngineerId: cases.responsibleEngineerId,
    })
    .from(waivers)
    .innerJoin(cases, eq(cases.id, waivers.caseId))
    .where(and(eq(waivers.id, assertId(waiverId, "Waiver")), eq(waivers.caseId, assertId(caseId, "Case"))))
    .for("update", { of: waivers });
  if (!row || !row.terms) throw new NotFound("Waiver not found");
  if (row.signerContactId !== contactId) throw new Forbidden("This waiver is for another signer.");
  if (row.status === "signed") throw new AlreadySignedError(caseId);
  if (row.status !== "sent" || row.caseStatus !== "open") {
    throw new InvalidInput({ form: "This waiver is no longer open for signature. Reload the page to see where it stands." });
  }
  return { ...row, terms: row.terms as WaiverTerms };
}

/**
 * Records the signer's consent to electronic records and signatures, naming the disclosure version
 * and the SHA-256 of the text they were shown (sent back by the form, so a text published in the
 * meantime cannot be consented to unseen).
 */
export async function giveConsent({
  actor,
  caseId,
  contactId,
  waiverId,
  disclosureSha256,
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  waiverId: string;
  disclosureSha256: string;
}) {
  return inTransaction(async (tx) => {
    const waiver = await lockSentWaiver(tx, { caseId, contactId, waiverId });
    const disclosure = await getTextVersion(tx, waiver.disclosureVersionId!);
    if (disclosure.sha256 !== disclosureSha256) {
      throw new InvalidInput({ form: "The disclosure you read is not the one for this waiver. Reload the page and read it again." });
    }
    const [existing] = await liveConsents(tx, { waiverId: waiver.id, contactId });
    if (existing) return { consentedAt: existing.consentedAt };
    const [consent] = await tx
      .insert(waiverConsents)
      .values({
        waiverId: waiver.id,
        caseId: assertId(caseId),
        contactId,
        disclosureVersionId: disclosure.id,
        disclosureSha256: disclosure.sha256,
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
      })
      .returning({ consentedAt: waiverConsents.consentedAt });
    await recordAudit(tx, {
      actor,
      caseId: assertId(caseId),
      event: {
        action: "waiver.consent_given",
        payload: { waiverId: waiver.id, contactId, disclosureVersion: disclosure.version, disclosureSha256: disclosure.sha256 },
      },
    });
    return { consentedAt: consent!.consentedAt };
  });
}

/** Withdraws consent before signing: the waiver can then only be signed on paper. The engineer is told. */
export async function withdrawConsent({ actor, caseId, contactId, waiverId }: { actor: Actor; caseId: string; contactId: string; waiverId: string }) {
  return inTransaction(async (tx) => {
    const waiver = await lockSentWaiver(tx, { caseId, contactId, waiverId });
    if (waiver.signingInProgress) throw new SigningInProgressError();
    const withdrawn = await tx
      .update(waiverConsents)
      .set({ withdrawnAt: new Date() })
      .where(and(eq(waiverConsents.waiverId, waiver.id), eq(waiverConsents.contactId, contactId), isNull(waiverConsents.withdrawnAt)))
      .returning({ disclosureVersionId: waiverConsents.disclosureVersionId });
    if (withdrawn.length === 0) return;
    const disclosure = await getTextVersion(tx, withdrawn[0]!.disclosureVersionId);
    const engineer = await responsibleEngineer(tx, waiver.responsibleEngineerId);
    const terms = waiver.terms;
    if (engineer) {
      await enqueueEmail(tx, {
        to: engineer,
        caseId: assertId(caseId),
        template: "notification",
        props: {
          title: `${terms.signer.name} withdrew consent to sign electronically (${terms.caseReference})`,
          recipientName: engineer.name,
          paragraphs: [
            `${terms.signer.name} withdrew their consent to electronic records and signatures for the backup release of ${terms.customer.name}.`,
            "The waiver can no longer be signed in the portal unless they consent again. Arrange a paper signature, or withdraw the waiver. The backup jobs keep running until then.",
          ],
          action: { label: "Open the waiver", url: staffWaiverUrl(assertId(caseId)) },
        },
      });
    }
    await recordAudit(tx, {
      actor,
      caseId: assertId(caseId),
      event: { action: "waiver.consent_withdrawn", payload: { waiverId: waiver.id, contactId, disclosureVersion: disclosure.version } },
    });
  });
}

async function responsibleEngineer(executor: Executor, staffId: string) {
  const [row] = await executor
    .select({ name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(and(eq(staffUsers.id, staffId), isNull(staffUsers.deactivatedAt)));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Declining

/** The signer declines, with a reason: the responsible engineer, MSP legal and the incoming provider are told. */
export async function declineWaiver({
  actor,
  caseId,
  contactId,
  waiverId,
  reason,
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  waiverId: string;
  reason: string;
}) {
  const kase = assertId(caseId, "Case");
  return inTransaction(async (tx) => {
    const waiver = await lockSentWaiver(tx, { caseId: kase, contactId, waiverId });
    if (waiver.signingInProgress) throw new SigningInProgressError();
    const now = new Date();
    await tx
      .update(waivers)
      .set({ status: "declined", declinedAt: now, declineReason: reason, updatedAt: now })
      .where(and(eq(waivers.id, waiver.id), eq(waivers.caseId, kase)));
    const terms = waiver.terms;
    const [engineer, legal, providers] = await Promise.all([
      responsibleEngineer(tx, waiver.responsibleEngineerId),
      tx
        .select({ name: staffUsers.name, email: staffUsers.email })
        .from(staffUsers)
        .where(and(eq(staffUsers.role, "legal"), isNull(staffUsers.deactivatedAt))),
      tx
        .select({ name: caseContacts.name, email: caseContacts.email })
        .from(caseContacts)
        .where(and(eq(caseContacts.caseId, kase), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt))),
    ]);
    const title = `${terms.customer.name} declined the backup release (${terms.caseReference})`;
    const staffParagraphs = [
      `${terms.signer.name} declined to sign the backup release and waiver for ${terms.customer.name}.`,
      `Reason given: ${reason}`,
      "The backup jobs named in it must keep running until the incoming provider's backup is verified or a new release is signed.",
    ];
    const staff = [...(engineer ? [engineer] : []), ...legal].filter(
      (person, index, all) => all.findIndex((other) => other.email.toLowerCase() === person.email.toLowerCase()) === index,
    );
    for (const person of staff) {
      await enqueueEmail(tx, {
        to: person,
        caseId: kase,
        template: "notification",
        props: { title, recipientName: person.name, paragraphs: staffParagraphs, action: { label: "Open the waiver", url: staffWaiverUrl(kase) } },
      });
    }
    for (const person of providers) {
      await enqueueEmail(tx, {
        to: person,
        caseId: kase,
        template: "notification",
        props: {
          title,
          recipientName: person.name,
          paragraphs: [
            `${terms.customer.name} declined to release ${terms.msp.name} from running its backups. ${terms.msp.name} keeps those backups running until your first backup of the same data is verified.`,
            `Reason given by the customer: ${reason}`,
          ],
          action: { label: "Open the handover portal", url: `/portal/${kase}` },
        },
      });
    }
    await recordAudit(tx, { actor, caseId: kase, event: { action: "waiver.declined", payload: { waiverId: waiver.id, contactId, reason } } });
  });
}

// ---------------------------------------------------------------------------------------------
// Signing

export interface SignatureInput {
  waiverId: string;
  /** SHA-256 of the unsigned waiver the signer was shown: signing a different version is refused. */
  documentSha256: string;
  fullName: string;
  method: "drawn" | "typed";
  /** A data URL (data:image/png;base64,…) from the signature pad, when drawn. */
  signatureImage?: string;
  /** The signer's IANA time zone as their browser reports it; the case's zone otherwise. */
  timeZone?: string;
}

/** "Emailed link + emailed code", as the certificate states it. */
export function describeAuthentication({ email, steppedUpAt }: { email: string; steppedUpAt: Date }) {
  return `Signed in with a single-use link emailed to ${email}; identity confirmed with a 6-digit code emailed to the same address, entered at ${isoUtc(steppedUpAt)} (UTC).`;
}

/** Decodes and checks a drawn signature: a PNG of sane size; never trusted further than that. */
export function decodeSignaturePng(dataUrl: string | undefined): Uint8Array {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl ?? "");
  const bytes = match ? Buffer.from(match[1]!, "base64") : Buffer.alloc(0);
  const isPng = bytes.length > 33 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = isPng ? bytes.readUInt32BE(16) : 0;
  const height = isPng ? bytes.readUInt32BE(20) : 0;
  if (!isPng || bytes.length > MAX_SIGNATURE_PNG_BYTES || width < 20 || height < 10 || width > 3000 || height > 1500) {
    throw new InvalidInput({ signatureImage: "The drawing could not be read. Clear it and draw again, or type your signature instead." });
  }
  return new Uint8Array(bytes);
}

export type SignResult = { status: "signed"; sealedSha256: string } | { status: "in_progress" };

/**
 * Signs and seals. Three steps:
 * 1. A short transaction checks the waiver (sent, this signer, consent under its disclosure, the
 *    document the signer saw), claims it for this request and records `waiver.signing_started`.
 *    That event is the audit head the certificate cites; the transaction commits at once.
 * 2. Outside any transaction: render the pages and the certificate from stored data, seal the PDF
 *    with the MSP's certificate, sign the JWS receipt.
 * 3. A short transaction stores the sealed bytes and their SHA-256 with the signature record, marks
 *    the waiver signed, queues the copies and records `waiver.signed`.
 * A second submit while the first holds the claim gets "in_progress"; the waiver_signatures
 * primary key makes a second seal impossible whatever happens.
 */
export async function signWaiver({
  actor,
  caseId,
  contactId,
  authentication,
  steppedUpAt,
  input,
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  authentication: string;
  steppedUpAt: Date;
  input: SignatureInput;
}): Promise<SignResult> {
  const kase = assertId(caseId, "Case");
  // The route's step-up guard asked for the code; this refuses a stale one even from other callers.
  if (Date.now() - steppedUpAt.getTime() > CONTACT_STEP_UP_VALIDITY_MS) {
    throw new InvalidInput({ form: "Your confirmation code has expired. Confirm it is you again, then sign." });
  }
  const fullName = input.fullName.trim().replace(/\s+/g, " ");
  const png = input.method === "drawn" ? decodeSignaturePng(input.signatureImage) : null;

  // The whole ceremony runs on one database session held for its duration: the claim names that
  // session, so it lasts exactly as long as this request can still finish the seal.
  return databaseHandle().withSession(async (session) => {
    // Step 1: check and claim.
    let claim: Awaited<ReturnType<typeof claimForSigning>>;
    try {
      claim = await inTransaction((tx) => claimForSigning(tx, { actor, caseId: kase, contactId, input, fullName }), session);
    } catch (error) {
      if (error instanceof SigningInProgressError) return { status: "in_progress" as const };
      throw error;
    }

    // Step 2: render and seal, holding no lock.
    let sealed: { pdf: Uint8Array; sha256: string; receipt: string; fingerprint: string };
    try {
      sealed = await sealSignature({ claim, input, png, fullName, authentication, actor });
    } catch (error) {
      await releaseClaim({ actor, caseId: kase, waiverId: claim.waiverId, token: claim.token, reason: (error as Error).message });
      logger.error({ err: error, waiverId: claim.waiverId }, "sealing a signed waiver failed");
      throw new SealingFailedError("The signature could not be sealed.", { cause: error });
    }

    // Step 3: store.
    try {
      const checkpoint = await inTransaction(
        (tx) => storeSeal(tx, { actor, caseId: kase, contactId, claim, sealed, input, png, fullName, authentication }),
        session,
      );
      if (checkpoint) writeCheckpointFile(checkpoint);
    } catch (error) {
      if (error instanceof SigningInProgressError) return { status: "in_progress" as const };
      await releaseClaim({ actor, caseId: kase, waiverId: claim.waiverId, token: claim.token, reason: (error as Error).message });
      throw error;
    }
    return { status: "signed" as const, sealedSha256: sealed.sha256 };
  });
}

async function sealSignature({
  claim,
  input,
  png,
  fullName,
  authentication,
  actor,
}: {
  claim: Awaited<ReturnType<typeof claimForSigning>>;
  input: SignatureInput;
  png: Uint8Array | null;
  fullName: string;
  authentication: string;
  actor: Actor;
}) {
  const certificate = signingCertificate(claim.signedAt);
  const pdf = await renderSealedWaiver({
    template: claim.templateBody,
    terms: claim.terms,
    signature: { method: input.method, png, typedName: fullName, signedAt: claim.signedAt, timeZone: claim.timeZone },
    completion: {
      unsignedSha256: claim.unsignedSha256,
      signerEmail: claim.terms.signer.email,
      signerRole: `${contactRoleLabels.customer_signer} for ${claim.terms.customer.name}${claim.terms.signer.jobTitle ? ` (${claim.terms.signer.jobTitle})` : ""}`,
      authentication,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      timeZoneSource: claim.timeZoneSource,
      times: { sent: claim.sentAt, firstViewed: claim.firstViewedAt, consented: claim.consentedAt, signed: claim.signedAt },
      intentStatement: INTENT_STATEMENT,
      auditHead: claim.auditHead,
      certificate: { subject: certificate.subject, fingerprint: certificate.fingerprint, selfSigned: certificate.selfSigned },
      verifyUrl: `${config().HANDOVER_PUBLIC_URL}/verify`,
    },
  });
  const sha256 = sha256Hex(pdf);
  const receipt = await signReceipt({
    iss: config().HANDOVER_PUBLIC_URL,
    documentId: claim.waiverId,
    sha256,
    signer: { name: fullName, email: claim.terms.signer.email },
    signedAt: claim.signedAt.toISOString(),
  });
  return { pdf, sha256, receipt, fingerprint: certificate.fingerprint };
}

async function claimForSigning(
  tx: Transaction,
  { actor, caseId, contactId, input, fullName }: { actor: Actor; caseId: string; contactId: string; input: SignatureInput; fullName: string },
) {
  const waiver = await lockSentWaiver(tx, { caseId, contactId, waiverId: input.waiverId });
  if (waiver.signingInProgress) throw new SigningInProgressError();
  if (input.documentSha256 !== waiver.unsignedSha256) {
    throw new InvalidInput({ form: "The waiver you read is not the one open for signature. Reload the page and read it again." });
  }
  const [consent] = await tx
    .select({ consentedAt: waiverConsents.consentedAt })
    .from(waiverConsents)
    .where(
      and(
        eq(waiverConsents.waiverId, waiver.id),
        eq(waiverConsents.contactId, contactId),
        eq(waiverConsents.disclosureVersionId, waiver.disclosureVersionId!),
        isNull(waiverConsents.withdrawnAt),
      ),
    );
  if (!consent) throw new ConsentRequiredError(caseId);
  const [template] = await tx.select({ body: waiverTextVersions.body }).from(waiverTextVersions).where(eq(waiverTextVersions.id, waiver.templateVersionId!));
  const browserZone = input.timeZone && isKnownTimeZone(input.timeZone) ? input.timeZone : null;
  const token = randomUUID();
  const signedAt = new Date();
  await tx
    .update(waivers)
    .set({ signingToken: token, signingClaimedUntil: new Date(signedAt.getTime() + SIGNING_CLAIM_MS), ...thisSession })
    .where(and(eq(waivers.id, waiver.id), eq(waivers.caseId, caseId)));
  const auditHead = await recordAudit(tx, {
    actor,
    caseId,
    event: {
      action: "waiver.signing_started",
      payload: {
        waiverId: waiver.id,
        contactId,
        typedName: fullName,
        method: input.method,
        unsignedSha256: waiver.unsignedSha256!,
        timeZone: browserZone ?? waiver.terms.timeZone,
      },
    },
  });
  return {
    token,
    waiverId: waiver.id,
    terms: waiver.terms,
    templateBody: template!.body,
    unsignedSha256: waiver.unsignedSha256!,
    sentAt: waiver.sentAt!,
    firstViewedAt: waiver.firstViewedAt,
    consentedAt: consent.consentedAt,
    signedAt,
    timeZone: browserZone ?? waiver.terms.timeZone,
    timeZoneSource: browserZone ? ("browser" as const) : ("case" as const),
    auditHead,
    responsibleEngineerId: waiver.responsibleEngineerId,
  };
}

async function storeSeal(
  tx: Transaction,
  {
    actor,
    caseId,
    contactId,
    claim,
    sealed,
    input,
    png,
    fullName,
    authentication,
  }: {
    actor: Actor;
    caseId: string;
    contactId: string;
    claim: Awaited<ReturnType<typeof claimForSigning>>;
    sealed: { pdf: Uint8Array; sha256: string; receipt: string; fingerprint: string };
    input: SignatureInput;
    png: Uint8Array | null;
    fullName: string;
    authentication: string;
  },
) {
  // Only the holder of the claim may finish: a request whose claim expired and was taken over stops here.
  const marked = await tx
    .update(waivers)
    .set({ status: "signed", signedAt: claim.signedAt, ...noClaim, updatedAt: new Date() })
    .where(and(eq(waivers.id, claim.waiverId), eq(waivers.caseId, caseId), eq(waivers.status, "sent"), eq(waivers.signingToken, claim.token)))
    .returning({ id: waivers.id });
  if (marked.length === 0) throw new SigningInProgressError();
  await tx.insert(waiverSignatures).values({
    waiverId: claim.waiverId,
    caseId,
    contactId,
    signerName: fullName,
    signerEmail: claim.terms.signer.email,
    method: input.method,
    drawnSignature: png,
    intentStatement: INTENT_STATEMENT,
    authentication,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    timeZone: claim.timeZone,
    signedAt: claim.signedAt,
    auditHeadSeq: claim.auditHead.seq,
    auditHeadHash: claim.auditHead.hash,
    unsignedSha256: claim.unsignedSha256,
    sealedPdf: sealed.pdf,
    sealedSha256: sealed.sha256,
    sealedAt: new Date(),
    certificateFingerprint: sealed.fingerprint,
    receiptJws: sealed.receipt,
  });

  // The signed copy goes to the signer, the responsible engineer and the incoming provider's contacts.
  const terms = claim.terms;
  const [engineer, providers] = await Promise.all([
    responsibleEngineer(tx, claim.responsibleEngineerId),
    tx
      .select({ name: caseContacts.name, email: caseContacts.email })
      .from(caseContacts)
      .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt))),
  ]);
  const attachment = { filename: signedFilename(terms.caseReference), contentType: "application/pdf", content: sealed.pdf };
  const recipients = [
    { person: { name: terms.signer.name, email: terms.signer.email }, audience: "signer" as const, url: portalWaiverUrl(caseId) },
    ...(engineer ? [{ person: engineer, audience: "msp" as const, url: staffWaiverUrl(caseId) }] : []),
    ...providers.map((person) => ({ person, audience: "provider" as const, url: portalWaiverUrl(caseId) })),
  ];
  for (const { person, audience, url } of recipients) {
    await enqueueEmail(tx, {
      to: person,
      caseId,
      template: "waiver-signed",
      attachments: [attachment],
      props: {
        recipientName: person.name,
        audience,
        customerName: terms.customer.name,
        caseReference: terms.caseReference,
        signerName: fullName,
        signedAt: claim.signedAt,
        timeZone: claim.timeZone,
        documentId: claim.waiverId,
        sealedSha256: sealed.sha256,
        downloadUrl: url,
      },
    });
  }
  // Last, so the audit trail's append lock is held only until this short transaction commits.
  await recordAudit(tx, {
    actor,
    caseId,
    event: {
      action: "waiver.signed",
      payload: {
        waiverId: claim.waiverId,
        contactId,
        unsignedSha256: claim.unsignedSha256,
        sealedSha256: sealed.sha256,
        auditHeadSeq: claim.auditHead.seq,
        certificateFingerprint: sealed.fingerprint,
        jobIds: terms.jobs.map((job) => job.id),
      },
    },
  });
  // A signed checkpoint of the head that now includes the signature, in the same transaction.
  return appendCheckpoint(tx, { reason: "waiver_sealed" });
}

/** Frees a claim after a failure, so the signer can try again at once; recorded with the reason. */
async function releaseClaim({ actor, caseId, waiverId, token, reason }: { actor: Actor; caseId: string; waiverId: string; token: string; reason: string }) {
  try {
    await inTransaction(async (tx) => {
      const released = await tx
        .update(waivers)
        .set(noClaim)
        .where(and(eq(waivers.id, waiverId), eq(waivers.caseId, caseId), eq(waivers.signingToken, token)))
        .returning({ id: waivers.id });
      if (released.length === 0) return;
      await recordAudit(tx, { actor, caseId, event: { action: "waiver.signing_failed", payload: { waiverId, reason: reason.slice(0, 300) } } });
    });
  } catch (error) {
    // The claim then simply expires; the original failure is what the person must hear about.
    logger.error({ err: error, waiverId }, "could not release a signing claim");
  }
}
