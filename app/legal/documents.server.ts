// A case's documents for legal: the sealed waivers, the acknowledgement receipts, the backup
// evidence files and the handover packet's versions, each with the SHA-256 and size of the bytes a download hands out, and who
// downloaded it when, read from the audit trail (the trail, not a log, is the record of a
// download: it is written in the same transaction that hands the bytes out).
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { auditEvents, backupJobs, backupReports, cases, listAcknowledgements, listVersions, waiverSignatures } from "../../db/schema";
import type { AuditAction } from "../audit/events";
import { listPacketVersions } from "../handover/packet.server";
import { packetDocumentLabels } from "../handover/vocabulary";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { renderAcknowledgementReceipt } from "../lists/receipt.server";
import { type ListKind, listKindLabels } from "../lists/items";
import type { LegalDocumentKind } from "./schemas";


/** The actions that record a document handed out. */
// The downloads of the documents listed here (an unsigned preview is another document, not listed).
const DOWNLOAD_ACTIONS: AuditAction[] = ["waiver.downloaded", "document.downloaded", "list.receipt_downloaded", "backup_report.evidence_downloaded"];
/** Downloads shown per case; beyond this the evidence bundle holds them all. */
const DOWNLOAD_LIMIT = 2000;

export interface LegalDownload {
  seq: number;
  occurredAt: Date;
  actor: string;
  actorType: string;
  /** Which file and what it was, where one document is handed out as different files (the packet). */
  detail: string | null;
}

export interface LegalDocument {
  id: string;
  kind: LegalDocumentKind;
  title: string;
  /** When the document came to be (sealed, acknowledged, reported) and by whom. */
  madeAt: Date;
  madeBy: string;
  sha256: string;
  bytes: number;
  /** What the document vouches for, where that has its own fingerprint (a list version's). */
  attests: { label: string; sha256: string } | null;
  href: string;
  downloads: LegalDownload[];
}

function stringsIn(value: unknown, into: Set<string>) {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, into);
}

export async function listLegalDocuments({ caseId }: { caseId: string }): Promise<LegalDocument[]> {
  const id = assertId(caseId, "Case");
  const [kase] = await db().select({ id: cases.id }).from(cases).where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const base = `/app/cases/${id}`;

  const waivers = await db()
    .select({
      waiverId: waiverSignatures.waiverId,
      signerName: waiverSignatures.signerName,
      sealedAt: waiverSignatures.sealedAt,
      sha256: waiverSignatures.sealedSha256,
      bytes: sql<number>`octet_length(${waiverSignatures.sealedPdf})`.mapWith(Number),
    })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.caseId, id))
    .orderBy(waiverSignatures.sealedAt);

  const acknowledgements = await db()
    .select({
      id: listAcknowledgements.id,
      contactLabel: listAcknowledgements.contactLabel,
      acknowledgedAt: listAcknowledgements.acknowledgedAt,
      kind: listVersions.kind,
      version: listVersions.version,
      versionSha256: listVersions.sha256,
    })
    .from(listAcknowledgements)
    .innerJoin(listVersions, eq(listVersions.id, listAcknowledgements.versionId))
    .where(eq(listAcknowledgements.caseId, id))
    .orderBy(listAcknowledgements.acknowledgedAt);

  const reports = await db()
    .select({
      id: backupReports.id,
      filename: backupReports.evidenceFilename,
      system: backupJobs.system,
      reportedAt: backupReports.reportedAt,
      reportedBy: backupReports.reportedByLabel,
      sha256: backupReports.evidenceSha256,
      bytes: backupReports.evidenceSize,
    })
    .from(backupReports)
    .innerJoin(backupJobs, eq(backupJobs.id, backupReports.backupJobId))
    .where(eq(backupReports.caseId, id))
    .orderBy(backupReports.reportedAt);

  const documents: Omit<LegalDocument, "downloads">[] = [
    ...waivers.map((row) => ({
      id: row.waiverId,
      kind: "sealed_waiver" as const,
      title: `Backup release signed by ${row.signerName}`,
      madeAt: row.sealedAt,
      madeBy: row.signerName,
      sha256: row.sha256,
      bytes: row.bytes,
      attests: null,
      href: `${base}/waiver/${row.waiverId}/signed.pdf`,
    })),
    // A receipt is rendered on request from immutable rows; its fingerprint is that of the bytes
    // a download gives now. The list version it attests keeps its own fingerprint for ever.
    ...(await Promise.all(
      acknowledgements.map(async (row) => {
        const receipt = await renderAcknowledgementReceipt({ caseId: id, acknowledgementId: row.id });
        const list = listKindLabels[row.kind as ListKind];
        return {
          id: row.id,
          kind: "list_receipt" as const,
          title: `${list}, version ${row.version}`,
          madeAt: row.acknowledgedAt,
          madeBy: row.contactLabel,
          sha256: createHash("sha256").update(receipt.bytes).digest("hex"),
          bytes: receipt.bytes.byteLength,
          attests: { label: `${list} version ${row.version}`, sha256: row.versionSha256 },
          href: `${base}/lists/receipts/${row.id}`,
        };
      }),
    )),
    ...reports.map((row) => ({
      id: row.id,
      kind: "backup_evidence" as const,
      title: `${row.filename} (${row.system})`,
      madeAt: row.reportedAt,
      madeBy: row.reportedBy,
      sha256: row.sha256,
      bytes: row.bytes,
      attests: null,
      href: `${base}/backups/reports/${row.id}/evidence`,
    })),
  ];

  // A download event names its document by id or by the SHA-256 of the bytes handed out; either
  // one ties it to the document here, whatever else its payload holds.
  const downloads = await db()
    .select({ seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actor: auditEvents.actorLabel, actorType: auditEvents.actorType, payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, id), inArray(auditEvents.action, DOWNLOAD_ACTIONS)))
    .orderBy(desc(auditEvents.seq))
    .limit(DOWNLOAD_LIMIT);
  const named = downloads.map((event) => {
    const strings = new Set<string>();
    stringsIn(event.payload, strings);
    return { event, strings };
  });
  const listed = documents.map((document) => ({
    ...document,
    downloads: named
      .filter(({ strings }) => strings.has(document.id) || strings.has(document.sha256) || (document.attests !== null && strings.has(document.attests.sha256)))
      .map(({ event }) => ({ seq: event.seq, occurredAt: event.occurredAt, actor: event.actor, actorType: event.actorType, detail: null })),
  }));

  // Packet versions: the content hash is the document; each copy handed out (sealed PDF or
  // export) has bytes of its own, named in the download's detail.
  const packets = (await listPacketVersions({ caseId: id })).reverse().map((version) => ({
    id: `packet-v${version.version}`,
    kind: "handover_packet" as const,
    title: `Handover packet, version ${version.version}`,
    madeAt: version.createdAt,
    madeBy: "Handover, at a download",
    sha256: version.contentSha256,
    bytes: version.contentBytes,
    attests: null,
    href: `${base}/packet`,
    downloads: version.downloads.map((download) => ({
      seq: download.seq,
      occurredAt: download.occurredAt,
      actor: download.actor,
      actorType: download.actorType,
      detail: `${packetDocumentLabels[download.document]}, SHA-256 ${download.sha256}`,
    })),
  }));
  return [...listed, ...packets];
}
