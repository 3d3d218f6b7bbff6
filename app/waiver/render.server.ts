// The waiver as a PDF, laid out by the one PDF writer (app/pdf) from stored data only: the
// published template, the terms frozen when it was sent, and for the sealed copy the signature
// record and a certificate of completion. The browser never supplies a PDF.
import { PdfWriter } from "../pdf/document.server";
import { sealPdf } from "../signing/pdf-seal.server";
import { type Block, JOB_COLUMNS, jobCells, SET_COLUMNS, setCells, type WaiverTerms, waiverBlocks } from "./document";
import { isoInZone, isoUtc } from "./time";

export interface SignatureMark {
  method: "drawn" | "typed";
  /** The drawn signature (PNG) when method is "drawn". */
  png: Uint8Array | null;
  /** The full name the signer typed. */
  typedName: string;
  signedAt: Date;
  timeZone: string;
}

export interface CompletionFacts {
  unsignedSha256: string;
  signerEmail: string;
  signerRole: string;
  authentication: string;
  ip: string | null;
  userAgent: string | null;
  timeZoneSource: "browser" | "case";
  times: { sent: Date; firstViewed: Date | null; consented: Date; signed: Date };
  intentStatement: string;
  auditHead: { seq: number; hash: string };
  certificate: { subject: string; fingerprint: string; selfSigned: boolean };
  verifyUrl: string;
}

const documentTitle = (terms: WaiverTerms) => `Backup release and waiver — ${terms.customer.name}`;

async function layoutWaiver(
  { template, terms, signature, draft = false }: { template: string; terms: WaiverTerms; signature: SignatureMark | null; draft?: boolean },
  createdAt: Date,
) {
  const writer = await PdfWriter.create({
    info: { title: documentTitle(terms), author: terms.msp.name, subject: `Handover case ${terms.caseReference}`, createdAt },
    accentColor: terms.msp.accentColor,
    footer: `${terms.msp.name} · document ${terms.documentId}`,
  });
  writer.paragraph(`${terms.msp.name} · handover case ${terms.caseReference}`, { size: 9, muted: true });
  if (draft) writer.paragraph("DRAFT — not sent. The text and the tables may still change.", { bold: true });
  renderBlocks(writer, waiverBlocks(template, terms), terms);

  writer.heading("Signature", 2);
  if (!signature) {
    writer.facts([
      ["Signer", terms.signer.jobTitle ? `${terms.signer.name}, ${terms.signer.jobTitle}` : terms.signer.name],
      ["On behalf of", terms.customer.name],
      ["Signature", `To be signed electronically through ${terms.msp.name}'s handover portal.`],
    ]);
    return writer;
  }
  if (signature.method === "drawn" && signature.png) {
    await writer.image(signature.png, { maxWidth: 240, maxHeight: 90 });
  } else {
    writer.paragraph(signature.typedName, { size: 20, bold: true });
    writer.paragraph("Typed signature, adopted by the signer as their signature.", { size: 8, muted: true });
  }
  writer.facts([
    ["Signed by", signature.typedName],
    ["On behalf of", terms.customer.name],
    ["Signed at", `${isoUtc(signature.signedAt)} (UTC)\n${isoInZone(signature.signedAt, signature.timeZone)} (${signature.timeZone})`],
  ]);
  return writer;
}

function renderBlocks(writer: PdfWriter, blocks: Block[], terms: WaiverTerms) {
  for (const block of blocks) {
    switch (block.kind) {
      case "title":
        writer.heading(block.text, 1);
        writer.facts([
          ["Document id", terms.documentId],
          ["Template", `Version ${terms.template.version}`],
          ["Prepared by", `${terms.preparedBy}, ${terms.msp.name}`],
        ], { size: 9 });
        break;
      case "heading":
        writer.heading(block.text, 2);
        break;
      case "paragraph":
        writer.paragraph(block.text);
        break;
      case "list":
        for (const item of block.items) writer.paragraph(`•  ${item}`);
        break;
      case "backup-jobs":
        writer.table(JOB_COLUMNS, block.rows.map(jobCells));
        break;
      case "backup-sets":
        if (block.rows.length === 0) writer.paragraph("The MSP holds no historical backup sets for the Customer.", { muted: true });
        else writer.table(SET_COLUMNS, block.rows.map(setCells));
        break;
    }
  }
}

