// The handover packet's machine-readable export: one zip with packet.json (validated against the
// JSON Schema shipped beside this file before it is handed out), the schema itself, one CSV per
// list and a README. The hardware and subscription CSVs use the inventory descriptions' labels as
// headers and write choices by their labels, so Handover's own CSV import maps them back column
// for column; every CSV opens in a spreadsheet (UTF-8 with a byte-order mark).
import { createHash } from "node:crypto";
import Ajv2020 from "ajv/dist/2020";
import { stringify } from "csv-stringify/sync";
import { zipSync } from "fflate";
import { backupJobStateLabels, backupSetDispositionLabels, nextStepOwnerLabels } from "../cases/vocabulary";
import { reportStatusLabels, transitionStatusLabels } from "../backups/vocabulary";
import { type FieldDescription, type InventoryDescription, fieldNames } from "../inventory/describe";
import { hardwareInventory } from "../inventory/hardware";
import { subscriptionInventory } from "../inventory/subscriptions";
import { PACKET_FORMAT, type PacketContent } from "./packet-content.server";
import type { PacketVersionInfo } from "./packet-pdf.server";
import packetSchema from "./packet.schema.json";
import { accessRemovalState, accessRemovalStateLabels, mspAccessKindLabels } from "./vocabulary";

export const PACKET_SCHEMA_FILE = "handover-packet.schema.json";

