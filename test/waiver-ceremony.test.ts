import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addBackupJob, setBackupJobState } from "../app/cases/backups.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { listCaseTimeline } from "../app/cases/timeline.server";
import { ConsentRequiredError } from "../app/waiver/errors.server";
import { declineWaiver, getPortalWaiver, withdrawConsent } from "../app/waiver/ceremony.server";
import { verifyFile, verifyHash } from "../app/waiver/verify.server";
import { publishText, currentText } from "../app/waiver/versions.server";
import { sendWaiver, downloadSignedWaiver } from "../app/waiver/waivers.server";
import { publicJwks, verifyReceipt } from "../app/signing/receipt.server";
import { auditEvents, outboxMessages, waiverSignatures, waivers } from "../db/schema";
import { testDb } from "./helpers/database";
import { latestEmailTo } from "./helpers/portal";
import { createTestStaff } from "./helpers/staff";
import {
  createWaiverCase,
  nameTheMsp,
  pdfText,
  pdfsig,
  sendAndConsent,
  signAsSigner,
  signerActor,
  tamperOneByte,
  unsignedSha256,
} from "./helpers/waiver";

const sealedOf = async (waiverId: string) => {
  const rows = await testDb()
    .select({ pdf: waiverSignatures.sealedPdf, sha256: waiverSignatures.sealedSha256, receipt: waiverSignatures.receiptJws })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.waiverId, waiverId));
  return rows;
};

