// The evidence bundle, checked the way its recipient would: unzipped, then `node verify.mjs`,
// `sha256sum -c`, pdfsig and openssl, with nothing of Handover running. A copy with one byte
// changed in an event, a PDF or a checkpoint must be rejected.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, recordAudit } from "../app/audit/audit.server";
import { seedDemo } from "../app/demo/demo.server";
import { type EvidenceBundle, exportEvidenceBundle } from "../app/evidence/bundle.server";
import { auditEvents, cases } from "../db/schema";
import { testDb } from "./helpers/database";
import { type TestServer, TestClient, startTestServer } from "./helpers/http";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

const legal: Actor = { type: "staff", id: null, label: "Jordan Ellis <legal@northwind-it.example>", ip: "203.0.113.20", userAgent: "vitest" };

let caseId: string;
let otherCaseId: string;
let bundle: EvidenceBundle;
let work: string;
let folder: string;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Unzips the bundle into a fresh folder and returns the bundle's own folder inside it. */
function unzip(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(work, "unzipped-"));
  fs.writeFileSync(path.join(dir, "bundle.zip"), bytes);
  const result = run("unzip", ["-q", "bundle.zip"], dir);
  expect(result.status, result.out).toBe(0);
  fs.rmSync(path.join(dir, "bundle.zip"));
  const [inner] = fs.readdirSync(dir);
  return path.join(dir, inner!);
}

/** A copy of the unzipped bundle with `change` applied to one file. */
function tamperedCopy(file: string, change: (bytes: Buffer) => Buffer): string {
  const copy = fs.mkdtempSync(path.join(work, "tampered-"));
  fs.cpSync(folder, copy, { recursive: true });
  const target = path.join(copy, file);
  fs.writeFileSync(target, change(fs.readFileSync(target)));
  return copy;
}

const flipByteAt = (bytes: Buffer, index: number) => {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index] === 0x41 ? 0x42 : 0x41;
  return copy;
};

const lines = (dir: string) =>
  fs
    .readFileSync(path.join(dir, "audit-events.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  const demo = await seedDemo();
  [caseId, otherCaseId] = demo.caseIds as [string, string];
  // Another case's event between two of this case's, after the demo's last checkpoint: the bundle
  // must carry it by its hashes only, and sign a checkpoint for the case's newest event.
  await testDb().transaction((tx) => recordAudit(tx, { actor: legal, caseId: otherCaseId, event: { action: "case.updated", payload: { changes: {} } } }));
  await testDb().transaction((tx) => recordAudit(tx, { actor: legal, caseId, event: { action: "case.updated", payload: { changes: {} } } }));
  bundle = await exportEvidenceBundle({ actor: legal, caseId, via: "cli" });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "handover-evidence-"));
  folder = unzip(bundle.bytes);
}, 120_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("an exported evidence bundle", () => {
  it("is accepted by its own script, with Node alone", () => {
    const result = run(process.execPath, ["verify.mjs"], folder);
    expect(result.out).toMatch(new RegExp(`^Audit trail intact: ${bundle.events} events checked, head seq ${bundle.throughSeq} hash [0-9a-f]{64}, latest checkpoint ${bundle.checkpoint} at seq ${bundle.throughSeq}`));
    expect(result.out).toMatch(/Evidence files intact: \d+ files match SHA256SUMS, [1-9]\d* documents as the audit trail recorded them\./);
    expect(result.status).toBe(0);
  });

  it("passes sha256sum -c", () => {
    const result = run("sha256sum", ["-c", "--strict", "SHA256SUMS"], folder);
    expect(result.status, result.out).toBe(0);
    expect(result.out).not.toMatch(/FAILED/);
  });

  it("holds the sealed waiver, which pdfsig and openssl cms accept with the bundled certificate", () => {
    const waiver = fs.readdirSync(path.join(folder, "waivers")).find((name) => name.endsWith(".pdf"))!;
    expect(run("pdfsig", [`waivers/${waiver}`], folder).out).toContain("Signature is Valid.");
    const readme = fs.readFileSync(path.join(folder, "README.txt"), "utf8");
    const commands = readme.split("\n").map((line) => line.trim()).filter((line) => line.startsWith(`{ head -c`) || line.startsWith("openssl cms -verify"));
    expect(commands).toHaveLength(2);
    const result = run("sh", ["-c", commands.join(" && ")], folder);
    expect(result.out).toContain("Verification successful");
    expect(result.status).toBe(0);
  });

  it("holds checkpoints that openssl dgst verifies with the bundled PEM keys, as the README says", () => {
    const readme = fs.readFileSync(path.join(folder, "README.txt"), "utf8");
    const commands = readme.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("openssl dgst"));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(run("sh", ["-c", command], folder).out).toContain("Verified OK");
  });

  it("holds the case's events in full and other cases' events only as seq, prev_hash and hash", async () => {
    const events = lines(folder);
    const own = events.filter((event) => "occurred_at" in event);
    const others = events.filter((event) => !("occurred_at" in event));
    expect(own.every((event) => event.case_id === caseId)).toBe(true);
    expect(own).toHaveLength(bundle.caseEvents);
    expect(others.length).toBeGreaterThan(0);
    for (const event of others) expect(Object.keys(event).sort()).toEqual(["hash", "prev_hash", "seq"]);
    // Nothing of the other customer appears anywhere in the events.
    const [other] = await testDb().select({ name: cases.customerLegalName, reference: cases.reference }).from(cases).where(eq(cases.id, otherCaseId));
    const text = fs.readFileSync(path.join(folder, "audit-events.jsonl"), "utf8");
    expect(text).not.toContain(other!.name);
    expect(text).not.toContain(otherCaseId);
    // The stretch runs unbroken from the case's first event to the closing checkpoint.
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: events.length }, (_, i) => bundle.fromSeq + i));
  });

  it("is recorded in the audit trail with who exported it and the zip's SHA-256", async () => {
    const [event] = await testDb()
      .select({ actorLabel: auditEvents.actorLabel, payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, "evidence.exported")));
    expect(event).toMatchObject({ actorLabel: legal.label, payload: { sha256: bundle.sha256, bytes: bundle.bytes.byteLength, via: "cli" } });
  });
});

