// The handover packet of a large case: 1,000 hardware items, 500 subscriptions and 300 released
// credentials (with contacts, backups and access points), downloaded by the incoming provider from
// the production server started as `npm start` starts it, in a process of its own, so that its
// peak RSS is the server's (the packet's and everything else it holds), not the seeder's.
// Targets: sealed PDF < 3 s, export zip < 1 s, server peak RSS < 300 MB.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { and, count, eq, sql } from "drizzle-orm";
import { addBackupJob, addBackupSet } from "../app/cases/backups.server";
import { addContact } from "../app/cases/contacts.server";
import { resetConfigCache } from "../app/config.server";
import { addAccessPoint, markAccessRemoved } from "../app/handover/access-removals.server";
import { importRows } from "../app/lists/import.server";
import { suggestMapping } from "../app/lists/import-fields";
import { startContactSession } from "../app/portal/session.server";
import { importCredentials } from "../app/vault/import.server";
import { db } from "../db/client";
import { contactSessions, handoverPacketVersions } from "../db/schema";
import { createBenchCase, createBenchDatabase, benchDay as day, median } from "./bench-db";

const HARDWARE = 1_000;
const SUBSCRIPTIONS = 500;
const CREDENTIALS = 300;
const ROUNDS = 3;
const TARGET_PDF_MS = 3_000;
const TARGET_ZIP_MS = 1_000;
const TARGET_RSS_BYTES = 300 * 1024 * 1024;

const CATEGORIES = ["Firewall", "Switch", "Access point", "Server", "Storage / NAS", "Workstation", "Laptop", "Printer", "Phone", "UPS"];
const OWNERS = ["MSP", "Customer", "Third-party lessor"];

/** Rows as MSP tools export them, with long notes and plans that wrap over several lines. */
function hardwareCsv() {
  const rows = Array.from({ length: HARDWARE }, (_, i) => {
    const owner = OWNERS[i % 3]!;
    return [
      CATEGORIES[i % CATEGORIES.length]!,
      `Model ${["Dell Latitude 7440", "Aruba Instant On 1930 24G PoE", "Synology DS920+", "HP LaserJet M507"][i % 4]} unit ${i + 1}`,
      `SN-${String(i).padStart(6, "0")}-ŁØ`,
      `TAG-${i}`,
      `Building ${i % 7}, floor ${i % 4}, room ${100 + (i % 50)} — Zoë Ørsted's team`,
      owner,
      owner === "Third-party lessor" ? "Southwest Office Leasing Ltd" : "",
      owner === "MSP" ? "Collected by the engineer after cutover, wiped with a certificate and signed for by the site contact (王小明)." : "",
      owner === "MSP" ? day(40) : "",
      owner === "MSP" ? day(55) : "",
      i % 5 === 0 ? "Asset recorded in the RMM with its warranty until 2027; the power supply was replaced in March and the old one is in the comms cabinet." : "",
    ];
  });
  return stringify([["Category", "Model", "Serial", "Asset tag", "Location", "Owner", "Lessor", "Retrieval plan", "Retrieval start", "Retrieval end", "Notes"], ...rows]);
}

function subscriptionCsv() {
  const rows = Array.from({ length: SUBSCRIPTIONS }, (_, i) => [
    ["Microsoft", "Datto", "SentinelOne", "Adobe", "GoDaddy"][i % 5]!,
    `Product line ${i + 1} — ${["Business Premium", "SaaS Protection", "Singularity Core", "Creative Cloud", "Domain"][i % 5]}`,
    String(1 + (i % 40)),
    ["MSP", "Customer", "Incoming provider"][i % 3]!,
    day(100 + (i % 200)),
    ["Transfer to customer", "Transfer to incoming provider", "Terminate on date", "Continue until date"][i % 4]!,
    i % 4 >= 2 ? day(30 + (i % 20)) : "",
    `${(12.5 + i).toFixed(2)}`,
    "GBP",
    i % 3 === 0 ? "Renewal handled through the distributor portal; the incoming provider takes over the tenant relationship." : "",
  ]);
  return stringify([["Vendor", "Product", "Qty", "Billed to", "Renewal date", "Plan", "Plan date", "Monthly cost", "Currency", "Notes"], ...rows]);
}