describe("the signing ceremony", () => {
  it("refuses to sign before the signer consented to electronic records, and stores nothing", async () => {
    const fixture = await createWaiverCase();
    await sendWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
    await expect(signAsSigner(fixture)).rejects.toBeInstanceOf(ConsentRequiredError);
    expect(await sealedOf(fixture.waiverId)).toHaveLength(0);
    const [waiver] = await testDb().select({ status: waivers.status }).from(waivers).where(eq(waivers.id, fixture.waiverId));
    expect(waiver!.status).toBe("sent");
  });

  it("refuses again once consent is withdrawn, and tells the responsible engineer", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    await withdrawConsent({
      actor: signerActor(fixture),
      caseId: fixture.caseId,
      contactId: fixture.contacts.customer_signer.id,
      waiverId: fixture.waiverId,
    });
    await expect(signAsSigner(fixture)).rejects.toBeInstanceOf(ConsentRequiredError);
    const mail = await latestEmailTo(fixture.engineer.email);
    expect(mail!.subject).toContain("withdrew consent");
  });

  it("seals one PDF that pdfsig reports valid over the whole document, with a Unicode name and the certificate of completion", async () => {
    await nameTheMsp();
    const fixture = await createWaiverCase({ signerName: "Łukasz Müller-Øby" });
    await sendAndConsent(fixture);
    const result = await signAsSigner(fixture, { fullName: "Łukasz Müller-Øby", timeZone: "Europe/Warsaw" });
    expect(result.status).toBe("signed");

    const [sealed] = await sealedOf(fixture.waiverId);
    const report = pdfsig(sealed!.pdf);
    expect(report).toContain("Signature Validation: Signature is Valid.");
    expect(report).toContain("Total document signed");
    expect(report).toContain("adbe.pkcs7.detached");
    expect(report.match(/Signature #\d/g)).toHaveLength(1);

    const text = pdfText(sealed!.pdf);
    expect(text).toContain("Łukasz Müller-Øby");
    expect(text).toContain("Certificate of completion");
    expect(text).toContain(fixture.waiverId);
    expect(text).toContain(await unsignedSha256(fixture.waiverId));
    expect(text).toContain("Europe/Warsaw, the signer's time zone");
    expect(text).toContain("Europe/Warsaw");
    expect(text).toContain("203.0.113.7");
    expect(text).toMatch(/Audit trail head\s+Event #\d+/);
    expect(text).toMatch(/seal\s+over\s+Łukasz\s+Müller-Øby's\s+electronic\s+signature/);
    expect(text).toContain("Monthly images 2019–2025");

    // The audit head on the certificate is the last event before sealing: the signing_started event.
    const [started] = await testDb()
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.signing_started")));
    expect(text).toContain(`Event #${started!.seq}`);
    expect(text).toContain(started!.hash);
  });

  it("reports a one-byte change to the sealed PDF", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    await signAsSigner(fixture);
    const [sealed] = await sealedOf(fixture.waiverId);
    const report = pdfsig(tamperOneByte(sealed!.pdf));
    expect(report).not.toContain("Signature is Valid.");
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it("stores exactly one seal when the signer submits twice at once", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    const results = await Promise.all([signAsSigner(fixture), signAsSigner(fixture), signAsSigner(fixture)]);
    expect(results.filter((r) => r.status === "signed")).toHaveLength(1);
    expect(results.filter((r) => r.status === "in_progress")).toHaveLength(2);
    expect(await sealedOf(fixture.waiverId)).toHaveLength(1);
    const signedEvents = await testDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.signed")));
    expect(signedEvents).toHaveLength(1);
    const copies = await testDb()
      .select({ to: outboxMessages.recipientAddress })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.caseId, fixture.caseId), eq(outboxMessages.template, "waiver-signed")));
    // One copy each for the signer, the responsible engineer and the incoming provider.
    expect(copies.map((c) => c.to).sort()).toEqual(
      [fixture.contacts.customer_signer.email, fixture.engineer.email, fixture.contacts.provider.email].sort(),
    );
  });

  it("issues a JWS receipt over the sealed PDF's hash that verifies with the published key", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    await signAsSigner(fixture);
    const [sealed] = await sealedOf(fixture.waiverId);
    const payload = await verifyReceipt(sealed!.receipt);
    expect(payload).toMatchObject({ documentId: fixture.waiverId, sha256: sealed!.sha256, signer: { name: "Sam Signer" } });
    const header = JSON.parse(Buffer.from(sealed!.receipt.split(".")[0]!, "base64url").toString());
    expect(header.alg).toBe("ES256");
    expect((await publicJwks()).keys.map((key) => key.kid)).toContain(header.kid);
  });

  it("keeps the versions a waiver was sent under when newer texts are published", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    const before = await currentText(testDb(), "waiver_template");
    const legal = await createTestStaff({ role: "legal" });
    await publishText({
      actor: { type: "staff", id: legal.id, label: legal.name },
      kind: "waiver_template",
      body: `${before.body}\n## 9. Governing law\nThis release is governed by the law of England and Wales.\n`,
      note: "Governing law clause",
    });
    await signAsSigner(fixture);
    const [sealed] = await sealedOf(fixture.waiverId);
    const text = pdfText(sealed!.pdf);
    expect(text).not.toContain("Governing law");
    expect(text).toContain(`Version ${before.version}`);
    // And the signed waiver can no longer change at all.
    await expect(testDb().update(waivers).set({ backupsStopAfter: "2099-01-01" }).where(eq(waivers.id, fixture.waiverId))).rejects.toThrow();
  });

  it("lets the MSP stop exactly the jobs the signed waiver releases", async () => {
    const fixture = await createWaiverCase();
    const unreleased = await addBackupJob({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { system: "Veeam — QL-FS01", scope: "File shares", schedule: "Nightly", retention: "14 daily" },
    });
    await sendAndConsent(fixture);
    const stop = (jobId: string) => setBackupJobState({ actor: fixture.actor, caseId: fixture.caseId, jobId, state: "stopped" });
    await expect(stop(fixture.jobIds[0]!)).rejects.toThrow();
    await signAsSigner(fixture);
    await expect(stop(fixture.jobIds[0]!)).resolves.toEqual({ changed: true });
    await expect(stop(unreleased.id)).rejects.toThrow();
  });

  it("refuses to change what a sent waiver says", async () => {
    const fixture = await createWaiverCase();
    await sendWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
    await expect(
      testDb().update(waivers).set({ terms: sql`'{}'::jsonb` }).where(eq(waivers.id, fixture.waiverId)),
    ).rejects.toThrow();
  });

  it("lets the signer decline with a reason, which reaches the engineer, MSP legal and the incoming provider", async () => {
    const fixture = await createWaiverCase();
    const legal = await createTestStaff({ role: "legal" });
    await sendAndConsent(fixture);
    await declineWaiver({
      actor: signerActor(fixture),
      caseId: fixture.caseId,
      contactId: fixture.contacts.customer_signer.id,
      waiverId: fixture.waiverId,
      reason: "Our new provider needs one more week to verify its backups.",
    });
    for (const address of [fixture.engineer.email, legal.email, fixture.contacts.provider.email]) {
      const mail = await latestEmailTo(address);
      expect(mail?.subject).toContain("declined the backup release");
      expect(mail?.text).toContain("one more week");
    }
    await expect(signAsSigner(fixture)).rejects.toThrow("no longer open for signature");
  });

  it("records the signer's first view once, and shows the waiver to other parties without sign actions", async () => {
    const fixture = await createWaiverCase();
    await sendWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
    const signer = { contactId: fixture.contacts.customer_signer.id, role: "customer_signer" as const };
    const first = await getPortalWaiver({ caseId: fixture.caseId, contact: signer, actor: signerActor(fixture) });
    await getPortalWaiver({ caseId: fixture.caseId, contact: signer, actor: signerActor(fixture) });
    expect(first.waiver!.isSigner).toBe(true);
    const views = await testDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.viewed")));
    expect(views).toHaveLength(1);
    const provider = await getPortalWaiver({
      caseId: fixture.caseId,
      contact: { contactId: fixture.contacts.provider.id, role: "provider" },
      actor: signerActor(fixture),
    });
    expect(provider.waiver!.isSigner).toBe(false);
    expect(provider.waiver!.blocks.some((block) => block.kind === "backup-jobs")).toBe(true);
  });
});

