// The handover packet as a PDF, laid out by the one PDF writer from the packet's content and sealed
// like the waiver: one signature, applied last, over the whole file (docs/decisions/007 and 016).
// Cover with the MSP's branding, contents, then a section per part of the takeover.
import { formatDate, formatInstant, formatSize } from "../cases/format";
import { backupJobStateLabels, contactRoleLabels } from "../cases/vocabulary";
import { reportStatusLabels, transitionStatusLabels } from "../backups/vocabulary";
import { columnLines, type InventoryDescription } from "../inventory/describe";
import { hardwareInventory } from "../inventory/hardware";
import { subscriptionInventory } from "../inventory/subscriptions";
import { listKindLabels } from "../lists/items";
import { PdfWriter } from "../pdf/document.server";
import { sealPdf } from "../signing/pdf-seal.server";
import { dispositionText } from "../waiver/document";
import type { PacketContent } from "./packet-content.server";
import { accessRemovalState, accessRemovalStateLabels, mspAccessKindLabels } from "./vocabulary";

export interface PacketVersionInfo {
  version: number;
  contentSha256: string;
  createdAt: Date;
}

export interface PacketRenderInput {
  content: PacketContent;
  current: PacketVersionInfo;
  /** Every version of the case's packet, oldest first. */
  history: PacketVersionInfo[];
  generatedAt: Date;
  accentColor: string;
  logo: Uint8Array | null;
  verifyUrl: string;
}

// Fingerprints sit on lines of their own in a small size, so they read out unbroken.
const FACTS = { size: 8.5, labelWidth: 130 };

function describedTable<Row>(writer: PdfWriter, description: InventoryDescription<Row>, rows: Row[]) {
  const columns = description.columns ?? [];
  writer.table(
    columns.map(({ header, width }) => ({ header, width })),
    rows.map((row) => columns.map((column) => columnLines(description, column, row).join("\n"))),
  );
}

const none = (writer: PdfWriter, text: string) => writer.paragraph(text, { muted: true });