export interface PacketJson {
  format: typeof PACKET_FORMAT;
  packet: { version: number; contentSha256: string; versionCreatedAt: string; generatedAt: string };
  content: PacketContent;
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;
/** The shipped schema's verdict on a packet.json; strict, so a schema that says less than it means fails too. */
export function validatePacketJson(value: unknown): { ok: true } | { ok: false; errors: string[] } {
  validator ??= new Ajv2020({ strict: true, allErrors: true }).compile(packetSchema);
  if (validator(value)) return { ok: true };
  return { ok: false, errors: (validator.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`) };
}

type Cell = string | number | null | undefined;

// A cell a spreadsheet would run as a formula gets a leading apostrophe (numbers stay numbers);
// packet.json keeps every value exactly.
const defused = (cell: Cell) => {
  const text = cell === null || cell === undefined ? "" : String(cell);
  return /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
};

function csv(headers: string[], rows: Cell[][]): string {
  return `\uFEFF${stringify(rows.map((row) => row.map(defused)), { header: true, columns: headers, record_delimiter: "\r\n" })}`;
}

/** An inventory item's value as its CSV import reads it back: choices by label, dates as written, money in units. */
function importableValue<Row>(description: InventoryDescription<Row>, field: keyof Row & string, row: Row): Cell {
  const value = row[field];
  if (value === null || value === undefined) return "";
  if (field === "monthlyCostCents") return (Number(value) / 100).toFixed(2);
  const { format } = description.fields[field] as FieldDescription<Row, typeof field>;
  if (format && typeof value === "string") return format(value as NonNullable<Row[typeof field]>, row);
  return value instanceof Date ? value.toISOString() : (value as Cell);
}

/** Every described field, its label as the header, after the item's id. */
function describedCsv<Row extends { id: string }>(description: InventoryDescription<Omit<Row, "id">>, rows: Row[]): string {
  const fields = fieldNames(description);
  return csv(
    ["Handover ID", ...fields.map((field) => description.fields[field].label)],
    rows.map((row) => [row.id, ...fields.map((field) => importableValue(description, field, row))]),
  );
}

export function packetCsvFiles(content: PacketContent): Record<string, string> {
  const label = <K extends string>(labels: Record<K, string>, value: K | null) => (value ? labels[value] : "");
  return {
    "hardware.csv": describedCsv(hardwareInventory, content.hardware),
    "subscriptions.csv": describedCsv(subscriptionInventory, content.subscriptions),
    "backup-jobs.csv": csv(
      [
        "Handover ID",
        "System",
        "Scope",
        "Schedule",
        "Retention",
        "State",
        "Stopped at",
        "Transition",
        "Waiting for",
        "Explanation",
        "Latest report",
        "Report completed at",
        "Provider system",
        "Reviewed by",
        "Evidence file",
        "Evidence SHA-256",
      ],
      content.backupJobs.map((job) => {
        const report = job.reports.at(-1);
        return [
          job.id,
          job.system,
          job.scope,
          job.schedule,
          job.retention,
          backupJobStateLabels[job.state],
          job.stoppedAt,
          transitionStatusLabels[job.transition.status],
          label(nextStepOwnerLabels, job.transition.waitingFor),
          job.transition.explanation,
          report ? reportStatusLabels[report.status] : "",
          report?.completedAt,
          report?.providerSystem,
          report?.reviewedBy,
          report?.evidence.filename,
          report?.evidence.sha256,
        ];
      }),
    ),
    "backup-sets.csv": csv(
      [
        "Handover ID",
        "Description",
        "Location",
        "Size (GB)",
        "Proposed disposition",
        "Disposition date",
        "Hand-over method",
        "Agreed disposition",
        "Agreed date",
        "Agreed hand-over method",
        "Agreed in release",
        "Release signed at",
      ],
      content.backupSets.map((set) => [
        set.id,
        set.description,
        set.location,
        set.sizeGb,
        label(backupSetDispositionLabels, set.proposedDisposition),
        set.dispositionOn,
        set.handOverMethod,
        label(backupSetDispositionLabels, set.agreed?.disposition ?? null),
        set.agreed?.dispositionOn,
        set.agreed?.handOverMethod,
        set.agreed?.waiverId,
        set.agreed?.signedAt,
      ]),
    ),
    "credentials.csv": csv(
      ["Handover ID", "Name", "System", "URL", "Username", "Rotated on"],
      content.credentials.map((credential) => [credential.id, credential.name, credential.system, credential.url, credential.username, credential.rotatedOn]),
    ),
    "access-removals.csv": csv(
      ["Handover ID", "Kind", "Name", "Details", "Removed on", "Removed by", "How removed", "Status", "Confirmed or disputed at", "Confirmed or disputed by", "Dispute reason"],
      content.accessRemovals.map((point) => [
        point.id,
        mspAccessKindLabels[point.kind],
        point.name,
        point.details,
        point.removedOn,
        point.removedBy,
        point.method,
        accessRemovalStateLabels[accessRemovalState(point)],
        point.confirmedAt,
        point.confirmedBy,
        point.disputeReason,
      ]),
    ),
  };
}

function readme(json: PacketJson, files: string[]): string {
  const { content, packet } = json;
  return [
    `Handover packet ${content.case.reference}, version ${packet.version}`,
    `${content.parties.customer.legalName} -> ${content.parties.incomingProvider.name}, from ${content.parties.msp.legalName}`,
    `Generated ${packet.generatedAt}`,
    "",
    "packet.json",
    `  The whole packet, format ${PACKET_FORMAT}, valid against ${PACKET_SCHEMA_FILE} (JSON Schema 2020-12).`,
    "  \"content\" is what the packet states; \"packet\" says which version this is and when the file was made.",
    `  Content SHA-256: ${packet.contentSha256}`,
    "  It is the SHA-256 of the canonical JSON of \"content\": object keys sorted at every depth, no whitespace,",
    "  strings and numbers as JSON.stringify writes them (RFC 8785, JCS). The same records always give the same",
    "  hash; the sealed PDF of the same version states it on its cover.",
    "",
    "CSV files (UTF-8, one per list; packet.json keeps every value exactly, a CSV cell that a spreadsheet would",
    "run as a formula starts with an apostrophe):",
    ...files.map((file) => `  ${file}`),
    "  hardware.csv and subscriptions.csv import back into Handover (case > Import): every column maps to its field.",
    "",
    "SHA256SUMS lists every file's SHA-256: check them with  sha256sum -c SHA256SUMS",
    "",
    "No secret value (password, one-time code seed, secret note) is part of this packet.",
    "",
  ].join("\n");
}

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The export zip of one version of the packet. Its JSON is checked against the schema first. */
export function buildPacketZip({ content, current, generatedAt }: { content: PacketContent; current: PacketVersionInfo; generatedAt: Date }): Uint8Array {
  const json: PacketJson = {
    format: PACKET_FORMAT,
    packet: { version: current.version, contentSha256: current.contentSha256, versionCreatedAt: current.createdAt.toISOString(), generatedAt: generatedAt.toISOString() },
    content,
  };
  const verdict = validatePacketJson(json);
  // The content and the schema are both Handover's: a mismatch is a bug, never handed out.
  if (!verdict.ok) throw new Error(`The packet does not match its schema: ${verdict.errors.slice(0, 5).join("; ")}`);
  const csvFiles = packetCsvFiles(content);
  const encoder = new TextEncoder();
  const files: Record<string, Uint8Array> = {
    "packet.json": encoder.encode(`${JSON.stringify(json, null, 2)}\n`),
    [PACKET_SCHEMA_FILE]: encoder.encode(`${JSON.stringify(packetSchema, null, 2)}\n`),
    ...Object.fromEntries(Object.entries(csvFiles).map(([name, text]) => [name, encoder.encode(text)])),
  };
  files["README.txt"] = encoder.encode(readme(json, Object.keys(csvFiles)));
  const sums = Object.keys(files)
    .sort()
    .map((name) => `${sha256Hex(files[name]!)}  ${name}`);
  files.SHA256SUMS = encoder.encode(`${sums.join("\n")}\n`);
  const root = `handover-packet-${content.case.reference}-v${current.version}`;
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${root}/${name}`, [bytes, { mtime: generatedAt }]])), { level: 6 });
}
