// The handover packet as its recipients see it: the sealed PDF read with pdftotext and checked with
// pdfsig, the export unzipped and validated against its JSON Schema with ajv, its CSVs read back
// by Handover's own import; versions and the record of every download; who may download it; and
// no secret value anywhere in either file.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { stringify } from "csv-stringify/sync";
import { and, asc, eq, sql } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../app/audit/audit.server";
import { canonicalJson } from "../app/audit/chain-check.js";
import { updateHardwareItem } from "../app/cases/hardware.server";
import { seedDemo } from "../app/demo/demo.server";
import { exportEvidenceBundle } from "../app/evidence/bundle.server";
import { addAccessPoint, answerAccessRemoval, markAccessRemoved } from "../app/handover/access-removals.server";
import { type PacketJson, validatePacketJson } from "../app/handover/packet-export.server";
import { downloadPacket, preparePacket } from "../app/handover/packet.server";
import { acceptSupportResponsibility } from "../app/handover/support.server";
import { listLegalDocuments } from "../app/legal/documents.server";
import { acknowledgeList } from "../app/lists/acknowledgements.server";
import { checkRows, importRows, parseCsv } from "../app/lists/import.server";
import { suggestMapping } from "../app/lists/import-fields";
import { renderAcknowledgementReceipt } from "../app/lists/receipt.server";
import { publishList } from "../app/lists/versions.server";
import { addHardwareItem } from "../app/cases/hardware.server";
import { addCredential, recordRotation } from "../app/vault/credentials.server";
import { confirmKeysReceived } from "../app/vault/keys-received.server";
import { packetCommands } from "../cli/commands/packet";
import { TRANSITION_STATUSES } from "../app/backups/vocabulary";
import { fieldNames } from "../app/inventory/describe";
import { hardwareInventory } from "../app/inventory/hardware";
import { subscriptionInventory } from "../app/inventory/subscriptions";
import { databaseHandle } from "../db/client";
import { BACKUP_JOB_STATES, BACKUP_SET_DISPOSITIONS, BILLING_PARTIES, CONTACT_ROLES, HARDWARE_CATEGORIES, HARDWARE_OWNERS, MSP_ACCESS_KINDS, SUBSCRIPTION_PLANS } from "../db/enums";
import { auditEvents, caseContacts, cases, handoverPacketVersions, hardwareItems, listVersions, mspAccessPoints, waiverSignatures } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { pdfPages } from "./helpers/pdf";
import { codeFrom, latestEmailTo } from "./helpers/portal";
import { startContactSession } from "../app/portal/session.server";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { createWaiverCase, pdfsig, sendAndConsent, signAsSigner } from "./helpers/waiver";

const PLANTED = "Planted-Secret-9f3ac1e7";
const PLANTED_ROTATED = "Rotated-Secret-51d02b8a";
const PLANTED_NOTE = "Recovery-Note-4e6f0c2d";
const PLANTED_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SIGNER = "Łukasz Müller-Øby";
const PROVIDER = "Zoë Ørsted";
const VIEWER = "王小明";

let server: TestServer;
let caseId: string;
let otherCaseId: string;
let reference: string;
let engineer: Actor;
const contacts: Record<"customer_signer" | "customer_viewer" | "provider", { id: string; email: string }> = {} as never;
let work: string;

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  const files = unzipSync(bytes);
  const [root] = Object.keys(files)[0]!.split("/");
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name.slice(root!.length + 1), content]));
}

const downloadsOf = (id: string) =>
  testDb()
    .select({ seq: auditEvents.seq, actorType: auditEvents.actorType, actorLabel: auditEvents.actorLabel, payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, id), eq(auditEvents.action, "document.downloaded")))
    .orderBy(asc(auditEvents.seq));

async function contactActor(role: keyof typeof contacts): Promise<Actor> {
  const [contact] = await testDb().select({ name: caseContacts.name, email: caseContacts.email }).from(caseContacts).where(eq(caseContacts.id, contacts[role].id));
  return { type: "contact", id: contacts[role].id, label: `${contact!.name} <${contact!.email}>`, ip: "198.51.100.7", userAgent: "vitest" };
}

