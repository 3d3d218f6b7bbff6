// The backup transition over HTTP: the provider reports with an evidence upload (checked by content
// and size), every party downloads it safely, the customer signer verifies with a fresh code, staff
// verify and stop — and a refused stop is shown on the job's page.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteContact } from "../app/portal/magic-link.server";
import { auditEvents, backupJobs, backupReports } from "../db/schema";
import { type BackupFixture, PNG_EVIDENCE, TEXT_EVIDENCE, caseWithJob, reportBackup, reportInput } from "./helpers/backups";
import { testDb } from "./helpers/database";
import { type TestServer, TestClient, startTestServer } from "./helpers/http";
import { codeFrom, latestEmailTo, signInPathFrom } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Role = "customer_signer" | "customer_viewer" | "provider";

async function portalClient(fixture: BackupFixture, role: Role) {
  const contact = fixture.contacts[role];
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: contact.id });
  const client = new TestClient(server.url);
  const response = await client.post(signInPathFrom((await latestEmailTo(contact.email))!.text), {});
  expect(response.status).toBe(302);
  return client;
}

async function stepUp(client: TestClient, fixture: BackupFixture, role: Role) {
  const confirm = `/portal/${fixture.caseId}/confirm`;
  expect((await client.post(confirm, { intent: "send" })).status).toBe(200);
  const code = codeFrom((await latestEmailTo(fixture.contacts[role].email))!.text);
  expect((await client.post(confirm, { intent: "verify", code })).status).toBe(302);
}

async function staffClient(role: "admin" | "engineer" | "legal" = "engineer") {
  const client = new TestClient(server.url);
  await signInAsStaff(client, await createTestStaff({ role }));
  return client;
}

function reportForm({ bytes = TEXT_EVIDENCE, name = "veeam-log.txt", type = "text/plain", fields = reportInput as Record<string, string> } = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set("evidence", new Blob([bytes], { type }), name);
  return form;
}

const jobPath = (fixture: BackupFixture) => `/portal/${fixture.caseId}/backups/${fixture.jobId}`;
const reportsOf = (jobId: string) =>
  testDb()
    .select({ id: backupReports.id, status: backupReports.status, filename: backupReports.evidenceFilename, sha256: backupReports.evidenceSha256 })
    .from(backupReports)
    .where(eq(backupReports.backupJobId, jobId));