function credentialCsv() {
  const rows = Array.from({ length: CREDENTIALS }, (_, i) => [
    `Systems/${["Microsoft 365", "Firewall", "Backup", "Line of business"][i % 4]}`,
    `Admin account ${i + 1}`,
    `admin${i}@customer.example`,
    `bench-secret-${i}-${"x".repeat(12)}`,
    `https://portal-${i % 20}.customer.example/admin/sign-in`,
    "",
    "",
    "0",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z",
  ]);
  return stringify([["Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon", "Last Modified", "Created"], ...rows]);
}

async function seedLargeCase() {
  const { actor, caseId } = await createBenchCase({ supportTransferPlannedOn: day(25) });
  await addContact({ actor, caseId, input: { role: "customer_signer", name: "Łukasz Müller-Øby", email: "lukasz@harbour.test" } });
  await addContact({ actor, caseId, input: { role: "customer_viewer", name: "王小明", email: "wang@harbour.test" } });
  const provider = await addContact({ actor, caseId, input: { role: "provider", name: "Zoë Ørsted", email: "zoe@blueharbor.test" } });
  for (const [kind, csv] of [["hardware", hardwareCsv()], ["subscriptions", subscriptionCsv()]] as const) {
    const headers = csv.slice(0, csv.indexOf("\n")).split(",");
    await importRows({ actor, caseId, request: { kind, csv, mapping: suggestMapping(kind, headers) } });
  }
  await importCredentials({ actor, caseId, text: credentialCsv(), format: "keepassxc", releaseTo: "incoming_provider" });
  // Rotation recorded in one statement (through the form it is one change per credential).
  await db().execute(sql`update credentials set rotated_on = ${day(-1)}, rotation_method = 'Reset in the admin portal', rotated_by_label = 'Bench Engineer', rotation_recorded_at = now() where case_id = ${caseId}`);
  for (let i = 0; i < 4; i++) {
    await addBackupJob({ actor, caseId, input: { system: `Datto SIRIS — SRV0${i}`, scope: "Server image and SQL database", schedule: "Hourly", retention: "30 daily, 12 monthly" } });
    await addBackupSet({ actor, caseId, input: { description: `Monthly images 201${i}`, location: "Datto cloud (UK)", sizeGb: "1840", proposedDisposition: "retain_until", dispositionOn: day(365) } });
  }
  for (let i = 0; i < 20; i++) {
    const { accessPointId } = await addAccessPoint({ actor, caseId, input: { kind: "technician_account", name: `Technician account ${i}`, details: "Global admin in the customer's tenant." } });
    if (i % 2 === 0) await markAccessRemoved({ actor, caseId, accessPointId, input: { removedOn: day(0), method: "Deleted in Entra ID; sign-in logs checked." } });
  }
  return { caseId, providerId: provider.id };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The server process's resident memory now and at its peak (Linux). */
function memoryOf(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

async function startServer(databaseUrl: string, nodeFlags: string[]) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "server.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HANDOVER_PUBLIC_URL: url, HANDOVER_DEMO: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 90_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Handover is running")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill("SIGKILL") };
}

/** A fresh server; the provider downloads the export, then the PDF, ROUNDS + 1 times each. */
async function downloadFromServer({ databaseUrl, caseId, cookie, nodeFlags }: { databaseUrl: string; caseId: string; cookie: string; nodeFlags: string[] }) {
  const server = await startServer(databaseUrl, nodeFlags);
  try {
    const started = memoryOf(server.pid).rss;
    const rssAfter: number[] = [];
    const download = async (document: "pdf" | "zip") => {
      const times: number[] = [];
      let bytes = new Uint8Array();
      for (let round = 0; round <= ROUNDS; round++) {
        const begun = performance.now();
        const response = await fetch(`${server.url}/portal/${caseId}/packet/${document}`, { headers: { Cookie: cookie } });
        bytes = new Uint8Array(await response.arrayBuffer());
        times.push(performance.now() - begun);
        rssAfter.push(memoryOf(server.pid).rss);
        if (response.status !== 200) throw new Error(`${document}: status ${response.status}: ${Buffer.from(bytes).toString("utf8").slice(0, 200)}`);
      }
      return { firstMs: times[0]!, medianMs: median(times.slice(1)), bytes };
    };
    const zip = await download("zip");
    const pdf = await download("pdf");
    return { zip, pdf, started, peak: memoryOf(server.pid).peak, rssAfter };
  } finally {
    server.stop();
  }
}

