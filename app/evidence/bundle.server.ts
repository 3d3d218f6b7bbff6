// The evidence bundle of one case: a zip that proves, without Handover, what the case's record says.
// It holds the sealed waivers and list receipts, the handover packet's versions, the case's audit
// events with every column their hashes cover (other cases' events only as seq, prev_hash and
// hash, so nothing of another customer leaks while the chain between them stays checkable), the
// signed checkpoints, the keys and the seal certificate, SHA256SUMS, a README for standard tools,
// and verify.mjs, which needs only Node.
import { createHash, createPublicKey } from "node:crypto";
import fs from "node:fs";
import { asc, between, count, eq, gte, max, min } from "drizzle-orm";
import { zipSync } from "fflate";
import forge from "node-forge";
import type { JWK } from "jose";
import { type Transaction, db } from "../../db/client";
import { auditCheckpoints, auditEvents, backupReports, cases, listAcknowledgements, listVersions, waiverSignatures } from "../../db/schema";
import { type Actor, auditEventColumns, recordAudit } from "../audit/audit.server";
import { type StoredCheckpoint, appendCheckpoint, checkpointFileName, checkpointPublicKeys, writeCheckpointFile } from "../audit/checkpoints.server";
import { packetVersionContents } from "../handover/packet.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { renderAcknowledgementReceipt } from "../lists/receipt.server";
import { publicJwks } from "../signing/receipt.server";
import { signedFilename } from "../waiver/waivers.server";
import { bundleReadme } from "./readme.server";

// Events are read in batches: a case's stretch of the chain may pass many other cases' events.
const BATCH = 5_000;

/**
 * The bundle's script and the chain code it runs, shipped byte for byte. They are read from the
 * source tree: from app/evidence/ when run with tsx, from build/ inside the server bundle.
 */
function shippedSource(name: string): string {
  const candidates = [new URL(`../audit/${name}`, import.meta.url), new URL(`../evidence/${name}`, import.meta.url), new URL(`../app/audit/${name}`, import.meta.url), new URL(`../app/evidence/${name}`, import.meta.url)];
  for (const candidate of candidates) if (fs.existsSync(candidate)) return fs.readFileSync(candidate, "utf8");
  throw new Error(`The evidence bundle cannot find ${name} in the source tree`);
}

const sha256Hex = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_");

export interface BundleDocument {
  path: string;
  sha256: string;
  /** The sequence number of the audit event that recorded this SHA-256, if one did. */
  recordedAt: number | null;
  what: string;
}

/** A sealed PDF's CMS signature (DER) and the byte ranges it covers, read from the file itself. */
export function sealOf(pdf: Uint8Array): { cms: Uint8Array; byteRange: [number, number, number, number]; certificates: { pem: string; fingerprint: string }[] } {
  const text = Buffer.from(pdf).toString("latin1");
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) throw new Error("The sealed PDF has no signature byte range");
  const byteRange = [Number(last[1]), Number(last[2]), Number(last[3]), Number(last[4])] as [number, number, number, number];
  // Between the two ranges sits the signature: <hex>, padded with zeros after the DER.
  const hex = text.slice(byteRange[1] + 1, byteRange[2] - 1);
  const padded = Buffer.from(hex, "hex");
  // The DER's own length (its outer SEQUENCE header) says where the zero padding starts.
  const lengthBytes = padded[1]! & 0x80 ? padded[1]! & 0x7f : 0;
  let length = lengthBytes ? 0 : padded[1]!;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + padded[2 + i]!;
  const der = padded.subarray(0, 2 + lengthBytes + length).toString("binary");
  const asn1 = forge.asn1.fromDer(der);
  const message = forge.pkcs7.messageFromAsn1(asn1) as forge.pkcs7.PkcsSignedData;
  const certificates = message.certificates.map((certificate) => {
    const certDer = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
    return { pem: forge.pki.certificateToPem(certificate), fingerprint: sha256Hex(Buffer.from(certDer, "binary")) };
  });
  return { cms: new Uint8Array(Buffer.from(der, "binary")), byteRange, certificates };
}

/** An ES256 JWS signature (r‖s, 64 bytes) as the DER that `openssl dgst -verify` reads. */
export function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const body = bytes.subarray(start);
    const padded = body[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : Buffer.from(body);
    return Buffer.concat([Buffer.from([0x02, padded.length]), padded]);
  };
  const sequence = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32, 64))]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, sequence.length]), sequence]));
}

