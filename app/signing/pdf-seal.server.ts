// The MSP's seal on a PDF: one `adbe.pkcs7.detached` CMS signature over the whole file, made with
// the document-seal certificate. It is applied last: nothing may rewrite the file afterwards (a
// pdf-lib re-save would move the signed byte ranges and break it). See docs/decisions/007-pdf-seal.md.
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import type { PdfWriter } from "../pdf/document.server";
import { type SigningCertificate, signingCertificate } from "./certificate.server";

export interface SealDetails {
  /** Shown by PDF readers as the signature's reason. ASCII: the placeholder writes PDF literal strings. */
  reason: string;
  /** The signer's name as PDF readers show it (the MSP). */
  name: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
}

/**
 * Room for the CMS signature, in hex characters (two per byte): the certificates it carries, the
 * RSA signature, the signed attributes and the ASN.1 framing, with a margin.
 */
export function signatureLengthFor(certificate: Pick<SigningCertificate, "certificateBytes" | "keyBits">) {
  const bytes = certificate.certificateBytes + certificate.keyBits / 8 + 1536;
  return 2 * Math.ceil(bytes / 512) * 512;
}

/** PDF literal strings here are byte strings: keep them ASCII so every reader shows them alike. */
export const asciiOnly = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "?");

/**
 * Finishes a document and seals it: footers, a signature placeholder, the bytes, then the
 * detached CMS signature over those bytes. Returns the sealed file.
 */
export async function sealPdf(writer: PdfWriter, details: SealDetails): Promise<Uint8Array> {
  const certificate = signingCertificate(details.signingTime);
  const unsigned = await writer.finish({
    beforeSave: (doc) =>
      pdflibAddPlaceholder({
        pdfDoc: doc,
        reason: asciiOnly(details.reason),
        name: asciiOnly(details.name),
        location: asciiOnly(details.location),
        contactInfo: asciiOnly(details.contactInfo),
        signingTime: details.signingTime,
        signatureLength: signatureLengthFor(certificate),
      }),
  });
  // One signer per signature: a P12Signer instance signs one document.
  const signer = new P12Signer(certificate.p12, { passphrase: certificate.passphrase });
  const sealed = await new SignPdf().sign(Buffer.from(unsigned), signer, details.signingTime);
  return new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength);
}