const BOUNDED_HEAP = ["--max-old-space-size=160"];

export async function benchPacket() {
  resetConfigCache();
  const bench = await createBenchDatabase();
  try {
    const begun = performance.now();
    const { caseId, providerId } = await seedLargeCase();
    const seedSeconds = (performance.now() - begun) / 1000;
    // The provider, signed in and past the emailed code (the step-up a download asks for).
    const cookie = (await startContactSession(db(), { contactId: providerId, caseId, ip: null, userAgent: "bench" })).split(";")[0]!;
    await db().update(contactSessions).set({ steppedUpAt: new Date() }).where(and(eq(contactSessions.contactId, providerId), eq(contactSessions.caseId, caseId)));

    // As `npm start` runs it, then with a bounded heap: V8 collects the old generation lazily, so
    // a default heap grows with what each render leaves behind; the bounded run shows what the
    // downloads need.
    const plain = await downloadFromServer({ databaseUrl: bench.url, caseId, cookie, nodeFlags: [] });
    const bounded = await downloadFromServer({ databaseUrl: bench.url, caseId, cookie, nodeFlags: BOUNDED_HEAP });
    const { zip, pdf } = plain;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-bench-packet-"));
    let valid = false;
    try {
      fs.writeFileSync(path.join(dir, "packet.pdf"), pdf.bytes);
      const report = execFileSync("pdfsig", [path.join(dir, "packet.pdf")], { encoding: "utf8" });
      valid = report.includes("Signature is Valid.") && report.includes("Total document signed");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const pages = Buffer.from(pdf.bytes).toString("latin1").match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
    const [{ versions }] = (await db().select({ versions: count() }).from(handoverPacketVersions).where(eq(handoverPacketVersions.caseId, caseId))) as [{ versions: number }];
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const memory = (label: string, run: typeof plain) =>
      `${label}: ${mib(run.started)} when started, peak ${mib(run.peak)} (${mib(run.peak - run.started)} above the started server); after each download (zips, then PDFs): ${run.rssAfter.map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(", ")} MB`;
    return {
      name: `Handover packet of a case with ${HARDWARE.toLocaleString("en-GB")} hardware items, ${SUBSCRIPTIONS} subscriptions and ${CREDENTIALS} credentials (PostgreSQL, production server)`,
      lines: [
        `seeded in ${seedSeconds.toFixed(1)} s (CSV imports); the provider downloads each file ${ROUNDS + 1} times over HTTP from a fresh server process (${versions} version made)`,
        `sealed PDF : first ${pdf.firstMs.toFixed(0)} ms, then median ${pdf.medianMs.toFixed(0)} ms (target < ${TARGET_PDF_MS} ms); ${pages} pages, ${kib(pdf.bytes.byteLength)}; pdfsig: ${valid ? "valid, total document signed" : "NOT VALID"}`,
        `export zip : first ${zip.firstMs.toFixed(0)} ms, then median ${zip.medianMs.toFixed(0)} ms (target < ${TARGET_ZIP_MS} ms); ${kib(zip.bytes.byteLength)}`,
        memory("server RSS, default heap", plain),
        memory(`server RSS, NODE_OPTIONS="${BOUNDED_HEAP.join(" ")}"`, bounded),
        `bounded heap times: PDF first ${bounded.pdf.firstMs.toFixed(0)} ms, median ${bounded.pdf.medianMs.toFixed(0)} ms; zip first ${bounded.zip.firstMs.toFixed(0)} ms, median ${bounded.zip.medianMs.toFixed(0)} ms`,
        `targets: PDF < ${TARGET_PDF_MS} ms and zip < ${TARGET_ZIP_MS} ms on the first download of a fresh server, peak RSS < ${mib(TARGET_RSS_BYTES)} (judged on the default heap)`,
      ],
      ok: valid && versions === 1 && pdf.firstMs < TARGET_PDF_MS && zip.firstMs < TARGET_ZIP_MS && plain.peak < TARGET_RSS_BYTES,
    };
  } finally {
    await bench.drop();
  }
}