describe("verification of sealed copies", () => {
  it("confirms the original, reports an altered copy as altered, and knows nothing of other files", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    await signAsSigner(fixture);
    const [sealed] = await sealedOf(fixture.waiverId);

    expect(await verifyFile(sealed!.pdf)).toMatchObject({ kind: "sealed", documentId: fixture.waiverId, signerName: "Sam Signer" });
    expect(await verifyHash(sealed!.sha256)).toMatchObject({ kind: "sealed", documentId: fixture.waiverId });
    expect(await verifyFile(tamperOneByte(sealed!.pdf))).toMatchObject({ kind: "altered", documentId: fixture.waiverId });
    expect(await verifyFile(new TextEncoder().encode("%PDF-1.7 something else"))).toMatchObject({ kind: "unknown" });
    expect(await verifyHash("0".repeat(64))).toMatchObject({ kind: "unknown" });
  });

  it("records every download of the signed copy", async () => {
    const fixture = await createWaiverCase();
    await sendAndConsent(fixture);
    await signAsSigner(fixture);
    const file = await downloadSignedWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
    expect(file.filename).toBe(`backup-release-${fixture.reference}-signed.pdf`);
    const downloads = await testDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.downloaded")));
    expect(downloads).toHaveLength(1);
  });
});

describe("the waiver on the case checklist", () => {
  const itemOf = async (caseId: string, id: string) => (await getCaseChecklist({ caseId })).items.find((item) => item.id === id)!;

  it("follows the release from draft to sent to signed, and counts the jobs it releases", async () => {
    const fixture = await createWaiverCase({ signerName: "Sam Signer" });
    expect(await itemOf(fixture.caseId, "waiver-release")).toMatchObject({ state: "pending", nextStepOwner: "msp" });
    expect((await itemOf(fixture.caseId, "waiver-release")).summary).toContain("A draft is saved");
    await sendAndConsent(fixture);
    expect(await itemOf(fixture.caseId, "waiver-release")).toMatchObject({ state: "pending", nextStepOwner: "customer" });
    expect((await itemOf(fixture.caseId, "waiver-release")).summary).toContain("Sent to Sam Signer");
    await signAsSigner(fixture);
    const signed = await itemOf(fixture.caseId, "waiver-release");
    expect(signed.state).toBe("done");
    expect(signed.summary).toMatch(/^Signed by Sam Signer on .+; releases 2 jobs\.$/);
    const transition = await itemOf(fixture.caseId, "backups-transitioned");
    expect(transition.state).toBe("done");
    expect(transition.summary).toContain("2 of 2 jobs covered");
    // Staff read the same steps in the case's timeline, in words.
    const timeline = (await listCaseTimeline({ caseId: fixture.caseId })).map((entry) => entry.summary);
    expect(timeline).toEqual(
      expect.arrayContaining(["Saved the backup release draft", "Sent the backup release for signature", "Agreed to sign electronically", "Signed the backup release"]),
    );
  });

  it("hands the next step back to the MSP when the signer declines, with the reason", async () => {
    const fixture = await createWaiverCase({ signerName: "Sam Signer" });
    await sendAndConsent(fixture);
    await declineWaiver({
      actor: signerActor(fixture),
      caseId: fixture.caseId,
      contactId: fixture.contacts.customer_signer.id,
      waiverId: fixture.waiverId,
      reason: "Not before the new backups are verified.",
    });
    const declined = await itemOf(fixture.caseId, "waiver-release");
    expect(declined).toMatchObject({ state: "pending", nextStepOwner: "msp" });
    expect(declined.summary).toBe("Declined by Sam Signer: Not before the new backups are verified.");
  });
});