beforeAll(async () => {
  server = await startTestServer();
  const demo = await seedDemo();
  [caseId, otherCaseId] = demo.caseIds as [string, string];
  const [kase] = await testDb().select({ reference: cases.reference }).from(cases).where(eq(cases.id, caseId));
  reference = kase!.reference;
  const user = await createTestStaff({ role: "engineer", name: "Erin Engineer" });
  engineer = { type: "staff", id: user.id, label: `${user.name} <${user.email}>` };
  for (const role of ["customer_signer", "customer_viewer", "provider"] as const) {
    const [contact] = await testDb().select({ id: caseContacts.id, email: caseContacts.email }).from(caseContacts).where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, role))).limit(1);
    contacts[role] = contact!;
  }
  // Names in three scripts; the packet is generated from the contacts as they are now.
  await testDb().update(caseContacts).set({ name: SIGNER }).where(eq(caseContacts.id, contacts.customer_signer.id));
  await testDb().update(caseContacts).set({ name: PROVIDER }).where(eq(caseContacts.id, contacts.provider.id));
  await testDb().update(caseContacts).set({ name: VIEWER }).where(eq(caseContacts.id, contacts.customer_viewer.id));

  // Enough hardware for its table to run over several pages, with notes that wrap.
  const rows = Array.from({ length: 70 }, (_, i) => [
    ["Laptop", "Workstation", "Printer", "Phone"][i % 4]!,
    `Packet Model ${i + 1}`,
    `PKT-${String(i + 1).padStart(4, "0")}`,
    i % 2 === 0 ? "Customer" : "Third-party lessor",
    i % 2 === 0 ? "" : "Southwest Office Leasing Ltd",
    i % 3 === 0 ? `Handed to ${VIEWER}; the charger and the docking station stay with the desk on the first floor by the window.` : "",
  ]);
  const csv = stringify([["Category", "Model", "Serial", "Owner", "Lessor", "Notes"], ...rows]);
  await importRows({ actor: engineer, caseId, request: { kind: "hardware", csv, mapping: suggestMapping("hardware", ["Category", "Model", "Serial", "Owner", "Lessor", "Notes"]) } });

  // A credential released to the provider whose every secret is planted, to be looked for later.
  const planted = await addCredential({
    actor: engineer,
    caseId,
    input: { name: "Planted tenant admin", category: "Planted system", url: "https://planted.example/admin", username: "planted-admin", secret: PLANTED, totp: PLANTED_TOTP, notes: PLANTED_NOTE, releaseTo: "incoming_provider" },
  });
  await recordRotation({ actor: engineer, caseId, credentialId: planted.id, input: { method: "Reset in the admin console", secret: PLANTED_ROTATED } });

  // The takeover: keys received, support accepted from today, one access point removed and confirmed, one left.
  const provider = await contactActor("provider");
  await confirmKeysReceived({ actor: provider, caseId, contactId: contacts.provider.id });
  await acceptSupportResponsibility({ actor: provider, caseId, contactId: contacts.provider.id, input: { acceptedFrom: day(0) } });
  const removed = await addAccessPoint({ actor: engineer, caseId, input: { kind: "partner_relationship", name: "GDAP relationship Northwind", details: "Global reader and helpdesk roles" } });
  await markAccessRemoved({ actor: engineer, caseId, accessPointId: removed.accessPointId, input: { removedOn: day(-1), method: "Relationship terminated in Partner Center" } });
  await answerAccessRemoval({ actor: provider, caseId, contactId: contacts.provider.id, accessPointId: removed.accessPointId, input: { answer: "confirm" } });
  await addAccessPoint({ actor: engineer, caseId, input: { kind: "rmm_agent", name: "Datto RMM agent", details: "" } });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "handover-packet-"));
}, 180_000);

