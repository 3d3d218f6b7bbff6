// Sealing a signed waiver: the app's whole path (claim and audit event, render the waiver and the
// certificate of completion from stored data, seal with the MSP's certificate, sign the receipt,
// store the PDF with the signature record, audit event and three emailed copies) against a bare
// baseline that draws the same pages' text with pdf-lib and the same fonts and seals them with the
// same certificate — no database, no templates, no app. The ratio is what the app adds.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import { eq } from "drizzle-orm";
import { PDFDocument, rgb } from "pdf-lib";
import type { Actor } from "../app/audit/audit.server";
import { addBackupJob, addBackupSet } from "../app/cases/backups.server";
import { addContact } from "../app/cases/contacts.server";
import { resetConfigCache } from "../app/config.server";
import { signingCertificate } from "../app/signing/certificate.server";
import { signatureLengthFor } from "../app/signing/pdf-seal.server";
import { describeAuthentication, getConsentStep, giveConsent, signWaiver } from "../app/waiver/ceremony.server";
import { saveWaiverDraft, sendWaiver } from "../app/waiver/waivers.server";
import { db } from "../db/client";
import { waivers, waiverSignatures } from "../db/schema";
import { createBenchCase, createBenchDatabase, benchDay as day, median } from "./bench-db";

const ROUNDS = 15;
const WARM_UP = 2;
const require = createRequire(import.meta.url);
const fontFolder = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

async function seedCase() {
  const { actor, caseId } = await createBenchCase();
  const signer = await addContact({ actor, caseId, input: { role: "customer_signer", name: "Łukasz Müller-Øby", email: "lukasz@harbour.test" } });
  await addContact({ actor, caseId, input: { role: "provider", name: "Sofia Lindqvist", email: "sofia@blueharbor.test" } });
  const jobs = [
    await addBackupJob({ actor, caseId, input: { system: "Datto SIRIS — HD-SRV01", scope: "Server image and SQL database", schedule: "Hourly", retention: "30 daily, 12 monthly" } }),
    await addBackupJob({ actor, caseId, input: { system: "Datto SaaS Protection", scope: "Microsoft 365 mail, OneDrive, SharePoint", schedule: "3× daily", retention: "1 year" } }),
  ];
  const sets = [
    await addBackupSet({ actor, caseId, input: { description: "Monthly images 2019–2025", location: "Datto cloud (UK)", sizeGb: "1840", proposedDisposition: "hand_over", dispositionOn: day(30), handOverMethod: "Encrypted USB disk by courier" } }),
    await addBackupSet({ actor, caseId, input: { description: "Legacy NAS archive", location: "On site", sizeGb: "620", proposedDisposition: "retain_until", dispositionOn: day(365) } }),
  ];
  return { actor, caseId, signerId: signer.id, jobIds: jobs.map((j) => j.id), sets, setDays: [30, 365] };
}

type Fixture = Awaited<ReturnType<typeof seedCase>>;

/** A fresh waiver, sent and consented to, ready to sign (not timed). */
async function readyToSign(f: Fixture) {
  const { waiverId } = await saveWaiverDraft({
    actor: f.actor,
    caseId: f.caseId,
    input: {
      signerContactId: f.signerId,
      backupsStopAfter: day(20),
      jobIds: f.jobIds,
      sets: [
        { setId: f.sets[0]!.id, disposition: "hand_over", dispositionOn: day(30), handOverMethod: "Encrypted USB disk by courier" },
        { setId: f.sets[1]!.id, disposition: "retain_until", dispositionOn: day(365) },
      ],
    },
  });
  await sendWaiver({ actor: f.actor, caseId: f.caseId, waiverId });
  const signer: Actor = { type: "contact", id: f.signerId, label: "Łukasz Müller-Øby <lukasz@harbour.test>", ip: "203.0.113.7", userAgent: "bench" };
  const consent = await getConsentStep({ caseId: f.caseId, contactId: f.signerId });
  await giveConsent({ actor: signer, caseId: f.caseId, contactId: f.signerId, waiverId, disclosureSha256: consent.disclosure.sha256 });
  const [row] = await db().select({ sha: waivers.unsignedSha256 }).from(waivers).where(eq(waivers.id, waiverId));
  return { waiverId, signer, documentSha256: row!.sha! };
}

