import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Actor } from "../../app/audit/audit.server";
import { addBackupJob, addBackupSet } from "../../app/cases/backups.server";
import { updateMspProfile } from "../../app/msp/profile.server";
import { describeAuthentication, getConsentStep, giveConsent, signWaiver } from "../../app/waiver/ceremony.server";
import { saveWaiverDraft, sendWaiver } from "../../app/waiver/waivers.server";
import { caseContacts, waivers } from "../../db/schema";
import { testDb } from "./database";
import { createCaseWithContacts } from "./portal";

export type WaiverFixture = Awaited<ReturnType<typeof createWaiverCase>>;

/** A case with two running backup jobs and two historical sets, a draft waiver saved, not sent. */
export async function createWaiverCase({ customer, signerName }: { customer?: string; signerName?: string } = {}) {
  const fixture = await createCaseWithContacts({ customer });
  if (signerName) {
    await testDb().update(caseContacts).set({ name: signerName }).where(eq(caseContacts.id, fixture.contacts.customer_signer.id));
  }
  const { actor, caseId } = fixture;
  const job1 = await addBackupJob({
    actor,
    caseId,
    input: { system: "Datto SIRIS — SRV01", scope: "File server image", schedule: "Hourly", retention: "30 daily" },
  });
  const job2 = await addBackupJob({
    actor,
    caseId,
    input: { system: "Datto SaaS Protection", scope: "Microsoft 365 mail and OneDrive", schedule: "3× daily", retention: "1 year" },
  });
  const set = await addBackupSet({
    actor,
    caseId,
    input: {
      description: "Monthly images 2019–2025",
      location: "Datto cloud (EU)",
      sizeGb: "1840",
      proposedDisposition: "hand_over",
      dispositionOn: isoDate(30),
      handOverMethod: "Encrypted USB disk by courier",
    },
  });
  const oldSet = await addBackupSet({
    actor,
    caseId,
    input: { description: "Legacy NAS archive", location: "On site", sizeGb: "620", proposedDisposition: "destroy_on", dispositionOn: isoDate(40) },
  });
  const { waiverId } = await saveWaiverDraft({
    actor,
    caseId,
    input: {
      signerContactId: fixture.contacts.customer_signer.id,
      backupsStopAfter: isoDate(20),
      jobIds: [job1.id, job2.id],
      sets: [
        { setId: set.id, disposition: "hand_over", dispositionOn: isoDate(30), handOverMethod: "Encrypted USB disk by courier" },
        { setId: oldSet.id, disposition: "destroy_on", dispositionOn: isoDate(40) },
      ],
    },
  });
  return { ...fixture, waiverId, jobIds: [job1.id, job2.id], setIds: [set.id, oldSet.id] };
}

export const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export const signerActor = (fixture: { contacts: { customer_signer: { id: string; email: string } } }): Actor => ({
  type: "contact",
  id: fixture.contacts.customer_signer.id,
  label: `Sam Signer <${fixture.contacts.customer_signer.email}>`,
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (test)",
});

/** Sends the draft and gives the signer's consent, as the portal would. */
export async function sendAndConsent(fixture: WaiverFixture) {
  await sendWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
  const step = await getConsentStep({ caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
  await giveConsent({
    actor: signerActor(fixture),
    caseId: fixture.caseId,
    contactId: fixture.contacts.customer_signer.id,
    waiverId: fixture.waiverId,
    disclosureSha256: step.disclosure.sha256,
  });
}

export async function unsignedSha256(waiverId: string) {
  const [row] = await testDb().select({ sha: waivers.unsignedSha256 }).from(waivers).where(eq(waivers.id, waiverId));
  return row!.sha!;
}

/** Signs through the domain function (no HTTP), with a typed signature unless told otherwise. */
export async function signAsSigner(fixture: WaiverFixture, { fullName = "Sam Signer", timeZone = "America/New_York" } = {}) {
  return signWaiver({
    actor: signerActor(fixture),
    caseId: fixture.caseId,
    contactId: fixture.contacts.customer_signer.id,
    authentication: describeAuthentication({ email: fixture.contacts.customer_signer.email, steppedUpAt: new Date() }),
    steppedUpAt: new Date(),
    input: { waiverId: fixture.waiverId, documentSha256: await unsignedSha256(fixture.waiverId), fullName, method: "typed", timeZone },
  });
}

/** poppler's verdict on a PDF. pdfsig exits 0 even on a digest mismatch: read what it prints. */
export function pdfsig(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-pdfsig-"));
  const file = path.join(dir, "document.pdf");
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdfsig", [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    // Some poppler versions exit non-zero for an invalid signature; the output is what counts.
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-pdftext-"));
  const file = path.join(dir, "document.pdf");
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy with one byte changed inside the signed range (in the page content, not the signature). */
export function tamperOneByte(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  // The first signed range starts at 0; a byte well inside the document body is covered by it.
  const text = Buffer.from(copy).toString("latin1");
  const at = text.indexOf("/Producer");
  const index = at > 0 ? at + 3 : Math.floor(copy.length / 4);
  copy[index] = copy[index] === 0x41 ? 0x42 : 0x41;
  return copy;
}

export async function nameTheMsp(legalName = "Northwind Managed IT Ltd") {
  await updateMspProfile({
    actor: { type: "system", id: null, label: "test" },
    input: { legalName, address: "4 Wharf Road, Bristol", contactEmail: "support@northwind.test", contactPhone: "", accentColor: "#0f5c8a" },
  });
}
