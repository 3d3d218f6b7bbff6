import { PdfWriter } from "../../app/pdf/document.server";
import { checkSigningCertificate } from "../../app/signing/certificate.server";
import { sealPdf } from "../../app/signing/pdf-seal.server";
import { type CliCommand, printJson, say } from "../command";

const DAY_MS = 24 * 60 * 60_000;

export const signingCommands: CliCommand[] = [
  {
    name: "cert:check",
    usage: "cert:check [--json]",
    summary:
      "Check the document-seal certificate (HANDOVER_SIGNING_P12_*): file, passphrase, key, key usage and expiry, then seal a test PDF. " +
      "Outside production a missing one is generated.",
    options: { json: { type: "boolean" } },
    async run(values) {
      const now = new Date();
      const check = checkSigningCertificate(now);
      const certificate = check.certificate;
      let trial: string | null = null;
      if (certificate) {
        // A real seal over a one-page PDF: proves the PDF signer accepts the key, not just forge.
        try {
          const writer = await PdfWriter.create({
            info: { title: "Handover certificate check", author: "Handover", createdAt: now },
            accentColor: "#1d4ed8",
            footer: "cert:check",
          });
          writer.paragraph("Test seal made by `npx handover cert:check`.");
          await sealPdf(writer, { reason: "Certificate check", name: "Handover", location: "cert:check", contactInfo: "-", signingTime: now });
          trial = "ok";
        } catch (error) {
          trial = (error as Error).message;
          check.problems.push(`A test seal failed: ${trial}`);
        }
      }
      const ok = check.problems.length === 0;
      if (values.json) {
        printJson({
          ok,
          problems: check.problems,
          warnings: check.warnings,
          certificate: certificate && {
            origin: certificate.origin,
            generated: certificate.generated,
            subject: certificate.subject,
            issuer: certificate.issuer,
            selfSigned: certificate.selfSigned,
            notBefore: certificate.notBefore.toISOString(),
            notAfter: certificate.notAfter.toISOString(),
            sha256Fingerprint: certificate.fingerprint,
            keyBits: certificate.keyBits,
            keyUsage: certificate.keyUsage,
          },
        });
      } else if (certificate) {
        const daysLeft = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
        say(`Document-seal certificate: ${ok ? "OK" : "NOT USABLE"}`);
        say(`  Source:     ${certificate.origin}${certificate.generated ? " (generated for development, self-signed)" : ""}`);
        say(`  Subject:    ${certificate.subject}`);
        say(`  Issuer:     ${certificate.selfSigned ? "self-signed" : certificate.issuer}`);
        say(`  Valid:      ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()} (${daysLeft} days left)`);
        say(`  Key:        RSA ${certificate.keyBits} bits; usage ${certificate.keyUsage.join(", ")}`);
        say(`  SHA-256:    ${certificate.fingerprint}`);
        say(`  Test seal:  ${trial === "ok" ? "made and signed" : "failed"}`);
        for (const warning of check.warnings) say(`Warning: ${warning}`);
      }
      if (!ok) throw new Error(`the document-seal certificate cannot be used:\n  ${check.problems.join("\n  ")}`);
    },
  },
];
