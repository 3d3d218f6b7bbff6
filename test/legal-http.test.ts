// The legal workspace over HTTP: finding cases, reading a case's whole timeline with its filters
// and chain positions, its documents with fingerprints and downloads, and the Records page that
// runs the same chain verification as `npx handover audit:verify`.
import { createHash } from "node:crypto";
import { and, asc, count as sqlCount, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../app/audit/audit.server";
import { submitBackupReport } from "../app/backups/reports.server";
import { addHardwareItem } from "../app/cases/hardware.server";
import { evaluateChecklists } from "../app/cases/checklist.server";
import { acknowledgeList } from "../app/lists/acknowledgements.server";
import { publishList } from "../app/lists/versions.server";
import { addCredential } from "../app/vault/credentials.server";
import { auditEvents, backupReports, waiverSignatures } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { createWaiverCase, isoDate, nameTheMsp, sendAndConsent, signAsSigner, signerActor, type WaiverFixture } from "./helpers/waiver";

const SECRET = "legal-must-never-see-7Qx!";

let server: TestServer;
let fixture: WaiverFixture & { reportId: string; acknowledgementId: string };
let other: Awaited<ReturnType<typeof createCaseWithContacts>>;
let legal: TestClient;
let legalName: string;

const caseEvents = (caseId: string) =>
  testDb().select({ seq: auditEvents.seq, action: auditEvents.action, hash: auditEvents.hash, prevHash: auditEvents.prevHash, actorId: auditEvents.actorId, actorType: auditEvents.actorType }).from(auditEvents).where(eq(auditEvents.caseId, caseId)).orderBy(asc(auditEvents.seq));

/** The sequence numbers of the timeline rows a page shows, in page order. */
const seqsOn = (html: string) => [...html.matchAll(/data-seq="(\d+)"/g)].map((match) => Number(match[1]));

/** The HTML of one document's row. */
function documentRow(html: string, id: string) {
  const start = html.indexOf(`data-document="${id}"`);
  expect(start, `row of document ${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("</tr>", start));
}

async function timeline(query = "") {
  const response = await legal.get(`/app/legal/cases/${fixture.caseId}/timeline${query}`);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  server = await startTestServer();
  await nameTheMsp();
  const waiverCase = await createWaiverCase({ customer: "Brightwater Shipping Ltd" });
  await sendAndConsent(waiverCase);
  await signAsSigner(waiverCase);
  const { actor, caseId } = waiverCase;
  await addHardwareItem({ actor, caseId, input: { category: "firewall", makeModel: "FortiGate 60F", owner: "customer" } });
  const published = await publishList({ actor, caseId, kind: "hardware" });
  const { acknowledgementId } = await acknowledgeList({
    actor: signerActor(waiverCase),
    caseId,
    input: { kind: "hardware", versionSha256: published.sha256, reviewed: "yes" },
  });
  const report = await submitBackupReport({
    actor: { type: "contact", id: waiverCase.contacts.provider.id, label: "Pat Provider" },
    caseId,
    jobId: waiverCase.jobIds[0]!,
    input: { completedAt: "2025-11-03T02:14", providerSystem: "Veeam B&R 12", jobReference: "SRV01 image" },
    file: { name: "veeam-log.txt", bytes: new TextEncoder().encode("Job SRV01 image: Success\n") },
  });
  await addCredential({ actor, caseId, input: { name: "Tenant admin", secret: SECRET, releaseTo: "both" } });
  fixture = { ...waiverCase, reportId: report.id, acknowledgementId };
  other = await createCaseWithContacts({ customer: "Other Harbour Ltd" });
  const user = await createTestStaff({ role: "legal", name: "Lena Legal" });
  legalName = user.name;
  legal = new TestClient(server.url);
  await signInAsStaff(legal, user);
});
afterAll(() => server.close());

describe("legal case search", () => {
  const names = async (query: string) => {
    const response = await legal.get(`/app/legal${query}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    return ["Brightwater Shipping Ltd", "Other Harbour Ltd"].filter((name) => html.includes(name));
  };

  it("finds cases by customer and by reference, open or closed", async () => {
    expect(await names("")).toEqual(["Brightwater Shipping Ltd", "Other Harbour Ltd"]);
    expect(await names("?q=brightwater")).toEqual(["Brightwater Shipping Ltd"]);
    expect(await names(`?q=${other.reference}`)).toEqual(["Other Harbour Ltd"]);
    expect(await names("?q=nobody-by-this-name")).toEqual([]);
  });

  it("filters by the computed stage", async () => {
    const stages = await evaluateChecklists({ caseIds: [fixture.caseId, other.caseId] });
    const stage = stages.get(fixture.caseId)!.stage;
    const matching = ["Brightwater Shipping Ltd", ...(stages.get(other.caseId)!.stage === stage ? ["Other Harbour Ltd"] : [])];
    expect(await names(`?stage=${stage}`)).toEqual(matching);
    expect(await names("?stage=closed")).toEqual([]);
    // A stage that is not one is ignored rather than refused: the search shows everything.
    expect(await names("?stage=nonsense")).toHaveLength(2);
  });

  it("filters by a date range on the chosen date", async () => {
    expect(await names(`?dateField=opened&from=${isoDate(0)}&to=${isoDate(0)}`)).toHaveLength(2);
    expect(await names(`?dateField=opened&from=${isoDate(2)}`)).toEqual([]);
    // Both cutovers are 20 days ahead (test/helpers/portal.ts).
    expect(await names(`?dateField=cutover&from=${isoDate(19)}&to=${isoDate(21)}`)).toHaveLength(2);
    expect(await names(`?dateField=cutover&to=${isoDate(10)}`)).toEqual([]);
    expect(await names(`?q=brightwater&dateField=notice&from=${isoDate(-11)}&to=${isoDate(-9)}`)).toEqual(["Brightwater Shipping Ltd"]);
  });
});