afterAll(async () => {
  await server.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the sealed packet PDF", () => {
  let pdf: Uint8Array;
  let pages: string[];
  let contentSha256: string;
  beforeAll(async () => {
    const file = await downloadPacket({ actor: engineer, caseId, document: "pdf" });
    pdf = file.bytes;
    contentSha256 = file.contentSha256;
    pages = pdfPages(pdf);
  });

  it("is sealed once, over the whole document, and pdfsig finds the signature valid", () => {
    const report = pdfsig(pdf);
    expect(report).toContain("Signature Validation: Signature is Valid.");
    expect(report).toContain("Total document signed");
    expect(report.match(/Signature #\d/g)).toHaveLength(1);
    // One byte changed inside the signed range: readers report it.
    const altered = new Uint8Array(pdf);
    const at = Buffer.from(altered).toString("latin1").indexOf("/Producer") + 3;
    altered[at] = altered[at] === 0x41 ? 0x42 : 0x41;
    expect(pdfsig(altered)).not.toContain("Signature is Valid.");
  });

  it("opens with the MSP's cover: the parties, the version and the content SHA-256", () => {
    const cover = pages[0]!;
    expect(cover).toContain("Northwind Managed IT Ltd");
    expect(cover).toContain("Handover packet");
    expect(cover).toContain("Harbour Dental Group Ltd → BlueHarbor IT Services");
    expect(cover).toMatch(new RegExp(`Case\\s+${reference}`));
    expect(cover).toMatch(/Version\s+1, first made/);
    expect(cover).toContain(contentSha256);
    expect(cover).toMatch(/Support now\s+BlueHarbor IT Services is responsible for support since/);
  });

  it("has a table of contents whose page numbers are where each section starts, and page N of M on every page", async () => {
    const accessPoints = await testDb().select({ id: mspAccessPoints.id }).from(mspAccessPoints).where(eq(mspAccessPoints.caseId, caseId));
    const sections = [
      "Parties and contacts",
      "Key dates and support responsibility",
      "Hardware (78)",
      "Subscriptions (4)",
      "Backup jobs (2)",
      "Historical backup sets (2)",
      "Credentials released to BlueHarbor IT Services (3)",
      `MSP access removals (${accessPoints.length})`,
      "Signed documents and acknowledgements",
      "About this packet",
    ];
    const contents = pages[1]!;
    expect(contents).toContain("Contents");
    for (const section of sections) {
      const escaped = section.replace(/[()]/g, "\\$&");
      const listed = new RegExp(`${escaped}\\s+(\\d+)`).exec(contents.replace(/\n\s+/g, " "));
      expect(listed, section).not.toBeNull();
      const page = Number(listed![1]);
      expect(pages[page - 1], `${section} on page ${page}`).toMatch(new RegExp(`^\\s*${escaped.replace(/ /g, "\\s+")}`, "m"));
    }
    pages.forEach((page, i) => expect(page).toContain(`handover packet version 1 · page ${i + 1} of ${pages.length}`));
  });

  it("runs the hardware table over several pages with its header repeated, each item once, long notes wrapped", () => {
    const hardwarePages = pages.filter((page) => /PKT-\d{4}/.test(page));
    expect(hardwarePages.length).toBeGreaterThan(1);
    for (const page of hardwarePages) expect(page).toMatch(/Item\s+Category\s+Owner\s+Retrieval/);
    for (let i = 1; i <= 70; i++) {
      const serial = `PKT-${String(i).padStart(4, "0")}`;
      expect(pages.filter((page) => page.includes(serial)).length, serial).toBe(1);
    }
    // The note is longer than its column: its words are there, over more than one line.
    const lines = hardwarePages.join("\n").split("\n");
    expect(lines.some((line) => line.includes("the charger and"))).toBe(true);
    expect(lines.some((line) => line.includes(`Handed to ${VIEWER}`) && line.includes("by the window"))).toBe(false);
    expect(lines.some((line) => line.includes("by the window"))).toBe(true);
  });

  it("holds every part of the takeover: parties, support, ownership, plans, backups, credentials, removals, documents", async () => {
    const text = pages.join("\n");
    for (const name of [SIGNER, PROVIDER, VIEWER]) expect(text).toContain(name);
    expect(text).toMatch(/Responsible now\s+BlueHarbor IT Services/);
    expect(text).toMatch(/accepted\s+by\s+Zoë\s+Ørsted/);
    expect(text).toContain("Third-party lessor");
    expect(text).toMatch(/Southwest\s+Office\s+Leasing\s+Ltd/);
    expect(text).toContain("Transfer to incoming");
    expect(text).toContain("New backup verified");
    expect(text).toMatch(/Hand over on 12\s+January/);
    expect(text).toMatch(/In the backup release signed/);
    expect(text).toContain("Planted tenant admin");
    // A URL longer than its column is broken by characters, its rest on the cell's next line.
    expect(text).toContain("https://planted.");
    expect(text).toContain("planted-admin");
    expect(text).toContain("GDAP relationship Northwind");
    expect(text).toContain("Relationship terminated in Partner");
    expect(text).toContain("Removed and confirmed");
    expect(text).toContain("Not removed yet");
    const [seal] = await testDb().select({ sha: waiverSignatures.sealedSha256 }).from(waiverSignatures).where(eq(waiverSignatures.caseId, caseId));
    expect(text).toContain(seal!.sha);
    const [list] = await testDb().select({ sha: listVersions.sha256 }).from(listVersions).where(and(eq(listVersions.caseId, caseId), eq(listVersions.kind, "hardware")));
    expect(text).toContain(list!.sha);
  });
});

describe("the export zip", () => {
  let files: Record<string, Uint8Array>;
  let json: PacketJson;
  beforeAll(async () => {
    files = unzip((await downloadPacket({ actor: engineer, caseId, document: "zip" })).bytes);
    json = JSON.parse(strFromU8(files["packet.json"]!)) as PacketJson;
  });

  it("holds packet.json, valid against the versioned JSON Schema it ships and the repository's", () => {
    const shipped = JSON.parse(strFromU8(files["handover-packet.schema.json"]!)) as { $id: string };
    const repository = JSON.parse(fs.readFileSync("app/handover/packet.schema.json", "utf8")) as { $id: string };
    expect(shipped).toEqual(repository);
    expect(shipped.$id).toBe("urn:handover:schema:packet:1");
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(shipped);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.format).toBe("handover.packet/1");
    // The validator can say no: a hardware item without its owner field, an unknown field, a secret.
    const broken = structuredClone(json) as unknown as { content: { hardware: Record<string, unknown>[]; credentials: Record<string, unknown>[] } };
    delete broken.content.hardware[0]!.owner;
    expect(validate(broken)).toBe(false);
    const leaking = structuredClone(json) as unknown as { content: { credentials: Record<string, unknown>[] } };
    leaking.content.credentials[0]!.secret = "x";
    expect(validate(leaking)).toBe(false);
    expect(validatePacketJson(leaking).ok).toBe(false);
  });

  it("states the content SHA-256 of its canonical JSON, the same the PDF's cover states", async () => {
    expect(json.packet.contentSha256).toBe(sha256(canonicalJson(json.content)));
    const [stored] = await testDb().select({ sha: handoverPacketVersions.contentSha256, json: handoverPacketVersions.contentJson }).from(handoverPacketVersions).where(and(eq(handoverPacketVersions.caseId, caseId), eq(handoverPacketVersions.version, json.packet.version)));
    expect(stored!.sha).toBe(json.packet.contentSha256);
    expect(stored!.json).toBe(canonicalJson(json.content));
  });

  it("has one CSV per list, and SHA256SUMS for every file", () => {
    for (const name of ["hardware.csv", "subscriptions.csv", "backup-jobs.csv", "backup-sets.csv", "credentials.csv", "access-removals.csv", "README.txt"]) {
      expect(files[name], name).toBeDefined();
    }
    const sums = strFromU8(files.SHA256SUMS!).trim().split("\n");
    expect(sums).toHaveLength(Object.keys(files).length - 1);
    for (const line of sums) {
      const [hash, name] = line.split(/\s+/);
      expect(sha256(files[name!]!), name).toBe(hash);
    }
    const credentialsCsv = parseCsv(strFromU8(files["credentials.csv"]!));
    expect(credentialsCsv.headers).toEqual(["Handover ID", "Name", "System", "URL", "Username", "Rotated on"]);
    expect(credentialsCsv.rows.map((row) => row.cells[1])).toContain("Planted tenant admin");
    const removals = parseCsv(strFromU8(files["access-removals.csv"]!));
    expect(removals.rows.find((row) => row.cells.includes("GDAP relationship Northwind"))!.cells).toContain("Removed and confirmed");
  });

  it("has hardware and subscription CSVs that Handover's own import maps column for column and reads back unchanged", () => {
    for (const kind of ["hardware", "subscriptions"] as const) {
      const parsed = parseCsv(strFromU8(files[`${kind}.csv`]!));
      const mapping = suggestMapping(kind, parsed.headers);
      // Every column the import can fill is mapped to its own field; the id and the proposal are left out.
      const unmapped = parsed.headers.filter((_, i) => mapping[i] === "");
      expect(unmapped, kind).toEqual(kind === "hardware" ? ["Handover ID", "Early retrieval proposed for"] : ["Handover ID"]);
      const { rows, errors } = checkRows(kind, parsed, mapping, {});
      expect(errors, kind).toEqual([]);
      const items = json.content[kind] as unknown as Record<string, unknown>[];
      expect(rows).toHaveLength(items.length);
      rows.forEach((row, i) => {
        const item = items[i]!;
        for (const [field, value] of Object.entries(row.input)) {
          if (field === "monthlyCost") expect(Math.round(Number(value) * 100), `${kind} ${field}`).toBe(item.monthlyCostCents);
          else expect(String(value), `${kind} ${field}`).toBe(String(item[field]));
        }
        // Nothing stored is lost on the way: each filled field came back.
        const filled = Object.entries(item).filter(([field, value]) => value !== null && value !== "" && !["id", "earlyRetrievalProposedOn", "monthlyCostCents"].includes(field));
        for (const [field] of filled) expect(row.input[field], `${kind} ${field}`).toBeDefined();
      });
    }
  });
});

describe("the JSON Schema", () => {
  it("describes every field the inventory descriptions give an item, and the enums' every value", () => {
    type Node = { properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; enum?: string[] };
    const schema = JSON.parse(fs.readFileSync("app/handover/packet.schema.json", "utf8")) as Node;
    const content = schema.properties!.content!.properties!;
    const itemOf = (name: string) => content[name]!.items!.properties!;
    expect(Object.keys(itemOf("hardware")).sort()).toEqual(["id", ...fieldNames(hardwareInventory)].sort());
    expect(Object.keys(itemOf("subscriptions")).sort()).toEqual(["id", ...fieldNames(subscriptionInventory)].sort());
    const values = (node: Node) => node.enum ?? node.anyOf!.find((option) => option.enum)!.enum!;
    expect(values(itemOf("hardware").category!)).toEqual([...HARDWARE_CATEGORIES]);
    expect(values(itemOf("hardware").owner!)).toEqual([...HARDWARE_OWNERS]);
    expect(values(itemOf("subscriptions").plan!)).toEqual([...SUBSCRIPTION_PLANS]);
    expect(values(itemOf("subscriptions").billingParty!)).toEqual([...BILLING_PARTIES]);
    expect(values(itemOf("accessRemovals").kind!)).toEqual([...MSP_ACCESS_KINDS]);
    expect(values(itemOf("backupJobs").state!)).toEqual([...BACKUP_JOB_STATES]);
    expect(values(itemOf("backupSets").proposedDisposition!)).toEqual([...BACKUP_SET_DISPOSITIONS]);
    expect(values(itemOf("backupJobs").transition!.properties!.status!)).toEqual([...TRANSITION_STATUSES]);
    expect(values(content.parties!.properties!.contacts!.items!.properties!.role!)).toEqual([...CONTACT_ROLES]);
  });
});

describe("secrets", () => {
  it("appear nowhere in the PDF or in any file of the export", async () => {
    const pdf = (await downloadPacket({ actor: engineer, caseId, document: "pdf" })).bytes;
    const zip = (await downloadPacket({ actor: engineer, caseId, document: "zip" })).bytes;
    const places = [pdfPages(pdf).join("\n"), Buffer.from(pdf).toString("latin1"), ...Object.values(unzip(zip)).map((bytes) => strFromU8(bytes))];
    for (const secret of [PLANTED, PLANTED_ROTATED, PLANTED_NOTE, PLANTED_TOTP]) {
      for (const place of places) expect(place.includes(secret), secret).toBe(false);
    }
    // The credential itself is indexed, so the search above looked in the right files.
    expect(places.some((place) => place.includes("planted-admin"))).toBe(true);
  });
});

describe("versions and the record of downloads", () => {
  it("keeps the version and the content hash while the records stay the same, and records each copy with its own SHA-256", async () => {
    const before = (await downloadsOf(caseId)).length;
    const first = await downloadPacket({ actor: engineer, caseId, document: "pdf" });
    const second = await downloadPacket({ actor: engineer, caseId, document: "pdf", now: new Date(Date.now() + 60_000) });
    expect(second.version).toBe(first.version);
    expect(second.contentSha256).toBe(first.contentSha256);
    // The seal's time differs, so the bytes do; each download names its own.
    expect(second.sha256).not.toBe(first.sha256);
    const events = (await downloadsOf(caseId)).slice(before);
    expect(events.map((event) => event.payload)).toEqual([
      { kind: "handover_packet", version: first.version, contentSha256: first.contentSha256, sha256: sha256(first.bytes), bytes: first.bytes.byteLength },
      { kind: "handover_packet", version: second.version, contentSha256: second.contentSha256, sha256: sha256(second.bytes), bytes: second.bytes.byteLength },
    ]);
    expect(events.every((event) => event.actorLabel === engineer.label)).toBe(true);
  });

  it("starts a new version when the content changes, once however many ask at the same moment", async () => {
    const { current: before } = await preparePacket({ caseId });
    const [item] = await testDb().select({ id: hardwareItems.id }).from(hardwareItems).where(eq(hardwareItems.caseId, caseId)).limit(1);
    await updateHardwareItem({ actor: engineer, caseId, itemId: item!.id, input: { category: "laptop", makeModel: "Changed model", owner: "customer" } });
    const [a, b] = await Promise.all([preparePacket({ caseId }), preparePacket({ caseId })]);
    expect(a.current.version).toBe(before.version + 1);
    expect(b.current.version).toBe(before.version + 1);
    expect(a.current.contentSha256).not.toBe(before.contentSha256);
    expect(a.history.map((entry) => entry.version)).toEqual(Array.from({ length: before.version + 1 }, (_, i) => i + 1));
    const pages = pdfPages((await downloadPacket({ actor: engineer, caseId, document: "pdf" })).bytes);
    expect(pages.at(-1)).toContain(before.contentSha256);
    expect(pages.at(-1)).toContain(a.current.contentSha256);
  });

  it("never changes or loses a version, even by SQL", async () => {
    const refusal = (query: Promise<unknown>) => query.then(() => "accepted", (error: Error & { cause?: Error }) => error.cause?.message ?? error.message);
    expect(await refusal(testDb().execute(sql`update handover_packet_versions set content_sha256 = ${"0".repeat(64)} where case_id = ${caseId}`))).toMatch(/append-only/);
    expect(await refusal(testDb().execute(sql`delete from handover_packet_versions where case_id = ${caseId}`))).toMatch(/append-only/);
  });

  it("shows legal each version with every download, and puts each version's content in the evidence bundle", async () => {
    const documents = await listLegalDocuments({ caseId });
    const packets = documents.filter((document) => document.kind === "handover_packet");
    expect(packets.map((document) => document.title)).toEqual(["Handover packet, version 1", "Handover packet, version 2"]);
    expect(packets[0]!.downloads.length).toBeGreaterThan(2);
    expect(packets[0]!.downloads[0]!.detail).toMatch(/^(Sealed packet \(PDF\)|Export \(zip: JSON and CSV\)), SHA-256 [0-9a-f]{64}$/);
    const legal = await createTestStaff({ role: "legal" });
    const client = new TestClient(server.url);
    await signInAsStaff(client, legal);
    const html = await (await client.get(`/app/legal/cases/${caseId}`)).text();
    expect(html).toContain("Handover packet, version 2");
    expect(html).toContain(`href="/app/cases/${caseId}/packet"`);

    const bundle = await exportEvidenceBundle({ actor: engineer, caseId, via: "cli" });
    const inside = unzip(bundle.bytes);
    const manifest = JSON.parse(strFromU8(inside["manifest.json"]!)) as { documents: { path: string; sha256: string; recordedAt: number | null }[] };
    const [version1] = await testDb().select({ sha: handoverPacketVersions.contentSha256 }).from(handoverPacketVersions).where(and(eq(handoverPacketVersions.caseId, caseId), eq(handoverPacketVersions.version, 1)));
    expect(sha256(inside["packet/v1.json"]!)).toBe(version1!.sha);
    const entry = manifest.documents.find((document) => document.path === "packet/v1.json")!;
    expect(entry.sha256).toBe(version1!.sha);
    expect(entry.recordedAt).not.toBeNull();
  });
});

describe("who may download", () => {
  const staffClient = async (role: "admin" | "engineer" | "legal") => {
    const client = new TestClient(server.url);
    await signInAsStaff(client, await createTestStaff({ role }));
    return client;
  };
  const contactClient = async (role: keyof typeof contacts) => {
    const client = new TestClient(server.url);
    client.setCookieHeader(await startContactSession(testDb(), { contactId: contacts[role].id, caseId, ip: null, userAgent: "vitest" }));
    return client;
  };
  /** The emailed code, as the confirm page asks for it; ends where the person was going. */
  const stepUp = async (client: TestClient, role: keyof typeof contacts, confirmPath: string) => {
    await client.post(confirmPath, { intent: "send" });
    const code = codeFrom((await latestEmailTo(contacts[role].email))!.text);
    const verified = await client.post(confirmPath, { intent: "verify", code });
    expect(verified.status).toBe(302);
    return verified.headers.get("location")!;
  };

  it("lets the incoming provider download after an emailed code, and records it as the provider's", async () => {
    const provider = await contactClient("provider");
    expect(await (await provider.get(`/portal/${caseId}`)).text()).toContain(`href="/portal/${caseId}/packet"`);
    expect((await provider.get(`/portal/${caseId}/packet`)).status).toBe(200);
    const refused = await provider.get(`/portal/${caseId}/packet/pdf`);
    expect(refused.status).toBe(302);
    const confirm = refused.headers.get("location")!;
    expect(confirm).toBe(`/portal/${caseId}/confirm?redirectTo=${encodeURIComponent(`/portal/${caseId}/packet/pdf`)}`);
    expect(await stepUp(provider, "provider", confirm)).toBe(`/portal/${caseId}/packet/pdf`);
    for (const document of ["pdf", "zip"] as const) {
      const response = await provider.get(`/portal/${caseId}/packet/${document}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(document === "pdf" ? "application/pdf" : "application/zip");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(response.headers.get("x-content-sha256")).toBe(sha256(bytes));
      const [event] = (await downloadsOf(caseId)).slice(-1);
      expect(event!.actorType).toBe("contact");
      expect(event!.actorLabel).toContain(PROVIDER);
      expect((event!.payload as { sha256: string }).sha256).toBe(sha256(bytes));
    }
    expect((await provider.get(`/portal/${caseId}/packet/docx`)).status).toBe(404);
    // Another case's packet does not exist for this session.
    expect((await provider.get(`/portal/${otherCaseId}/packet`)).status).toBe(404);
    expect((await provider.get(`/portal/${otherCaseId}/packet/pdf`)).status).toBe(404);
  });

  it("lets the customer download only once staff allow it for the case, and records that choice", async () => {
    for (const role of ["customer_signer", "customer_viewer"] as const) {
      const customer = await contactClient(role);
      expect(await (await customer.get(`/portal/${caseId}`)).text()).not.toContain(`/portal/${caseId}/packet`);
      expect((await customer.get(`/portal/${caseId}/packet`)).status).toBe(403);
      expect((await customer.get(`/portal/${caseId}/packet/pdf`)).status).toBe(403);
    }
    const legal = await staffClient("legal");
    expect((await legal.post(`/app/cases/${caseId}/packet`, { customerMayDownload: "yes" })).status).toBe(403);
    const staff = await staffClient("engineer");
    const page = await (await staff.get(`/app/cases/${caseId}/packet`)).text();
    expect(page).toContain("Let the customer download it");
    expect((await staff.post(`/app/cases/${caseId}/packet`, { customerMayDownload: "yes" })).status).toBe(200);
    // Choosing the same again changes nothing and records nothing.
    expect((await staff.post(`/app/cases/${caseId}/packet`, { customerMayDownload: "yes" })).status).toBe(200);
    const changes = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, "packet.customer_access_changed")));
    expect(changes.map((event) => event.payload)).toEqual([{ customerMayDownload: true }]);
    expect((await staff.post(`/app/cases/${caseId}/packet`, { customerMayDownload: "maybe" })).status).toBe(400);

    const viewer = await contactClient("customer_viewer");
    expect(await (await viewer.get(`/portal/${caseId}`)).text()).toContain(`href="/portal/${caseId}/packet"`);
    const refused = await viewer.get(`/portal/${caseId}/packet/zip`);
    expect(refused.status).toBe(302);
    await stepUp(viewer, "customer_viewer", refused.headers.get("location")!);
    expect((await viewer.get(`/portal/${caseId}/packet/zip`)).status).toBe(200);

    await staff.post(`/app/cases/${caseId}/packet`, { customerMayDownload: "no" });
    expect((await viewer.get(`/portal/${caseId}/packet/zip`)).status).toBe(403);
  });

  it("gives staff of every role the downloads, and another case's packet only on its own case", async () => {
    for (const role of ["admin", "engineer", "legal"] as const) {
      const client = await staffClient(role);
      const response = await client.get(`/app/cases/${caseId}/packet/pdf`);
      expect(response.status, role).toBe(200);
      expect(pdfsig(new Uint8Array(await response.arrayBuffer()))).toContain("Signature is Valid.");
    }
    const legal = await staffClient("legal");
    expect((await legal.get(`/app/cases/00000000-0000-4000-8000-000000000000/packet/pdf`)).status).toBe(404);
    expect((await legal.get(`/app/cases/${caseId}/packet/pdfx`)).status).toBe(404);
    const page = await (await legal.get(`/app/cases/${caseId}/packet`)).text();
    expect(page).toContain("Versions");
    expect(page).not.toContain("Let the customer download it");
  });
});

describe("npx handover packet:export", () => {
  it("writes packet.pdf and packet.zip of one version and records both as downloads by the command", async () => {
    const command = packetCommands.find((candidate) => candidate.name === "packet:export")!;
    const printed: string[] = [];
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const before = (await downloadsOf(caseId)).length;
    try {
      await command.run({ case: caseId, out: work }, { handle: databaseHandle() });
    } finally {
      out.mockRestore();
    }
    const pdf = new Uint8Array(fs.readFileSync(path.join(work, "packet.pdf")));
    const zip = new Uint8Array(fs.readFileSync(path.join(work, "packet.zip")));
    expect(pdfsig(pdf)).toContain("Total document signed");
    const json = JSON.parse(strFromU8(unzip(zip)["packet.json"]!)) as PacketJson;
    const events = (await downloadsOf(caseId)).slice(before);
    expect(events.map((event) => [event.actorType, event.actorLabel])).toEqual([
      ["system", "npx handover packet:export"],
      ["system", "npx handover packet:export"],
    ]);
    expect(events.map((event) => event.payload)).toEqual([
      { kind: "handover_packet", version: json.packet.version, contentSha256: json.packet.contentSha256, sha256: sha256(pdf), bytes: pdf.byteLength },
      { kind: "handover_export", version: json.packet.version, contentSha256: json.packet.contentSha256, sha256: sha256(zip), bytes: zip.byteLength },
    ]);
    expect(printed.join("")).toContain(`version ${json.packet.version}`);
    await expect(command.run({ case: caseId, out: path.join(work, "missing") }, { handle: databaseHandle() })).rejects.toThrow(/does not exist/);
    await expect(command.run({ case: "00000000-0000-4000-8000-000000000000", out: work }, { handle: databaseHandle() })).rejects.toThrow(/not found/);
  });
});

describe("Unicode names in the waiver and the receipts", () => {
  it("renders Polish, Danish and Chinese names in a sealed waiver and an acknowledgement receipt", async () => {
    const fixture = await createWaiverCase({ customer: `${SIGNER} Tandlæger ApS`, signerName: VIEWER });
    await sendAndConsent(fixture);
    expect((await signAsSigner(fixture, { fullName: VIEWER, timeZone: "Asia/Shanghai" })).status).toBe("signed");
    const [seal] = await testDb().select({ pdf: waiverSignatures.sealedPdf }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, fixture.waiverId));
    expect(pdfsig(seal!.pdf)).toContain("Signature is Valid.");
    const waiverText = pdfPages(seal!.pdf).join("\n");
    expect(waiverText).toContain(VIEWER);
    expect(waiverText).toContain(`${SIGNER} Tandlæger ApS`);

    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { category: "laptop", makeModel: `${PROVIDER}'s ThinkPad`, owner: "customer", location: `${VIEWER}'s desk` } });
    const published = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const signer: Actor = { type: "contact", id: fixture.contacts.customer_signer.id, label: `${VIEWER} <${fixture.contacts.customer_signer.email}>` };
    const { acknowledgementId } = await acknowledgeList({ actor: signer, caseId: fixture.caseId, input: { kind: "hardware", versionSha256: published.sha256, reviewed: "yes" } });
    const receipt = await renderAcknowledgementReceipt({ caseId: fixture.caseId, acknowledgementId });
    const receiptText = pdfPages(receipt.bytes).join("\n");
    expect(receiptText).toContain(VIEWER);
    expect(receiptText).toContain(`${PROVIDER}'s ThinkPad`);
    expect(receiptText).toContain(`${SIGNER} Tandlæger ApS`);
  });
});