/** One event as a JSON line: the case's own with every hashed column, another's by its place only. */
function eventLine(row: Awaited<ReturnType<typeof readEvents>>[number], caseId: string): string {
  if (row.caseId !== caseId) return JSON.stringify({ seq: row.seq, prev_hash: row.prevHash, hash: row.hash });
  return JSON.stringify({
    seq: row.seq,
    occurred_at: row.occurredAt.toISOString(),
    actor_type: row.actorType,
    actor_id: row.actorId,
    actor_label: row.actorLabel,
    case_id: row.caseId,
    action: row.action,
    payload: row.payload,
    ip: row.ip,
    user_agent: row.userAgent,
    prev_hash: row.prevHash,
    hash: row.hash,
  });
}

function readEvents(tx: Transaction, fromSeq: number, throughSeq: number) {
  return tx.select(auditEventColumns).from(auditEvents).where(between(auditEvents.seq, fromSeq, throughSeq)).orderBy(asc(auditEvents.seq)).limit(BATCH);
}

export interface EvidenceBundle {
  bytes: Uint8Array;
  sha256: string;
  filename: string;
  reference: string;
  fromSeq: number;
  throughSeq: number;
  checkpoint: number;
  events: number;
  caseEvents: number;
  documents: number;
}

/**
 * Builds the case's bundle and records its export (who, the case, the zip's SHA-256) in the same
 * transaction. The bundle is handed out only after that commit: an export recorded but never
 * delivered is harmless, a delivered one missing from the record would be a hole in it.
 */