describe("the provider's report", () => {
  it("is sent with a text file as evidence, stored with its SHA-256, and the engineer is asked to verify", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });
    const provider = await portalClient(fixture, "provider");
    const list = await provider.get(`/portal/${fixture.caseId}/backups`);
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain("Datto SIRIS — HD-SRV01");
    expect(listed).toContain("Report backup");
    const form = await (await provider.get(jobPath(fixture))).text();
    expect(form).toContain("Report your first successful backup");
    expect(form).toContain("Local time in Europe/London.");

    const response = await provider.post(jobPath(fixture), reportForm());
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${jobPath(fixture)}?reported`);
    const [report] = await reportsOf(fixture.jobId);
    expect(report).toMatchObject({ status: "submitted", filename: "veeam-log.txt", sha256: createHash("sha256").update(TEXT_EVIDENCE).digest("hex") });
    const email = await latestEmailTo(fixture.engineer.email);
    expect(email!.subject).toBe(`Backup report to verify: Datto SIRIS — HD-SRV01 (${fixture.reference})`);

    const after = await (await provider.get(`${jobPath(fixture)}?reported`)).text();
    expect(after).toContain("Your report was sent for verification");
    expect(after).toContain("Awaiting verification");
    expect(after).not.toContain("Report your first successful backup");
    // Another report while this one waits is refused.
    const again = await provider.post(jobPath(fixture), reportForm());
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("already waiting for verification");
  });

  it("is refused, with the message next to the field and nothing stored, for files that are not PDF, PNG, JPEG or text", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    const executable = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
    const withNul = new TextEncoder().encode("looks like text\u0000but is not");
    const notUtf8 = new Uint8Array([0x48, 0x69, 0x20, 0xc3, 0x28, 0xa0, 0xa1]);
    // Named and typed as a PDF, but the bytes are a Windows executable's: the bytes decide.
    for (const [bytes, name, type] of [
      [executable, "report.pdf", "application/pdf"],
      [withNul, "log.txt", "text/plain"],
      [notUtf8, "log.txt", "text/plain"],
    ] as const) {
      const response = await provider.post(jobPath(fixture), reportForm({ bytes, name, type }));
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain("The file must be a PDF, PNG, JPEG or plain text file.");
      // What was typed is kept.
      expect(page).toContain('value="Veeam B&amp;R 12 on BH-VBR01"');
    }
    expect(await reportsOf(fixture.jobId)).toEqual([]);
  });

  it("shows every problem at once when fields are missing and no file is chosen", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    const response = await provider.post(jobPath(fixture), reportForm({ bytes: new Uint8Array(), name: "", fields: { completedAt: "yesterday" } }));
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Enter a date and time");
    expect(page).toContain("Name the backup system that ran it");
    expect(page).toContain("Choose the evidence file to upload.");
  });

  it("refuses a backup time in the future", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    const response = await provider.post(jobPath(fixture), reportForm({ fields: { ...reportInput, completedAt: "2099-01-01T00:00" } }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This time is in the future");
  });

  it("refuses a file over 10 MB, with or without a declared length, without storing anything", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    const declared = await provider.post(jobPath(fixture), reportForm({ bytes: big, name: "huge.txt" }));
    expect(declared.status).toBe(400);
    expect(await declared.text()).toContain("The file is larger than 10 MB.");

    // Streamed without Content-Length, past the whole form's limit: refused at the limit, before the route runs.
    const boundary = "----handover-test-boundary";
    const head = new TextEncoder().encode(
      Object.entries(reportInput)
        .map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`)
        .join("") + `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent < 12) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          controller.close();
        }
        sent++;
      },
    });
    const streamed = await provider.request(jobPath(fixture), {
      method: "POST",
      body,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    // The unread rest of the upload is not kept waiting on a reused connection.
    expect(declared.headers.get("connection")).toBe("close");
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toContain("The file is larger than 10 MB.");
    expect(await reportsOf(fixture.jobId)).toEqual([]);
  });

  it("is only for the incoming provider: the customer's people are refused before anything is read", async () => {
    const fixture = await caseWithJob();
    for (const role of ["customer_signer", "customer_viewer"] as const) {
      const client = await portalClient(fixture, role);
      const page = await (await client.get(jobPath(fixture))).text();
      expect(page).not.toContain("Report your first successful backup");
      expect((await client.post(jobPath(fixture), reportForm())).status).toBe(403);
    }
    expect(await reportsOf(fixture.jobId)).toEqual([]);
  });
});

describe("evidence downloads", () => {
  it("are attachments, never cached or sniffed, for staff and every party of the case", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    expect((await provider.post(jobPath(fixture), reportForm({ bytes: PNG_EVIDENCE, name: "screenshot.png", type: "image/png" }))).status).toBe(302);
    const [report] = await reportsOf(fixture.jobId);

    const viewer = await portalClient(fixture, "customer_viewer");
    const legal = await staffClient("legal");
    for (const [client, path] of [
      [provider, `/portal/${fixture.caseId}/backups/reports/${report!.id}/evidence`],
      [viewer, `/portal/${fixture.caseId}/backups/reports/${report!.id}/evidence`],
      [legal, `/app/cases/${fixture.caseId}/backups/reports/${report!.id}/evidence`],
    ] as const) {
      const response = await client.get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="screenshot.png"/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG_EVIDENCE);
    }
  });

  it("name the type the bytes are, whatever the file was called", async () => {
    const fixture = await caseWithJob();
    const provider = await portalClient(fixture, "provider");
    const html = new TextEncoder().encode("<script>alert(1)</script>");
    expect((await provider.post(jobPath(fixture), reportForm({ bytes: html, name: "report.html", type: "text/html" }))).status).toBe(302);
    const [report] = await reportsOf(fixture.jobId);
    expect(report!.filename).toBe("report.html.txt");
    const response = await provider.get(`/portal/${fixture.caseId}/backups/reports/${report!.id}/evidence`);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain('filename="report.html.txt"');
  });

  it("are not found from another case, for contacts and through another case's URL", async () => {
    const fixture = await caseWithJob();
    const other = await caseWithJob();
    const report = await reportBackup(other);
    const provider = await portalClient(fixture, "provider");
    expect((await provider.get(`/portal/${fixture.caseId}/backups/reports/${report.id}/evidence`)).status).toBe(404);
    expect((await provider.get(`/portal/${other.caseId}/backups/reports/${report.id}/evidence`)).status).toBe(404);
    expect((await provider.get(`/portal/${fixture.caseId}/backups/${other.jobId}`)).status).toBe(404);
    const staff = await staffClient();
    expect((await staff.get(`/app/cases/${fixture.caseId}/backups/reports/${report.id}/evidence`)).status).toBe(404);
  });
});

describe("verification by the customer signer", () => {
  it("needs a fresh emailed code, then records the signer as the verifier", async () => {
    const fixture = await caseWithJob();
    const report = await reportBackup(fixture);
    const signer = await portalClient(fixture, "customer_signer");
    const page = await (await signer.get(jobPath(fixture))).text();
    expect(page).toContain("first confirm it is you");
    expect(page).not.toContain("Verify backup");

    const early = await signer.post(jobPath(fixture), { intent: "verify", reportId: report.id, confirm: "on" });
    expect(early.status).toBe(302);
    expect(early.headers.get("location")).toContain(`/portal/${fixture.caseId}/confirm`);
    expect((await reportsOf(fixture.jobId))[0]!.status).toBe("submitted");

    await stepUp(signer, fixture, "customer_signer");
    expect(await (await signer.get(jobPath(fixture))).text()).toContain("Verify backup");
    const unticked = await signer.post(jobPath(fixture), { intent: "verify", reportId: report.id });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Tick the box to confirm you checked the evidence");
    const verified = await signer.post(jobPath(fixture), { intent: "verify", reportId: report.id, confirm: "on" });
    expect(verified.status).toBe(302);
    expect((await reportsOf(fixture.jobId))[0]!.status).toBe("verified");
    const [event] = await testDb()
      .select({ actorType: auditEvents.actorType, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "backup_report.verified")));
    expect(event).toEqual({ actorType: "contact", actorId: fixture.contacts.customer_signer.id });
    expect(await (await signer.get(jobPath(fixture))).text()).toContain("this job may be stopped");
  });

  it("is not for the viewer or the provider", async () => {
    const fixture = await caseWithJob();
    const report = await reportBackup(fixture);
    for (const role of ["customer_viewer", "provider"] as const) {
      const client = await portalClient(fixture, role);
      expect((await client.post(jobPath(fixture), { intent: "verify", reportId: report.id, confirm: "on" })).status).toBe(403);
    }
    expect((await reportsOf(fixture.jobId))[0]!.status).toBe("submitted");
  });
});

describe("the staff job page", () => {
  const transitionPath = (fixture: BackupFixture) => `/app/cases/${fixture.caseId}/backups/jobs/${fixture.jobId}/transition`;
  const stateOf = async (jobId: string) => (await testDb().select({ state: backupJobs.state }).from(backupJobs).where(eq(backupJobs.id, jobId)))[0]!.state;

  it("refuses an uncovered stop with a clear message and lists the refused attempt", async () => {
    const fixture = await caseWithJob({ system: "Datto SaaS Protection" });
    const staff = await staffClient();
    const refused = await staff.post(transitionPath(fixture), { intent: "stop" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Datto SaaS Protection cannot be stopped yet");
    expect(await stateOf(fixture.jobId)).toBe("running");
    const page = await (await staff.get(transitionPath(fixture))).text();
    expect(page).toContain("Refused stop attempts");
    expect(page).toMatch(/<td>Test engineer \d+ &lt;engineer\d+-\d+@msp\.test&gt;<\/td>/);
  });

  it("lets staff verify the report and then stop the job; the backups tab shows the transition", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });
    const staff = await staffClient();
    const tab = await (await staff.get(`/app/cases/${fixture.caseId}/backups`)).text();
    expect(tab).toContain("Waiting for new backup");
    const report = await reportBackup(fixture);
    const page = await (await staff.get(transitionPath(fixture))).text();
    expect(page).toContain("veeam-log.txt");
    expect(page).toContain("Verify backup");
    expect((await staff.post(transitionPath(fixture), { intent: "verify", reportId: report.id, confirm: "on" })).status).toBe(302);
    expect(await (await staff.get(`/app/cases/${fixture.caseId}/backups`)).text()).toContain("New backup verified");
    expect((await staff.post(transitionPath(fixture), { intent: "stop" })).status).toBe(302);
    expect(await stateOf(fixture.jobId)).toBe("stopped");
  });

  it("lets staff reject a report with a reason, which the provider is told", async () => {
    const fixture = await caseWithJob();
    const staff = await staffClient("admin");
    const report = await reportBackup(fixture);
    const noReason = await staff.post(transitionPath(fixture), { intent: "reject", reportId: report.id, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Say what is missing or wrong");
    expect((await staff.post(transitionPath(fixture), { intent: "reject", reportId: report.id, reason: "The log is for another server." })).status).toBe(302);
    const email = await latestEmailTo(fixture.contacts.provider.email);
    expect(email!.text).toContain("The log is for another server.");
  });

  it("is read-only for legal", async () => {
    const fixture = await caseWithJob();
    const report = await reportBackup(fixture);
    const legal = await staffClient("legal");
    const page = await (await legal.get(transitionPath(fixture))).text();
    expect(page).toContain("veeam-log.txt");
    expect(page).not.toContain("Verify backup");
    expect(page).not.toContain("Stop job");
    expect((await legal.post(transitionPath(fixture), { intent: "verify", reportId: report.id, confirm: "on" })).status).toBe(403);
    expect((await legal.post(transitionPath(fixture), { intent: "stop" })).status).toBe(403);
  });
});
