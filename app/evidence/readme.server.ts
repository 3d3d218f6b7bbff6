// The README inside an evidence bundle: how to check each piece with standard tools, written for
// a reader who has the zip and nothing of Handover. Commands carry the bundle's own numbers and
// file names, so they can be pasted as they are.
import type { BundleDocument } from "./bundle.server";

interface ReadmeFacts {
  reference: string;
  customer: string;
  fromSeq: number;
  throughSeq: number;
  checkpointFiles: { file: string; kid: string }[];
  sealFiles: { pdf: string; p7s: string; certificate: string; byteRange: [number, number, number, number] }[];
  documents: BundleDocument[];
  now: Date;
}

const safeKid = (kid: string) => kid.replace(/[^A-Za-z0-9._-]/g, "_");

export function bundleReadme({ reference, customer, fromSeq, throughSeq, checkpointFiles, sealFiles, documents, now }: ReadmeFacts): string {
  const lines: string[] = [
    `Evidence bundle for case ${reference} (${customer})`,
    `Exported ${now.toISOString()} by Handover.`,
    "",
    "WHAT IS HERE",
    `  audit-events.jsonl   the audit trail from seq ${fromSeq} (this case's first event) to seq ${throughSeq}`,
    "                       (a signed checkpoint's head), one event per line. This case's events carry every",
    "                       column their hash covers; another case's events carry only seq, prev_hash and hash.",
    "  checkpoints/         signed checkpoints of the chain's head (JWS, ES256), and for each one the signed",
    "                       bytes (.signing-input) and its signature as DER (.sig.der) for openssl.",
    "  keys/                jwks.json (the public keys that sign checkpoints and waiver receipts) and each key",
    "                       as a PEM public key, named by its key id (kid).",
    "  seal/                the certificate that sealed the waivers (PEM), taken from the PDFs' signatures.",
    "  waivers/             sealed waiver PDFs, each with its CMS signature (.p7s) and its signed receipt (JWS).",
    "  lists/               every published list version as its exact canonical JSON, and acknowledgement receipts.",
    "  backups/             evidence files the incoming provider uploaded with its backup reports.",
    "  packet/              every version of the handover packet's content as its exact canonical JSON (the",
    "                       SHA-256 each download of the packet records as its contentSha256).",
    "  manifest.json        what the bundle holds, and for each document the audit event that recorded its SHA-256.",
    "  SHA256SUMS           the SHA-256 of every other file.",
    "  verify.mjs           checks all of the above with Node alone; chain-check.mjs is the code Handover uses.",
    "",
    "1. EVERYTHING AT ONCE (Node 20.11 or later, nothing to install)",
    "     node verify.mjs",
    "   It recomputes every event's hash, follows every link, checks each checkpoint's signature and that the",
    "   chain holds the checkpoint's head, then checks each file against SHA256SUMS and each document against",
    "   the audit event that recorded it. Exit 0: intact. Exit 1: a line names the first problem with the words",
    "   `npx handover audit:verify` uses: modified, deleted, reordered, inserted, truncated, recomputed.",
    "",
    "2. FILES UNCHANGED",
    "     sha256sum -c SHA256SUMS",
    "   Every line must say OK. SHA256SUMS alone proves only that the files match each other; the fingerprints",
    "   of the documents also stand in the signed audit trail (manifest.json names the event), and in Handover:",
    "   its /verify page confirms a sealed PDF by its SHA-256.",
    "",
    "3. SEALED WAIVERS",
  ];
  if (sealFiles.length === 0) lines.push("   This case has no sealed waiver.");
  for (const seal of sealFiles) {
    const [, end, start] = seal.byteRange;
    lines.push(
      `   ${seal.pdf}`,
      `     pdfsig ${seal.pdf}`,
      "       must report \"Signature is Valid.\" (a self-signed development certificate is reported as untrusted).",
      "     With openssl, over the bytes the signature covers (the whole file but the signature itself):",
      `       { head -c ${end} ${seal.pdf}; tail -c +${start + 1} ${seal.pdf}; } > signed-bytes.bin`,
      `       openssl cms -verify -binary -inform DER -in ${seal.p7s} -content signed-bytes.bin -CAfile ${seal.certificate} -purpose any -out /dev/null`,
      "       must print \"CMS Verification successful\". With a certificate from a public CA, use its chain as -CAfile.",
      `     openssl x509 -in ${seal.certificate} -noout -subject -issuer -dates -fingerprint -sha256`,
      "       shows who sealed it; the fingerprint is the one in the waiver.signed audit event.",
    );
  }
  lines.push(
    "",
    "4. SIGNED CHECKPOINTS",
    "   Each checkpoint is a compact JWS: header.payload.signature. Its payload (base64url JSON) names the",
    "   head event's seq and hash; prev is the SHA-256 of the previous checkpoint's JWS.",
  );
  for (const checkpoint of checkpointFiles) {
    const base = checkpoint.file.replace(/\.jws$/, "");
    lines.push(`     openssl dgst -sha256 -verify keys/${safeKid(checkpoint.kid)}.pem -signature ${base}.sig.der ${base}.signing-input`);
  }
  lines.push(
    "   Each must print \"Verified OK\". To read one: cut -d. -f2 <file.jws> | tr '_-' '/+' | base64 -d 2>/dev/null",
    "   The same keys are published at the portal's /.well-known/jwks.json; checkpoint files are also kept",
    "   outside the database (HANDOVER_CHECKPOINT_DIR), where `npx handover audit:verify --checkpoints DIR` reads them.",
    "",
    "5. ONE EVENT BY HAND",
    "   An event's hash is SHA-256 over: its prev_hash, a newline, then the canonical JSON (keys sorted at every",
    "   depth, no whitespace) of actorId, actorLabel, actorType, action, caseId, ip, occurredAt, payload, seq and",
    "   userAgent (the columns of the line, named in camelCase). chain-check.mjs (hashEvent) is the reference.",
    "   Each line's prev_hash must equal the hash of the line before it.",
    "",
    "6. DOCUMENTS AND THE EVENTS THAT RECORDED THEM",
  );
  for (const document of documents) {
    lines.push(`   ${document.path}`, `     ${document.what}; SHA-256 ${document.sha256}${document.recordedAt ? `; recorded in audit event ${document.recordedAt}` : ""}`);
  }
  if (documents.length === 0) lines.push("   None.");
  lines.push("");
  return lines.join("\n");
}
