// The receipt of an acknowledgement: the exact items of the acknowledged version, its SHA-256 and
// the acknowledgement record (who, when, IP, user agent, and the audit event that holds it).
// Rendered on request from stored, immutable rows, so the same acknowledgement always gives the
// same document.
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { auditEvents, cases } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { inTransaction } from "../http/transaction.server";
import { NotFound } from "../http/refusals.server";
import { formatDate, formatInstant } from "../cases/format";
import { type InventoryDescription, columnLines } from "../inventory/describe";
import { getBranding } from "../msp/profile.server";
import { PdfWriter } from "../pdf/document.server";
import { getAcknowledgement } from "./acknowledgements.server";
import { parseListDocument } from "./canonical.server";
import { type HardwareListItem, type ListItem, hardwareLabel, listInventories, listKindLabels, sortListItems } from "./items";

export async function renderAcknowledgementReceipt({ caseId, acknowledgementId }: { caseId: string; acknowledgementId: string }) {
  const id = assertId(caseId, "Case");
  const acknowledgement = await getAcknowledgement(db(), { caseId: id, acknowledgementId });
  const [kase] = await db()
    .select({ reference: cases.reference, customer: cases.customerLegalName, timeZone: cases.timeZone, cutoverOn: cases.cutoverOn })
    .from(cases)
    .where(eq(cases.id, id));
  if (!kase) throw new NotFound("Case not found");
  const [event] = await db()
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.caseId, id),
        eq(auditEvents.action, "list.acknowledged"),
        sql`${auditEvents.payload}->>'acknowledgementId' = ${acknowledgement.id}`,
      ),
    );
  const branding = await getBranding();
  const listName = listKindLabels[acknowledgement.kind];
  const document = parseListDocument(acknowledgement.canonicalJson);
  const when = (instant: Date) => formatInstant(instant, kase.timeZone);

  const pdf = await PdfWriter.create({
    info: {
      title: `${listName} acknowledgement receipt — ${kase.reference} version ${acknowledgement.version}`,
      author: branding.legalName,
      subject: `SHA-256 ${acknowledgement.sha256}`,
      createdAt: acknowledgement.acknowledgedAt,
    },
    accentColor: branding.accentColor,
    footer: `${branding.legalName} · ${kase.reference} · ${listName} version ${acknowledgement.version} · SHA-256 ${acknowledgement.sha256.slice(0, 16)}…`,
  });
  pdf.heading("Acknowledgement receipt");
  pdf.paragraph(
    `${acknowledgement.contactLabel} acknowledged version ${acknowledgement.version} of the ${listName.toLowerCase()} ` +
      `for ${kase.customer} (${kase.reference}), as published by ${branding.legalName}. The SHA-256 fingerprint below ` +
      "is taken over the list's canonical JSON: any change to any item gives a different fingerprint.",
  );
  pdf.facts([
    ["Case", `${kase.customer} (${kase.reference})`],
    ["List", `${listName}, version ${acknowledgement.version} (${document.items.length} item${document.items.length === 1 ? "" : "s"})`],
    ["Published", `${when(acknowledgement.publishedAt)} by ${acknowledgement.publishedByLabel}`],
    ["Acknowledged by", acknowledgement.contactLabel],
    ["Acknowledged at", when(acknowledgement.acknowledgedAt)],
    ["IP address", acknowledgement.ip ?? "not recorded"],
    ["User agent", acknowledgement.userAgent ?? "not recorded"],
    ["Acknowledgement id", acknowledgement.id],
    ["Audit record", event ? `event ${event.seq} of the audit trail (hash below)` : "not found"],
    [
      "Status",
      acknowledgement.supersededAt
        ? `Superseded on ${when(acknowledgement.supersededAt)} by a newer version`
        : "Current: this is the latest version of the list",
    ],
  ]);

  // Fingerprints on lines of their own, unbroken, so they can be read out and compared.
  pdf.paragraph(`SHA-256 of ${listName.toLowerCase()} version ${acknowledgement.version}:`, { size: 9, muted: true });
  pdf.paragraph(acknowledgement.sha256, { size: 9, bold: true });
  if (event) {
    pdf.paragraph(`Hash of audit event ${event.seq}, which records this acknowledgement:`, { size: 9, muted: true });
    pdf.paragraph(event.hash, { size: 9 });
  }

  const items = sortListItems(acknowledgement.kind, document.items);
  if (acknowledgement.kind === "hardware" && acknowledgement.consents.length > 0) {
    const byId = new Map((items as HardwareListItem[]).map((item) => [item.id, item]));
    pdf.heading("Early retrieval agreed", 2);
    pdf.paragraph(`Cutover is on ${formatDate(kase.cutoverOn)}. The customer agreed that these items may be collected earlier:`);
    pdf.table(
      [
        { header: "Item", width: 0.7 },
        { header: "May be collected from", width: 0.3 },
      ],
      acknowledgement.consents.map((consent) => [
        byId.get(consent.itemId) ? hardwareLabel(byId.get(consent.itemId)!) : consent.itemId,
        formatDate(consent.earliestOn),
      ]),
    );
  }
  // The same columns as the list's table on screen, from the kind's description.
  const description = listInventories[acknowledgement.kind] as unknown as InventoryDescription<ListItem>;
  const columns = description.columns ?? [];
  pdf.heading("Items", 2);
  pdf.table(
    columns.map(({ header, width }) => ({ header, width })),
    items.map((item) => columns.map((column) => columnLines(description, column, item).join("\n"))),
  );
  const bytes = await pdf.finish();
  return {
    filename: `${kase.reference}-${acknowledgement.kind}-v${acknowledgement.version}-receipt.pdf`,
    bytes,
    caseId: id,
    acknowledgementId: acknowledgement.id,
    kind: acknowledgement.kind,
    version: acknowledgement.version,
    listSha256: acknowledgement.sha256,
  };
}

/** A receipt handed to someone: rendered, then recorded with the SHA-256 of the exact bytes given out. */
export async function downloadAcknowledgementReceipt({ actor, caseId, acknowledgementId }: { actor: Actor; caseId: string; acknowledgementId: string }) {
  const receipt = await renderAcknowledgementReceipt({ caseId, acknowledgementId });
  await inTransaction((tx) =>
    recordAudit(tx, {
      actor,
      caseId: receipt.caseId,
      event: {
        action: "list.receipt_downloaded",
        payload: {
          kind: receipt.kind,
          acknowledgementId: receipt.acknowledgementId,
          version: receipt.version,
          listSha256: receipt.listSha256,
          sha256: createHash("sha256").update(receipt.bytes).digest("hex"),
          bytes: receipt.bytes.byteLength,
        },
      },
    }),
  );
  return { filename: receipt.filename, bytes: receipt.bytes };
}

/** The HTTP answer for a receipt: a download that no cache keeps. */
export function receiptResponse({ filename, bytes }: { filename: string; bytes: Uint8Array }) {
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "Content-Length": String(bytes.byteLength),
    },
  });
}