describe("a tampered copy of the bundle", () => {
  it("is rejected when one byte of an event line changes", () => {
    const copy = tamperedCopy("audit-events.jsonl", (bytes) => {
      const text = bytes.toString("utf8");
      // Inside the actor label of one of the case's events: still valid JSON, a different event.
      return flipByteAt(bytes, text.indexOf('"actor_label":"') + 16);
    });
    const result = run(process.execPath, ["verify.mjs"], copy);
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/^Audit trail broken at seq \d+: modified — /);
  });

  it("is rejected when one byte of a sealed PDF changes, even with SHA256SUMS updated to match", () => {
    const waiver = `waivers/${fs.readdirSync(path.join(folder, "waivers")).find((name) => name.endsWith(".pdf"))!}`;
    const copy = tamperedCopy(waiver, (bytes) => flipByteAt(bytes, bytes.toString("latin1").indexOf("/Producer") + 3));
    const first = run(process.execPath, ["verify.mjs"], copy);
    expect(first.status).toBe(1);
    expect(first.out).toContain(`Evidence file ${waiver}: modified`);
    // Someone who also rewrites SHA256SUMS is still caught: the audit event holds the PDF's hash.
    const rewritten = run("sh", ["-c", "find . -type f ! -name SHA256SUMS | sed 's|^[.]/||' | sort | xargs sha256sum > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS"], copy);
    expect(rewritten.status, rewritten.out).toBe(0);
    const second = run(process.execPath, ["verify.mjs"], copy);
    expect(second.status).toBe(1);
    expect(second.out).toMatch(new RegExp(`Evidence file ${waiver.replace(/[.]/g, "\\.")}: modified — `));
  });

  it("is rejected when one byte of a checkpoint changes", () => {
    const checkpoint = `checkpoints/${fs.readdirSync(path.join(folder, "checkpoints")).filter((name) => name.endsWith(".jws")).sort().at(-1)!}`;
    // Inside the signature (the part after the last dot).
    const copy = tamperedCopy(checkpoint, (bytes) => flipByteAt(bytes, bytes.toString("utf8").lastIndexOf(".") + 5));
    const result = run(process.execPath, ["verify.mjs"], copy);
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/^Audit trail broken at seq \d+: modified — checkpoint \d+: its signature does not verify\./);
  });
});

describe("the staff download", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const signedIn = async (role: "legal" | "admin" | "engineer") => {
    const client = new TestClient(server.url);
    await signInAsStaff(client, await createTestStaff({ role }));
    return client;
  };

  it("gives legal the zip and records the download with its SHA-256", async () => {
    const client = await signedIn("legal");
    const response = await client.get(`/app/cases/${caseId}/evidence.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    const sha256 = response.headers.get("X-Content-SHA256");
    const recorded = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, "evidence.exported")));
    expect(recorded.map((event) => (event.payload as { sha256: string }).sha256)).toContain(sha256);
    expect(run(process.execPath, ["verify.mjs"], unzip(bytes)).status).toBe(0);
  });

  it("refuses engineers with 403 and another case's id with 404", async () => {
    expect((await (await signedIn("engineer")).get(`/app/cases/${caseId}/evidence.zip`)).status).toBe(403);
    const admin = await signedIn("admin");
    expect((await admin.get(`/app/cases/00000000-0000-4000-8000-000000000000/evidence.zip`)).status).toBe(404);
    expect((await admin.get(`/app/cases/not-a-case/evidence.zip`)).status).toBe(404);
  });
});