async function sealThroughApp(f: Fixture, ready: Awaited<ReturnType<typeof readyToSign>>) {
  const now = new Date();
  const result = await signWaiver({
    actor: ready.signer,
    caseId: f.caseId,
    contactId: f.signerId,
    authentication: describeAuthentication({ email: "lukasz@harbour.test", steppedUpAt: now }),
    steppedUpAt: now,
    input: { waiverId: ready.waiverId, documentSha256: ready.documentSha256, fullName: "Łukasz Müller-Øby", method: "typed", timeZone: "Europe/Warsaw" },
  });
  if (result.status !== "signed") throw new Error("bench: the app did not sign");
}

/** The text of each page of a sealed waiver, as pdftotext lays it out. */
function pagesOf(pdf: Uint8Array): string[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-bench-"));
  try {
    fs.writeFileSync(path.join(dir, "w.pdf"), pdf);
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "w.pdf"), "-"], { encoding: "utf8" });
    return text
      .split("\f")
      .filter((page) => page.trim() !== "")
      .map((page) => page.split("\n"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: the same pages' text, the same embedded fonts, one placeholder, one signature. */
async function sealBare(pages: string[][], fonts: { regular: Uint8Array; bold: Uint8Array }) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([doc.embedFont(fonts.regular, { subset: true }), doc.embedFont(fonts.bold, { subset: true })]);
  for (const lines of pages) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawRectangle({ x: 0, y: 833.89, width: 595.28, height: 8, color: rgb(0.06, 0.36, 0.54) });
    let y = 800;
    for (const line of lines) {
      if (line.trim()) page.drawText(line.replace(/\s+$/, ""), { x: 40, y, size: 8.5, font: /^\S/.test(line) ? bold : regular });
      y -= 11;
    }
  }
  const certificate = signingCertificate();
  const signingTime = new Date();
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: "bench",
    name: "bench",
    location: "bench",
    contactInfo: "bench",
    signingTime,
    signatureLength: signatureLengthFor(certificate),
  });
  const bytes = await doc.save({ useObjectStreams: false });
  await new SignPdf().sign(Buffer.from(bytes), new P12Signer(certificate.p12, { passphrase: certificate.passphrase }), signingTime);
}

export async function benchWaiverSeal() {
  resetConfigCache();
  const bench = await createBenchDatabase();
  try {
    const fixture = await seedCase();
    const fonts = {
      regular: fs.readFileSync(path.join(fontFolder, "DejaVuSans.ttf")),
      bold: fs.readFileSync(path.join(fontFolder, "DejaVuSans-Bold.ttf")),
    };
    const app: number[] = [];
    const bare: number[] = [];
    let pages: string[][] = [];
    // Alternating rounds, so that the machine's background load falls on both sides alike.
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const ready = await readyToSign(fixture);
      let started = performance.now();
      await sealThroughApp(fixture, ready);
      const appMs = performance.now() - started;
      if (pages.length === 0) {
        const [seal] = await db().select({ pdf: waiverSignatures.sealedPdf }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, ready.waiverId));
        pages = pagesOf(seal!.pdf);
      }
      started = performance.now();
      await sealBare(pages, fonts);
      const bareMs = performance.now() - started;
      if (round >= WARM_UP) {
        app.push(appMs);
        bare.push(bareMs);
      }
    }
    const appMedian = median(app);
    const bareMedian = median(bare);
    const ratio = appMedian / bareMedian;
    return {
      name: "Sealing a signed waiver (PostgreSQL)",
      lines: [
        `${ROUNDS} rounds after ${WARM_UP} warm-up rounds; the waiver has ${pages.length} pages`,
        `app      : median ${appMedian.toFixed(0)} ms (claim + audit, render waiver and certificate, seal, receipt, store with 3 emailed copies)`,
        `baseline : median ${bareMedian.toFixed(0)} ms (pdf-lib draws the same pages' text with the same fonts, one placeholder, same P12 signature)`,
        `ratio app/baseline: ${ratio.toFixed(2)} (target ≤ 2.0)`,
      ],
      ok: ratio <= 2.0,
    };
  } finally {
    await bench.drop();
  }
}