describe("legal case timeline", () => {
  it("shows every event of the case, newest first, with its sequence number, hash and previous hash", async () => {
    const events = await caseEvents(fixture.caseId);
    const html = await timeline();
    expect(html).toContain(`${events.length} events`);
    expect(seqsOn(html)).toEqual(events.map((event) => event.seq).reverse());
    const signed = events.find((event) => event.action === "waiver.signed")!;
    expect(html).toContain(signed.hash);
    expect(html).toContain(signed.prevHash);
    expect(html).not.toContain((await caseEvents(other.caseId))[0]!.hash);
  });

  it("filters by event type, party and date range", async () => {
    const events = await caseEvents(fixture.caseId);
    const seqs = (predicate: (event: (typeof events)[number]) => boolean) => events.filter(predicate).map((event) => event.seq).reverse();

    expect(seqsOn(await timeline("?action=waiver.signed"))).toEqual(seqs((event) => event.action === "waiver.signed"));
    expect(seqsOn(await timeline("?party=staff"))).toEqual(seqs((event) => event.actorType === "staff"));
    const signerId = fixture.contacts.customer_signer.id;
    const customer = seqs((event) => event.actorId === signerId);
    expect(customer.length).toBeGreaterThan(0);
    expect(seqsOn(await timeline("?party=customer"))).toEqual(customer);
    const provider = seqs((event) => event.actorId === fixture.contacts.provider.id);
    expect(provider).toEqual(seqs((event) => event.action === "backup_report.submitted"));
    expect(seqsOn(await timeline("?party=provider"))).toEqual(provider);
    expect(seqsOn(await timeline("?party=system"))).toEqual(seqs((event) => event.actorType === "system"));
    expect(seqsOn(await timeline("?party=provider&action=waiver.signed"))).toEqual([]);

    // Days are the case's (Europe/London); everything here happened today.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
    expect(seqsOn(await timeline(`?from=${today}&to=${today}`))).toEqual(seqs(() => true));
    expect(seqsOn(await timeline(`?from=${isoDate(2)}`))).toEqual([]);
    expect(seqsOn(await timeline(`?to=${isoDate(-2)}`))).toEqual([]);
  });

  it("pages through thousands of events a hundred at a time, keeping the filter", async () => {
    const actor = signerActor(fixture);
    await testDb().transaction(async (tx) => {
      for (let i = 0; i < 230; i++) {
        await recordAudit(tx, { actor, caseId: fixture.caseId, event: { action: "waiver.viewed", payload: { waiverId: fixture.waiverId, contactId: actor.id! } } });
      }
    });
    const viewed = (await caseEvents(fixture.caseId)).filter((event) => event.action === "waiver.viewed").map((event) => event.seq).reverse();
    expect(viewed.length).toBeGreaterThanOrEqual(230);

    /** The page link to older (`before`) or newer (`after`) events, as the page renders it. */
    const link = (html: string, cursor: "before" | "after") => new RegExp(`href="([^"]*\\?[^"]*${cursor}=\\d+[^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, "&");
    const open = async (href: string) => {
      const response = await legal.get(href);
      expect(response.status).toBe(200);
      return response.text();
    };

    const first = await timeline("?action=waiver.viewed");
    expect(seqsOn(first)).toEqual(viewed.slice(0, 100));
    expect(link(first, "before")).toContain("action=waiver.viewed");
    expect(link(first, "after")).toBeUndefined();

    const second = await open(link(first, "before")!);
    expect(seqsOn(second)).toEqual(viewed.slice(100, 200));
    expect(seqsOn(await open(link(second, "after")!))).toEqual(viewed.slice(0, 100));

    const third = await open(link(second, "before")!);
    expect(seqsOn(third)).toEqual(viewed.slice(200));
    expect(link(third, "before")).toBeUndefined();
  });
});

describe("legal case documents", () => {
  it("lists the sealed waiver, the receipt and the evidence with the SHA-256 and size of what a download gives", async () => {
    const [seal] = await testDb()
      .select({ sha256: waiverSignatures.sealedSha256, bytes: sql<number>`octet_length(${waiverSignatures.sealedPdf})`.mapWith(Number) })
      .from(waiverSignatures)
      .where(eq(waiverSignatures.waiverId, fixture.waiverId));
    const [evidence] = await testDb().select({ sha256: backupReports.evidenceSha256, bytes: backupReports.evidenceSize }).from(backupReports).where(eq(backupReports.id, fixture.reportId));
    const response = await legal.get(`/app/legal/cases/${fixture.caseId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`href="/app/cases/${fixture.caseId}/evidence.zip"`);

    const waiverRow = documentRow(html, fixture.waiverId);
    expect(waiverRow).toContain(seal!.sha256);
    expect(waiverRow).toContain(`${seal!.bytes.toLocaleString("en-US")} bytes`);
    expect(waiverRow).toContain(`/app/cases/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`);

    const evidenceRow = documentRow(html, fixture.reportId);
    expect(evidenceRow).toContain(evidence!.sha256);
    expect(evidenceRow).toContain(`${evidence!.bytes} bytes`);
    expect(evidenceRow).toContain("veeam-log.txt");

    // The receipt is rendered on request: the fingerprint shown is that of the bytes downloaded.
    const receipt = new Uint8Array(await (await legal.get(`/app/cases/${fixture.caseId}/lists/receipts/${fixture.acknowledgementId}`)).arrayBuffer());
    const receiptRow = documentRow(html, fixture.acknowledgementId);
    expect(receiptRow).toContain(createHash("sha256").update(receipt).digest("hex"));
    expect(receiptRow).toContain(`${receipt.byteLength.toLocaleString("en-US")} bytes`);
    expect(receiptRow).toContain("Hardware list, version 1");
  });

  it("says who downloaded each document when, from the audit trail", async () => {
    const before = documentRow(await (await legal.get(`/app/legal/cases/${fixture.caseId}`)).text(), fixture.waiverId);
    expect(before).toContain("Never");
    expect((await legal.get(`/app/cases/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`)).status).toBe(200);
    const [download] = await testDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.downloaded")));
    const html = await (await legal.get(`/app/legal/cases/${fixture.caseId}`)).text();
    const after = documentRow(html, fixture.waiverId);
    expect(after).toContain(legalName);
    expect(after).toContain(`seq ${download!.seq}`);
    // The download is the waiver's, not the other documents'.
    expect(documentRow(html, fixture.reportId)).toContain("Never");
 
    // A receipt's download is recorded by the download itself and shows on the receipt's row.
    expect((await legal.get(`/app/cases/${fixture.caseId}/lists/receipts/${fixture.acknowledgementId}`)).status).toBe(200);
    expect(documentRow(await (await legal.get(`/app/legal/cases/${fixture.caseId}`)).text(), fixture.acknowledgementId)).toContain(legalName);
  });

  it("ties a generic document download to its document by the SHA-256 handed out", async () => {
    const [evidence] = await testDb().select({ sha256: backupReports.evidenceSha256, bytes: backupReports.evidenceSize }).from(backupReports).where(eq(backupReports.id, fixture.reportId));
    const { seq } = await testDb().transaction((tx) =>
      recordAudit(tx, {
        actor: { type: "staff", id: null, label: "Dana Downloader <dana@msp.test>" },
        caseId: fixture.caseId,
        event: { action: "document.downloaded", payload: { kind: "handover_export", version: 1, contentSha256: evidence!.sha256, sha256: evidence!.sha256, bytes: evidence!.bytes } },
      }),
    );
    const row = documentRow(await (await legal.get(`/app/legal/cases/${fixture.caseId}`)).text(), fixture.reportId);
    expect(row).toContain("Dana Downloader");
    expect(row).toContain(`seq ${seq}`);
  });

  it("shows another case's documents only on that case, and 404 for a case that does not exist", async () => {
    const html = await (await legal.get(`/app/legal/cases/${other.caseId}`)).text();
    expect(html).not.toContain(fixture.waiverId);
    expect(html).toContain("No sealed waiver");
    expect((await legal.get("/app/legal/cases/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await legal.get("/app/legal/cases/00000000-0000-4000-8000-000000000000/timeline")).status).toBe(404);
    expect((await legal.get("/app/legal/cases/not-a-case")).status).toBe(404);
  });

  it("shows legal no secret value on any of its pages", async () => {
    for (const url of [
      "/app/legal",
      `/app/legal/cases/${fixture.caseId}`,
      `/app/legal/cases/${fixture.caseId}/timeline`,
      `/app/legal/cases/${fixture.caseId}/timeline?action=credential.added`,
      "/app/legal/records",
    ]) {
      const response = await legal.get(url);
      expect(response.status, url).toBe(200);
      expect(await response.text(), url).not.toContain(SECRET);
    }
  });
});

describe("Records", () => {
  const verifiedEvents = () => testDb().select({ seq: auditEvents.seq, actorLabel: auditEvents.actorLabel, payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.action, "audit.verified")).orderBy(asc(auditEvents.seq));

  it("runs the chain verification on POST, shows what audit:verify prints, and records the run", async () => {
    const page = await legal.get("/app/legal/records");
    expect(await page.text()).toContain("has not been verified here yet");
    const [{ count }] = (await testDb().select({ count: sqlCount() }).from(auditEvents)) as [{ count: number }];
    const [head] = await testDb().select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(sql`seq desc`).limit(1);

    const response = await legal.post("/app/legal/records", {});
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`Audit trail intact: ${count} events checked, head seq ${head!.seq} hash ${head!.hash}`);
    expect(html).toContain("Intact");

    const runs = await verifiedEvents();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.actorLabel).toContain(legalName);
    expect(runs[0]!.seq).toBe(head!.seq + 1);
    expect(runs[0]!.payload).toMatchObject({ ok: true, events: count, head: { seq: head!.seq, hash: head!.hash } });
    // A later visit shows the recorded run without walking the chain again.
    const later = await (await legal.get("/app/legal/records")).text();
    expect(later).toContain(`${count} events checked`);
    expect(later).toContain(`recorded as event ${runs[0]!.seq}`);
  });

  it("names the first bad sequence number and the problem after a tamper done with SQL, triggers off", async () => {
    const events = await caseEvents(fixture.caseId);
    const victim = events.find((event) => event.action === "waiver.signed")!;
    await testDb().transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update audit_events set payload = jsonb_set(payload, '{contactId}', '"someone-else"') where seq = ${victim.seq}`);
    });
    const html = await (await legal.post("/app/legal/records", {})).text();
    expect(html).toContain(`Audit trail broken at seq ${victim.seq}: modified`);
    expect(html).toContain("Broken: modified");
    const runs = await verifiedEvents();
    expect(runs.at(-1)!.payload).toMatchObject({ ok: false, seq: victim.seq, kind: "modified" });
    expect(await (await legal.get("/app/legal/records")).text()).toContain(`Audit trail broken at seq ${victim.seq}: modified`);
  });
});
