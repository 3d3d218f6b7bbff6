// The handover packet: who may have it, its versions, and every copy handed out. The packet always
// shows the case's current records; its version moves on only when its content hash does, and
// each download is recorded with the version and the SHA-256 of the exact bytes handed out, so the
// MSP can show what it handed over when. See docs/decisions/016-handover-packet.md.
import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "../../db/client";
import { auditEvents, handoverPacketSettings, handoverPacketVersions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase, lockCase } from "../cases/access.server";
import type { ContactRole } from "../cases/vocabulary";
import { config } from "../config.server";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import type { Params } from "@remix-run/react";
import { answer } from "../http/handle.server";
import { Forbidden, NotFound } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { getBranding, getLogo } from "../msp/profile.server";
import { hashPacketContent, readPacketContent } from "./packet-content.server";
import { buildPacketZip } from "./packet-export.server";
import { type PacketRenderInput, type PacketVersionInfo, renderPacketPdf } from "./packet-pdf.server";
import { PACKET_DOCUMENTS, type PacketDocument } from "./vocabulary";

export const customerAccessSchema = z.object({
  customerMayDownload: z.enum(["yes", "no"], { error: "Choose whether the customer may download the packet." }),
});

async function customerMayDownload(executor: Executor, caseId: string) {
  const [row] = await executor.select({ allowed: handoverPacketSettings.customerMayDownload }).from(handoverPacketSettings).where(eq(handoverPacketSettings.caseId, caseId));
  return row?.allowed ?? false;
}

/**
 * Whether a contact of the case may download its packet: the incoming provider always (it is what
 * it takes over), the customer's people only where staff allowed it for the case.
 */
export async function contactMayDownloadPacket({ caseId, role }: { caseId: string; role: ContactRole }) {
  if (role === "provider") return true;
  return customerMayDownload(db(), assertId(caseId, "Case"));
}

export async function assertContactMayDownloadPacket(options: { caseId: string; role: ContactRole }) {
  if (!(await contactMayDownloadPacket(options))) throw new Forbidden("The MSP has not made the handover packet available to the customer for this case.");
}

/** Staff allow or stop the customer's downloads; the change is recorded, an unchanged choice is not. */
export async function setCustomerPacketAccess({ actor, caseId, input }: { actor: Actor; caseId: string; input: unknown }) {
  const allowed = parseInput(customerAccessSchema, input).customerMayDownload === "yes";
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    if ((await customerMayDownload(tx, kase.id)) === allowed) return { customerMayDownload: allowed, changed: false };
    await tx
      .insert(handoverPacketSettings)
      .values({ caseId: kase.id, customerMayDownload: allowed })
      .onConflictDoUpdate({ target: handoverPacketSettings.caseId, set: { customerMayDownload: allowed, updatedAt: new Date() } });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "packet.customer_access_changed", payload: { customerMayDownload: allowed } } });
    return { customerMayDownload: allowed, changed: true };
  });
}

/** Everything a packet file is made from: its content, its version and the MSP's look. */
export type PreparedPacket = Omit<PacketRenderInput, "verifyUrl">;

const versionColumns = { version: handoverPacketVersions.version, contentSha256: handoverPacketVersions.contentSha256, createdAt: handoverPacketVersions.createdAt };

/**
 * Reads the packet's content and finds its version: the latest one when the content hash is the
 * same, else a new one. The case row is held while it is numbered, so two downloads of new
 * content cannot both claim the next number. Nothing is rendered here: rendering and sealing run
 * after this short transaction, outside every lock (as the waiver's seal does).
 */
export async function preparePacket({ caseId, now = new Date() }: { caseId: string; now?: Date }): Promise<PreparedPacket> {
  const id = assertId(caseId, "Case");
  const [branding, logo] = await Promise.all([getBranding(), getLogo()]);
  const msp = { legalName: branding.legalName, address: branding.address, contactEmail: branding.contactEmail, contactPhone: branding.contactPhone };
  const prepared = await inTransaction(async (tx) => {
    const kase = await lockCase(tx, id);
    const content = await readPacketContent(tx, { caseId: kase.id, msp, now });
    const { canonical, sha256 } = hashPacketContent(content);
    const [latest] = await tx.select(versionColumns).from(handoverPacketVersions).where(eq(handoverPacketVersions.caseId, kase.id)).orderBy(desc(handoverPacketVersions.version)).limit(1);
    if (latest?.contentSha256 !== sha256) {
      await tx.insert(handoverPacketVersions).values({ caseId: kase.id, version: (latest?.version ?? 0) + 1, contentSha256: sha256, contentJson: canonical, createdAt: now });
    }
    const history = await tx.select(versionColumns).from(handoverPacketVersions).where(eq(handoverPacketVersions.caseId, kase.id)).orderBy(asc(handoverPacketVersions.version));
    return { content, current: history.at(-1)!, history };
  });
  return { ...prepared, generatedAt: now, accentColor: branding.accentColor, logo: logo?.bytes ?? null };
}

const AUDIT_KIND: Record<PacketDocument, "handover_packet" | "handover_export"> = { pdf: "handover_packet", zip: "handover_export" };

export interface PacketFile {
  document: PacketDocument;
  filename: string;
  bytes: Uint8Array;
  sha256: string;
  version: number;
  contentSha256: string;
}