/** Renders and seals the packet. Returns the sealed bytes; nothing may change them afterwards. */
export async function renderPacketPdf(input: PacketRenderInput): Promise<Uint8Array> {
  const { content, current, generatedAt } = input;
  const { msp, customer, incomingProvider } = content.parties;
  const zone = content.case.timeZone;
  const when = (instant: string | Date | null) => (instant ? formatInstant(instant, zone) : "—");
  const writer = await PdfWriter.create({
    info: {
      title: `Handover packet — ${customer.legalName} to ${incomingProvider.name} (${content.case.reference}, version ${current.version})`,
      author: msp.legalName,
      subject: `Content SHA-256 ${current.contentSha256}`,
      createdAt: generatedAt,
    },
    accentColor: input.accentColor,
    footer: `${msp.legalName} · ${content.case.reference} · handover packet version ${current.version}`,
  });

  // Cover.
  if (input.logo) await writer.image(input.logo, { maxWidth: 180, maxHeight: 70 });
  writer.spacer(24);
  writer.paragraph(msp.legalName, { size: 11, muted: true });
  writer.paragraph("Handover packet", { size: 26, bold: true });
  writer.paragraph(`${customer.legalName} → ${incomingProvider.name}`, { size: 14 });
  writer.spacer(12);
  writer.facts(
    [
      ["Case", content.case.reference],
      ["Version", `${current.version}, first made ${when(current.createdAt)}`],
      ["Content SHA-256", current.contentSha256],
      ["Generated", `${when(generatedAt)} (${zone})`],
      ["Support now", content.support.summary],
      ["Prepared by", [msp.legalName, msp.address, msp.contactEmail, msp.contactPhone].filter(Boolean).join("\n")],
    ],
    FACTS,
  );
  writer.paragraph(
    `This packet states what ${incomingProvider.name} takes over from ${msp.legalName}, from the case's records at the time it was generated. ` +
      `It is sealed by ${msp.legalName}: any change to the file after sealing is reported by PDF readers as an invalid signature. ` +
      `The export (zip) holds the same content as JSON (format handover.packet/1, with its JSON Schema) and as CSV files; the content SHA-256 above is taken over that JSON's content.`,
    { size: 9, muted: true },
  );
  writer.tableOfContents();

  writer.heading("Parties and contacts", 1, { contents: true });
  writer.facts([
    ["MSP (handing over)", [msp.legalName, msp.address].filter(Boolean).join("\n")],
    ["Customer (leaving)", [customer.legalName, customer.address].filter(Boolean).join("\n")],
    ["Incoming provider", incomingProvider.name],
    ["Responsible engineer", `${content.parties.responsibleEngineer.name} <${content.parties.responsibleEngineer.email}>`],
  ]);
  if (content.parties.contacts.length === 0) none(writer, "No contacts are recorded.");
  else {
    writer.table(
      [
        { header: "Role", width: 0.17 },
        { header: "Name", width: 0.22 },
        { header: "Email", width: 0.37 },
        { header: "Phone and job title", width: 0.24 },
      ],
      content.parties.contacts.map((contact) => [
        contactRoleLabels[contact.role],
        contact.name,
        contact.email,
        [contact.phone, contact.jobTitle].filter(Boolean).join("\n"),
      ]),
    );
  }

  writer.heading("Key dates and support responsibility", 1, { contents: true });
  const { keyDates, support } = content;
  writer.facts([
    ["Notice received", formatDate(keyDates.noticeReceivedOn)],
    ["Cutover", formatDate(keyDates.cutoverOn)],
    ["Support transfer planned", keyDates.supportTransferPlannedOn ? formatDate(keyDates.supportTransferPlannedOn) : "Not planned"],
    ["Portal access ends", formatDate(keyDates.portalAccessEndsOn)],
    ["Credentials received", keyDates.keysReceivedAt ? `${when(keyDates.keysReceivedAt)} by ${keyDates.keysReceivedBy ?? "—"}` : "Not confirmed yet"],
  ]);
  writer.heading("Who is responsible for support", 2);
  writer.paragraph(support.summary, { bold: true });
  writer.facts([
    ["Responsible now", support.responsible === "incoming_provider" ? incomingProvider.name : msp.legalName],
    ["From", support.acceptedFrom ? formatDate(support.acceptedFrom) : "Not accepted yet"],
    ["Accepted", support.acceptedAt ? `${when(support.acceptedAt)} by ${support.acceptedBy}` : "—"],
  ]);

  writer.heading(`Hardware (${content.hardware.length})`, 1, { contents: true, newPage: true });
  if (content.hardware.length === 0) none(writer, "No hardware is recorded.");
  else describedTable(writer, hardwareInventory, content.hardware);

  writer.heading(`Subscriptions (${content.subscriptions.length})`, 1, { contents: true, newPage: true });
  if (content.subscriptions.length === 0) none(writer, "No subscriptions are recorded.");
  else describedTable(writer, subscriptionInventory, content.subscriptions);

  writer.heading(`Backup jobs (${content.backupJobs.length})`, 1, { contents: true, newPage: true });
  if (content.backupJobs.length === 0) none(writer, "The MSP runs no backup jobs for the customer.");
  else {
    writer.table(
      [
        { header: "Backup job", width: 0.26 },
        { header: "Schedule and retention", width: 0.18 },
        { header: "Transition", width: 0.26 },
        { header: "New provider's evidence", width: 0.3 },
      ],
      content.backupJobs.map((job) => [
        `${job.system}\n${job.scope}`,
        `${job.schedule}\n${job.retention}`,
        [`${transitionStatusLabels[job.transition.status]} (${backupJobStateLabels[job.state]})`, job.transition.explanation].join("\n"),
        job.reports.length === 0
          ? "No report yet"
          : job.reports
              .map((report) =>
                [
                  `${reportStatusLabels[report.status]}: ${report.providerSystem}, completed ${when(report.completedAt)}`,
                  report.reviewedBy ? `Reviewed by ${report.reviewedBy}` : null,
                  report.rejectionReason ? `Rejected: ${report.rejectionReason}` : null,
                  `${report.evidence.filename}, SHA-256 ${report.evidence.sha256}`,
                ]
                  .filter(Boolean)
                  .join("\n"),
              )
              .join("\n"),
      ]),
    );
  }

  writer.heading(`Historical backup sets (${content.backupSets.length})`, 1, { contents: true });
  if (content.backupSets.length === 0) none(writer, "The MSP holds no historical backup sets for the customer.");
  else {
    writer.table(
      [
        { header: "Backup set", width: 0.3 },
        { header: "Size", width: 0.1 },
        { header: "Proposed", width: 0.25 },
        { header: "Agreed", width: 0.35 },
      ],
      content.backupSets.map((set) => [
        `${set.description}\n${set.location}`,
        formatSize(set.sizeGb),
        set.proposedDisposition && set.dispositionOn
          ? dispositionText({ disposition: set.proposedDisposition, dispositionOn: set.dispositionOn, handOverMethod: set.handOverMethod })
          : "Not proposed yet",
        set.agreed ? `${dispositionText(set.agreed)}\nIn the backup release signed ${when(set.agreed.signedAt)}` : "Not agreed yet",
      ]),
    );
  }

  writer.heading(`Credentials released to ${incomingProvider.name} (${content.credentials.length})`, 1, { contents: true, newPage: true });
  writer.paragraph("An index only: no password, code or secret note is part of this packet. The values are revealed or exported in the handover portal.", {
    size: 9,
    muted: true,
  });
  if (content.credentials.length === 0) none(writer, "No credentials have been released yet.");
  else {
    writer.table(
      [
        { header: "Name", width: 0.24 },
        { header: "System", width: 0.18 },
        { header: "URL", width: 0.28 },
        { header: "Username", width: 0.18 },
        { header: "Rotated on", width: 0.12 },
      ],
      content.credentials.map((credential) => [credential.name, credential.system, credential.url, credential.username, formatDate(credential.rotatedOn)]),
    );
  }

  writer.heading(`MSP access removals (${content.accessRemovals.length})`, 1, { contents: true, newPage: true });
  if (content.accessRemovals.length === 0) none(writer, "No MSP access points are recorded.");
  else {
    writer.table(
      [
        { header: "Access", width: 0.28 },
        { header: "Removed", width: 0.36 },
        { header: "Status", width: 0.36 },
      ],
      content.accessRemovals.map((point) => [
        [point.name, mspAccessKindLabels[point.kind], point.details].filter(Boolean).join("\n"),
        point.removedOn ? `${formatDate(point.removedOn)} by ${point.removedBy}\n${point.method}` : "—",
        [
          accessRemovalStateLabels[accessRemovalState(point)],
          point.confirmation ? `${when(point.confirmedAt)} by ${point.confirmedBy}` : null,
          point.disputeReason,
        ]
          .filter(Boolean)
          .join("\n"),
      ]),
    );
  }

  writer.heading("Signed documents and acknowledgements", 1, { contents: true, newPage: true });
  writer.heading("Sealed backup releases", 2);
  if (content.documents.waivers.length === 0) none(writer, "No backup release has been signed.");
  for (const waiver of content.documents.waivers) {
    writer.facts(
      [
        ["Document id", waiver.id],
        ["Signed", `${when(waiver.signedAt)} by ${waiver.signerName}`],
        ["SHA-256 (sealed)", waiver.sealedSha256],
        ["SHA-256 (as sent)", waiver.unsignedSha256],
      ],
      FACTS,
    );
  }
  writer.heading("List acknowledgements", 2);
  if (content.documents.acknowledgements.length === 0) none(writer, "No list has been acknowledged.");
  for (const acknowledgement of content.documents.acknowledgements) {
    writer.facts(
      [
        ["List", `${listKindLabels[acknowledgement.list]}, version ${acknowledgement.version}${acknowledgement.supersededAt ? ` (superseded ${when(acknowledgement.supersededAt)})` : ""}`],
        ["Acknowledged", `${when(acknowledgement.acknowledgedAt)} by ${acknowledgement.acknowledgedBy}`],
        ["SHA-256 of the list", acknowledgement.listSha256],
      ],
      FACTS,
    );
  }

  writer.heading("About this packet", 1, { contents: true });
  writer.paragraph(
    "The packet always shows the case's current records. Its content SHA-256 is taken over the canonical JSON of its content (the export's packet.json, " +
      "keys sorted, no whitespace) and leaves out the time it was generated, so the same records always give the same hash. A new version starts " +
      "whenever the content changes; every download is recorded in the case's audit trail with the version and the SHA-256 of the file handed out.",
    { size: 9 },
  );
  writer.table(
    [
      { header: "Version", width: 0.09 },
      { header: "First made", width: 0.21 },
      { header: "Content SHA-256", width: 0.7 },
    ],
    input.history.map((entry) => [String(entry.version), when(entry.createdAt), entry.contentSha256]),
    { size: 7.5 },
  );

  return sealPdf(writer, {
    reason: `Handover packet ${content.case.reference} version ${current.version}, content SHA-256 ${current.contentSha256}`,
    name: msp.legalName,
    location: input.verifyUrl,
    contactInfo: msp.contactEmail || msp.legalName,
    signingTime: generatedAt,
  });
}