export async function exportEvidenceBundle({ actor, caseId, via, now = new Date() }: { actor: Actor; caseId: string; via: "cli" | "download"; now?: Date }): Promise<EvidenceBundle> {
  const id = assertId(caseId, "Case");
  const [kase] = await db().select({ id: cases.id, reference: cases.reference, customer: cases.customerLegalName }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  // Receipts are rendered from stored, immutable rows before the transaction (the renderer reads
  // through its own connection, which the embedded database could not give while one is open).
  const acknowledgementRows = await db()
    .select({ id: listAcknowledgements.id })
    .from(listAcknowledgements)
    .where(eq(listAcknowledgements.caseId, kase.id))
    .orderBy(asc(listAcknowledgements.acknowledgedAt));
  const receipts = await Promise.all(acknowledgementRows.map((row) => renderAcknowledgementReceipt({ caseId: kase.id, acknowledgementId: row.id }).then((receipt) => ({ ...receipt, id: row.id }))));
  const receiptKeys = (await publicJwks()).keys;
  const root = `handover-evidence-${safeName(kase.reference)}`;

  // Set inside the transaction; its file is written once the transaction has committed.
  const signed: { checkpoint: StoredCheckpoint | null } = { checkpoint: null };
  const bundle = await inTransaction(async (tx) => {
    const [bounds] = await tx
      .select({ first: min(auditEvents.seq), last: max(auditEvents.seq), count: count() })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, kase.id));
    if (!bounds?.first || !bounds.last) throw new NotFound("This case has no audit events yet");
    const fromSeq = Number(bounds.first);
    // The stretch ends at the first checkpoint that vouches for the case's last event; when none
    // does yet, one is signed now (this holds the append lock until the export commits).
    let [closing] = await tx
      .select({ number: auditCheckpoints.number, auditSeq: auditCheckpoints.auditSeq })
      .from(auditCheckpoints)
      .where(gte(auditCheckpoints.auditSeq, Number(bounds.last)))
      .orderBy(asc(auditCheckpoints.number))
      .limit(1);
    if (!closing) {
      const checkpoint = await appendCheckpoint(tx, { reason: "on_demand" });
      if (!checkpoint) throw new Error("No checkpoint could be signed for the case's last event");
      signed.checkpoint = checkpoint;
      closing = { number: checkpoint.number, auditSeq: checkpoint.auditSeq };
    }
    const throughSeq = closing.auditSeq;

    const files: Record<string, Uint8Array> = {};
    const documents: BundleDocument[] = [];
    const put = (name: string, content: Uint8Array | string) => {
      files[name] = typeof content === "string" ? new TextEncoder().encode(content) : content;
    };

    // The chain's stretch, and the case's own events kept for finding which one recorded a document.
    const lines: string[] = [];
    const caseEvents: { seq: number; action: string; payload: string }[] = [];
    for (let after = fromSeq - 1; after < throughSeq; ) {
      const rows = await readEvents(tx, after + 1, throughSeq);
      if (rows.length === 0) break;
      for (const row of rows) {
        lines.push(eventLine(row, kase.id));
        if (row.caseId === kase.id) caseEvents.push({ seq: row.seq, action: row.action, payload: JSON.stringify(row.payload) });
      }
      after = rows[rows.length - 1]!.seq;
    }
    put("audit-events.jsonl", lines.length > 0 ? `${lines.join("\n")}\n` : "");
    const recordedBy = (actions: string[], sha256: string) =>
      caseEvents.find((event) => actions.includes(event.action) && event.payload.includes(sha256))?.seq ?? null;

    // Checkpoints within the stretch, each with what `openssl dgst` needs beside it.
    const checkpoints = await tx
      .select({ number: auditCheckpoints.number, auditSeq: auditCheckpoints.auditSeq, jws: auditCheckpoints.jws })
      .from(auditCheckpoints)
      .where(between(auditCheckpoints.auditSeq, fromSeq, throughSeq))
      .orderBy(asc(auditCheckpoints.number));
    const checkpointKeys = await checkpointPublicKeys(tx);
    const checkpointFiles: { file: string; kid: string }[] = [];
    for (const checkpoint of checkpoints) {
      const file = `checkpoints/${checkpointFileName(checkpoint.number)}`;
      const [header, payload, signature] = checkpoint.jws.split(".") as [string, string, string];
      const kid = String((JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { kid?: string }).kid);
      put(file, `${checkpoint.jws}\n`);
      put(file.replace(/\.jws$/, ".signing-input"), `${header}.${payload}`);
      put(file.replace(/\.jws$/, ".sig.der"), derSignature(Buffer.from(signature, "base64url")));
      checkpointFiles.push({ file, kid });
    }

    // The keys: one JWKS (checkpoints and waiver receipts), and each key as a PEM for openssl.
    const keys: JWK[] = [...checkpointKeys, ...receiptKeys.filter((key) => !checkpointKeys.some((other) => other.kid === key.kid))];
    put("keys/jwks.json", `${JSON.stringify({ keys }, null, 2)}\n`);
    for (const key of keys) {
      const { kid: _kid, alg: _alg, use: _use, ...material } = key;
      put(`keys/${safeName(String(key.kid))}.pem`, createPublicKey({ key: material as never, format: "jwk" }).export({ type: "spki", format: "pem" }).toString());
    }

    // Sealed waivers: the PDF, its CMS signature, its signed receipt, and the seal certificate.
    const seals = await tx
      .select({ waiverId: waiverSignatures.waiverId, pdf: waiverSignatures.sealedPdf, sha256: waiverSignatures.sealedSha256, receiptJws: waiverSignatures.receiptJws, fingerprint: waiverSignatures.certificateFingerprint })
      .from(waiverSignatures)
      .where(eq(waiverSignatures.caseId, kase.id))
      .orderBy(asc(waiverSignatures.signedAt));
    const sealFiles: { pdf: string; p7s: string; certificate: string; byteRange: [number, number, number, number] }[] = [];
    for (const seal of seals) {
      const base = `waivers/${signedFilename(kase.reference).replace(/\.pdf$/, "")}-${seal.waiverId.slice(0, 8)}`;
      const { cms, byteRange, certificates } = sealOf(seal.pdf);
      const certificate = `seal/certificate-${seal.fingerprint.slice(0, 16)}.pem`;
      put(certificate, certificates.map((c) => c.pem).join(""));
      put(`${base}.pdf`, seal.pdf);
      put(`${base}.p7s`, cms);
      put(`${base}.receipt.jws`, `${seal.receiptJws}\n`);
      documents.push({ path: `${base}.pdf`, sha256: seal.sha256, recordedAt: recordedBy(["waiver.signed"], seal.sha256), what: "sealed backup-release waiver" });
      sealFiles.push({ pdf: `${base}.pdf`, p7s: `${base}.p7s`, certificate, byteRange });
    }

    // Published lists (their exact canonical JSON, whose SHA-256 the events name) and receipts.
    const versions = await tx
      .select({ kind: listVersions.kind, version: listVersions.version, json: listVersions.canonicalJson, sha256: listVersions.sha256 })
      .from(listVersions)
      .where(eq(listVersions.caseId, kase.id))
      .orderBy(asc(listVersions.kind), asc(listVersions.version));
    for (const version of versions) {
      const file = `lists/${version.kind}-v${version.version}.json`;
      put(file, version.json);
      documents.push({ path: file, sha256: version.sha256, recordedAt: recordedBy(["list.published"], version.sha256), what: `${version.kind} list version ${version.version}` });
    }
    for (const receipt of receipts) {
      const file = `lists/${safeName(receipt.filename)}`;
      put(file, receipt.bytes);
      documents.push({ path: file, sha256: sha256Hex(receipt.bytes), recordedAt: null, what: `acknowledgement receipt ${receipt.id}` });
    }

    // Backup reports' evidence files, as the provider uploaded them.
    const reports = await tx
      .select({ id: backupReports.id, filename: backupReports.evidenceFilename, sha256: backupReports.evidenceSha256, bytes: backupReports.evidence })
      .from(backupReports)
      .where(eq(backupReports.caseId, kase.id))
      .orderBy(asc(backupReports.reportedAt));
    for (const report of reports) {
      const file = `backups/${report.id.slice(0, 8)}-${safeName(report.filename)}`;
      put(file, report.bytes);
      documents.push({ path: file, sha256: report.sha256, recordedAt: recordedBy(["backup_report.submitted"], report.sha256), what: "backup report evidence" });
    }

    // The handover packet's versions: the content each recorded download was made from.
    for (const version of await packetVersionContents(tx, { caseId: kase.id })) {
      const file = `packet/v${version.version}.json`;
      put(file, version.contentJson);
      documents.push({ path: file, sha256: version.contentSha256, recordedAt: recordedBy(["document.downloaded"], version.contentSha256), what: `handover packet version ${version.version} (content)` });
    }

    const manifest = {
      format: "handover-evidence-bundle/1",
      caseId: kase.id,
      reference: kase.reference,
      customer: kase.customer,
      exportedAt: now.toISOString(),
      exportedBy: actor.label,
      fromSeq,
      throughSeq,
      checkpoint: closing.number,
      events: lines.length,
      caseEvents: caseEvents.length,
      documents,
    };
    put("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
    put("chain-check.mjs", shippedSource("chain-check.js"));
    put("verify.mjs", shippedSource("verify-bundle.mjs"));
    put("README.txt", bundleReadme({ reference: kase.reference, customer: kase.customer, fromSeq, throughSeq, checkpointFiles, sealFiles, documents, now }));

    const sums = Object.keys(files)
      .sort()
      .map((name) => `${sha256Hex(files[name]!)}  ${name}`);
    put("SHA256SUMS", `${sums.join("\n")}\n`);

    const mtime = now;
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${root}/${name}`, [bytes, { mtime }]])), { level: 6 });
    const sha256 = sha256Hex(zip);
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: {
        action: "evidence.exported",
        payload: { sha256, bytes: zip.byteLength, fromSeq, throughSeq, checkpoint: closing.number, caseEvents: caseEvents.length, documents: documents.length, via },
      },
    });
    return {
      bytes: zip,
      sha256,
      filename: `${root}.zip`,
      reference: kase.reference,
      fromSeq,
      throughSeq,
      checkpoint: closing.number,
      events: lines.length,
      caseEvents: caseEvents.length,
      documents: documents.length,
    };
  });
  if (signed.checkpoint) writeCheckpointFile(signed.checkpoint);
  return bundle;
}

/** The HTTP answer: a download no cache keeps (every download is recorded). */
export function bundleResponse(bundle: Pick<EvidenceBundle, "bytes" | "filename" | "sha256">) {
  return new Response(Buffer.from(bundle.bytes), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(bundle.bytes.byteLength),
      "Content-Disposition": `attachment; filename="${bundle.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      // The same fingerprint the audit event records, so the recipient can match the two.
      "X-Content-SHA256": bundle.sha256,
    },
  });
}