async function renderFile(prepared: PreparedPacket, document: PacketDocument): Promise<PacketFile> {
  const bytes =
    document === "pdf"
      ? await renderPacketPdf({ ...prepared, verifyUrl: `${config().HANDOVER_PUBLIC_URL}/verify` })
      : buildPacketZip(prepared);
  return {
    document,
    filename: `handover-packet-${prepared.content.case.reference}-v${prepared.current.version}.${document}`,
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    version: prepared.current.version,
    contentSha256: prepared.current.contentSha256,
  };
}

/** Records files as handed out, in one transaction: after it commits, and only then, they may leave. */
async function recordDownloads({ actor, caseId, files }: { actor: Actor; caseId: string; files: PacketFile[] }) {
  await inTransaction(async (tx) => {
    for (const file of files) {
      await recordAudit(tx, {
        actor,
        caseId,
        event: {
          action: "document.downloaded",
          payload: { kind: AUDIT_KIND[file.document], version: file.version, contentSha256: file.contentSha256, sha256: file.sha256, bytes: file.bytes.byteLength },
        },
      });
    }
  });
}

/** One copy of the current packet (sealed PDF or export zip), recorded as handed to `actor`. */
export async function downloadPacket({ actor, caseId, document, now = new Date() }: { actor: Actor; caseId: string; document: PacketDocument; now?: Date }): Promise<PacketFile> {
  const prepared = await preparePacket({ caseId, now });
  const file = await renderFile(prepared, document);
  await recordDownloads({ actor, caseId: prepared.content.case.id, files: [file] });
  return file;
}

/** Both files of the current packet, of one version, recorded as two downloads (the CLI's export). */
export async function exportPacketFiles({ actor, caseId, now = new Date() }: { actor: Actor; caseId: string; now?: Date }) {
  const prepared = await preparePacket({ caseId, now });
  const files = [await renderFile(prepared, "pdf"), await renderFile(prepared, "zip")];
  await recordDownloads({ actor, caseId: prepared.content.case.id, files });
  return { reference: prepared.content.case.reference, version: prepared.current.version, contentSha256: prepared.current.contentSha256, pdf: files[0]!, zip: files[1]! };
}

export interface PacketDownload {
  seq: number;
  occurredAt: Date;
  actor: string;
  actorType: string;
  document: PacketDocument;
  version: number;
  sha256: string;
  bytes: number;
}

export interface PacketVersionRow extends PacketVersionInfo {
  /** Size of the version's canonical content (the JSON its hash is taken over). */
  contentBytes: number;
  downloads: PacketDownload[];
}

/** The case's packet versions, newest first, each with its recorded downloads, read from the audit trail. */
export async function listPacketVersions({ caseId, executor = db() }: { caseId: string; executor?: Executor }): Promise<PacketVersionRow[]> {
  const id = assertId(caseId, "Case");
  const versions = await executor
    .select({ ...versionColumns, contentBytes: sql<number>`octet_length(${handoverPacketVersions.contentJson})`.mapWith(Number) })
    .from(handoverPacketVersions)
    .where(eq(handoverPacketVersions.caseId, id))
    .orderBy(desc(handoverPacketVersions.version));
  const events = await executor
    .select({ seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actor: auditEvents.actorLabel, actorType: auditEvents.actorType, payload: auditEvents.payload })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.caseId, id),
        eq(auditEvents.action, "document.downloaded"),
        inArray(sql<string>`${auditEvents.payload}->>'kind'`, Object.values(AUDIT_KIND)),
      ),
    )
    .orderBy(desc(auditEvents.seq));
  const downloads = events.map(({ payload, ...event }) => {
    const facts = payload as { kind: "handover_packet" | "handover_export"; version: number; sha256: string; bytes: number };
    return { ...event, document: (facts.kind === "handover_packet" ? "pdf" : "zip") as PacketDocument, version: facts.version, sha256: facts.sha256, bytes: facts.bytes };
  });
  return versions.map((version) => ({ ...version, downloads: downloads.filter((download) => download.version === version.version) }));
}

/** Whether the customer may download, for the staff page. */
export async function getPacketSettings({ caseId }: { caseId: string }) {
  return { customerMayDownload: await customerMayDownload(db(), assertId(caseId, "Case")) };
}

/** Each version's canonical content as stored, oldest first (the evidence bundle carries them). */
export async function packetVersionContents(executor: Executor, { caseId }: { caseId: string }) {
  return executor
    .select({ version: handoverPacketVersions.version, contentSha256: handoverPacketVersions.contentSha256, contentJson: handoverPacketVersions.contentJson, createdAt: handoverPacketVersions.createdAt })
    .from(handoverPacketVersions)
    .where(eq(handoverPacketVersions.caseId, assertId(caseId, "Case")))
    .orderBy(asc(handoverPacketVersions.version));
}

/** The `$document` route parameter: "pdf" or "zip", anything else not found. */
export function packetDocumentParam(params: Params): PacketDocument {
  const value = params.document;
  if (!(PACKET_DOCUMENTS as readonly string[]).includes(value ?? "")) throw answer(new NotFound());
  return value as PacketDocument;
}

const CONTENT_TYPES: Record<PacketDocument, string> = { pdf: "application/pdf", zip: "application/zip" };

/** The HTTP answer: a download no cache keeps (every download is recorded), with the SHA-256 the record holds. */
export function packetResponse(file: PacketFile) {
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "Content-Type": CONTENT_TYPES[file.document],
      "Content-Length": String(file.bytes.byteLength),
      "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Content-SHA256": file.sha256,
      "X-Packet-Version": String(file.version),
    },
  });
}