/** The waiver as sent for signature (or, for a draft, as it would be sent now). Same input, same bytes. */
export async function renderUnsignedWaiver({ template, terms, draft = false }: { template: string; terms: WaiverTerms; draft?: boolean }) {
  const createdAt = terms.sentAt ? new Date(terms.sentAt) : new Date();
  const writer = await layoutWaiver({ template, terms, signature: null, draft }, createdAt);
  return writer.finish();
}

// Small enough that a SHA-256 in hex fits on one line beside its label.
const CERTIFICATE_FACTS = { size: 8.5, labelWidth: 130 };

const timeRow = (label: string, date: Date | null, timeZone: string, zoneNote: string): [string, string] => [
  label,
  date ? `${isoUtc(date)} (UTC)\n${isoInZone(date, timeZone)} (${timeZone}, ${zoneNote})` : "—",
];

/**
 * The signed waiver: its pages with the signature, then the certificate of completion, then the
 * MSP's seal over the whole file. Returns the sealed bytes; nothing may change them afterwards.
 */
export async function renderSealedWaiver({
  template,
  terms,
  signature,
  completion,
}: {
  template: string;
  terms: WaiverTerms;
  signature: SignatureMark;
  completion: CompletionFacts;
}): Promise<Uint8Array> {
  const writer = await layoutWaiver({ template, terms, signature }, signature.signedAt);
  writer.newPage();
  writer.heading("Certificate of completion", 1);
  writer.paragraph(
    `This certificate records how ${signature.typedName} signed the backup release and waiver above, from the records of ${terms.msp.name}'s handover portal.`,
    { muted: true },
  );
  const zoneNote = completion.timeZoneSource === "browser" ? "the signer's time zone" : "the case's time zone";
  writer.heading("Document", 2);
  writer.facts([
    ["Document id", terms.documentId],
    ["Handover case", `${terms.caseReference} · ${terms.customer.name} → ${terms.provider.name}`],
    ["SHA-256 of the unsigned waiver", completion.unsignedSha256],
    ["Waiver template", `Version ${terms.template.version}, SHA-256:\n${terms.template.sha256}`],
  ], CERTIFICATE_FACTS);
  writer.heading("Signer", 2);
  writer.facts([
    ["Name (as typed)", signature.typedName],
    ["Email", completion.signerEmail],
    ["Role", completion.signerRole],
    ["Authentication", completion.authentication],
    ["IP address", completion.ip ?? "not recorded"],
    ["User agent", completion.userAgent ?? "not recorded"],
    ["Signature", signature.method === "drawn" ? "Drawn on screen" : "Typed name adopted as signature"],
    ["Statement of intent", completion.intentStatement],
  ], CERTIFICATE_FACTS);
  writer.heading("Times", 2);
  writer.facts([
    timeRow("Sent for signature", completion.times.sent, signature.timeZone, zoneNote),
    timeRow("First viewed", completion.times.firstViewed, signature.timeZone, zoneNote),
    timeRow("Consent given", completion.times.consented, signature.timeZone, zoneNote),
    timeRow("Signed", completion.times.signed, signature.timeZone, zoneNote),
  ], CERTIFICATE_FACTS);
  writer.heading("Consent and records", 2);
  writer.facts([
    ["Electronic records disclosure", `Version ${terms.disclosure.version}, SHA-256:\n${terms.disclosure.sha256}`],
    [
      "Audit trail head",
      `Event #${completion.auditHead.seq}, the last event recorded before sealing began. Chain hash:\n${completion.auditHead.hash}`,
    ],
  ], CERTIFICATE_FACTS);
  writer.heading("Seal", 2);
  writer.paragraph(
    `The PDF signature on this file is ${terms.msp.name}'s seal over ${signature.typedName}'s electronic signature recorded above. ` +
      `It was applied with ${terms.msp.name}'s document-seal certificate (${completion.certificate.subject}; SHA-256 fingerprint ${completion.certificate.fingerprint})` +
      `${completion.certificate.selfSigned ? ", a self-signed certificate" : ""}. ` +
      "It covers the whole file: any change after sealing is reported by PDF readers as an invalid signature. " +
      `Whether a copy is the sealed original can be checked at ${completion.verifyUrl}.`,
    { size: 9 },
  );
  return sealPdf(writer, {
    // The document id in the signature dictionary lets /verify recognise an altered copy.
    reason: `Handover document ${terms.documentId}: seal over the customer's electronic signature`,
    name: terms.msp.name,
    location: completion.verifyUrl,
    contactInfo: terms.msp.contactEmail || terms.msp.name,
    signingTime: signature.signedAt,
  });
}
