import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addHardwareItem, listHardwareItems, updateHardwareItem } from "../app/cases/hardware.server";
import type { HardwareItemInput } from "../app/cases/schemas";
import { inviteContact } from "../app/portal/magic-link.server";
import { publishList } from "../app/lists/versions.server";
import { auditEvents, listAcknowledgements, listDisputes } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { codeFrom, createCaseWithContacts, latestEmailTo, signInPathFrom } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const firewall: HardwareItemInput = {
  category: "firewall",
  makeModel: "Fortinet FortiGate 60F",
  serialNumber: "FGT60F-HTTP",
  owner: "msp",
  retrievalPlan: "Collected after cutover",
  retrievalWindowStartsOn: day(21),
  retrievalWindowEndsOn: day(24),
};
const laptop: HardwareItemInput = { category: "laptop", makeModel: "Lenovo ThinkPad T14", owner: "customer" };

async function contactClient(fixture: Fixture, role: keyof Fixture["contacts"] = "customer_signer") {
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts[role].id });
  const path = signInPathFrom((await latestEmailTo(fixture.contacts[role].email))!.text);
  const client = new TestClient(server.url);
  expect((await client.post(path, {})).status).toBe(302);
  return client;
}

async function stepUp(client: TestClient, fixture: Fixture) {
  expect((await client.post(`/portal/${fixture.caseId}/confirm`, { intent: "send" })).status).toBe(200);
  const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
  expect((await client.post(`/portal/${fixture.caseId}/confirm`, { intent: "verify", code })).status).toBe(302);
}

async function staffClient(role: "admin" | "engineer" | "legal" = "engineer") {
  const client = new TestClient(server.url);
  await signInAsStaff(client, await createTestStaff({ role }));
  return client;
}

async function publishedCase() {
  const fixture = await createCaseWithContacts({ customer: "Harbour Dental Ltd" });
  const fw = await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: firewall });
  const lt = await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: laptop });
  const v1 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
  return { ...fixture, firewallId: fw.id, laptopId: lt.id, v1 };
}

describe("the staff lists page", () => {
  it("publishes the draft for editors, shows versions, and refuses legal", async () => {
    const fixture = await createCaseWithContacts();
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: firewall });
    const engineer = await staffClient("engineer");
    const page = await engineer.get(`/app/cases/${fixture.caseId}/lists`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Not published");
    expect(html).toContain("Publish version 1");

    const published = await engineer.post(`/app/cases/${fixture.caseId}/lists`, { intent: "publish", kind: "hardware" });
    expect(published.status).toBe(200);
    expect(await published.text()).toContain("Version 1 published. 1 customer signer emailed to review it.");
    const again = await engineer.post(`/app/cases/${fixture.caseId}/lists`, { intent: "publish", kind: "hardware" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Nothing changed since version 1");

    const legal = await staffClient("legal");
    expect((await legal.get(`/app/cases/${fixture.caseId}/lists`)).status).toBe(200);
    expect((await legal.post(`/app/cases/${fixture.caseId}/lists`, { intent: "publish", kind: "subscriptions" })).status).toBe(403);
    expect((await legal.get(`/app/cases/${fixture.caseId}/import`)).status).toBe(403);
    expect((await engineer.post(`/app/cases/${fixture.caseId}/lists`, { intent: "publish", kind: "furniture" })).status).toBe(400);
  });

  it("shows a version with its hash and canonical JSON, and answers 404 for another case's version", async () => {
    const fixture = await publishedCase();
    const other = await createCaseWithContacts();
    const engineer = await staffClient();
    const page = await engineer.get(`/app/cases/${fixture.caseId}/lists/versions/${fixture.v1.versionId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(fixture.v1.sha256);
    expect(html).toContain("Fortinet FortiGate 60F");
    expect(html).toContain("&quot;format&quot;:&quot;handover.list/1&quot;");
    expect((await engineer.get(`/app/cases/${other.caseId}/lists/versions/${fixture.v1.versionId}`)).status).toBe(404);
    expect((await engineer.get(`/app/cases/${fixture.caseId}/lists/versions/not-a-uuid`)).status).toBe(404);
  });
});

describe("the customer's review", () => {
  it("lets viewer and provider read the list but not acknowledge it; another case's contact gets 404", async () => {
    const fixture = await publishedCase();
    for (const role of ["customer_viewer", "provider"] as const) {
      const client = await contactClient(fixture, role);
      const page = await client.get(`/portal/${fixture.caseId}/lists/hardware`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(fixture.v1.sha256);
      expect(html).toContain("Fortinet FortiGate 60F");
      expect(html).not.toContain("Acknowledge version 1");
      const refused = await client.post(`/portal/${fixture.caseId}/lists/hardware`, {
        intent: "acknowledge",
        versionSha256: fixture.v1.sha256,
        reviewed: "yes",
      });
      expect(refused.status).toBe(403);
    }
    const stranger = await contactClient(await createCaseWithContacts());
    expect((await stranger.get(`/portal/${fixture.caseId}/lists/hardware`)).status).toBe(404);
    expect((await new TestClient(server.url).get(`/portal/${fixture.caseId}/lists`)).headers.get("location")).toBe("/sign-in");
    const signer = await contactClient(fixture);
    expect((await signer.get(`/portal/${fixture.caseId}/lists/furniture`)).status).toBe(404);
    expect(await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.caseId, fixture.caseId))).toEqual([]);
  });

  it("needs a fresh step-up and the hash on screen; records IP and user agent; the parties download the receipt", async () => {
    const fixture = await publishedCase();
    const signer = await contactClient(fixture);
    const page = `/portal/${fixture.caseId}/lists/hardware`;
    expect(await (await signer.get(page)).text()).toContain("Confirm it is me");

    const fields = { intent: "acknowledge", versionSha256: fixture.v1.sha256, reviewed: "yes" };
    const unconfirmed = await signer.post(page, fields);
    expect(unconfirmed.status).toBe(302);
    expect(unconfirmed.headers.get("location")).toMatch(new RegExp(`^/portal/${fixture.caseId}/confirm\\?redirectTo=`));

    await stepUp(signer, fixture);
    expect(await (await signer.get(page)).text()).toContain("Acknowledge version 1");
    // The list changes while the customer reads version 1.
    await updateHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, itemId: fixture.laptopId, input: { ...laptop, location: "Front desk" } });
    const v2 = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const stale = await signer.post(page, fields);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Please review version 2");
    const unticked = await signer.post(page, { intent: "acknowledge", versionSha256: v2.sha256 });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Confirm that you have reviewed every item");
    expect(await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.caseId, fixture.caseId))).toEqual([]);

    const done = await signer.request(page, {
      method: "POST",
      body: new URLSearchParams({ ...fields, versionSha256: v2.sha256 }),
      headers: { "User-Agent": "Mozilla/5.0 (Receipt test)" },
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${page}?done=acknowledged`);
    const [acknowledgement] = await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.caseId, fixture.caseId));
    expect(acknowledgement).toMatchObject({ versionSha256: v2.sha256, ip: "127.0.0.1", userAgent: "Mozilla/5.0 (Receipt test)" });
    const [event] = await testDb()
      .select({ ip: auditEvents.ip, userAgent: auditEvents.userAgent, payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "list.acknowledged")));
    expect(event).toMatchObject({ ip: "127.0.0.1", userAgent: "Mozilla/5.0 (Receipt test)", payload: { sha256: v2.sha256, version: 2 } });

    const receiptPath = `/portal/${fixture.caseId}/lists/receipts/${acknowledgement!.id}`;
    expect(await (await signer.get(`${page}?done=acknowledged`)).text()).toContain(receiptPath);
    const provider = await contactClient(fixture, "provider");
    const receipt = await provider.get(receiptPath);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("content-type")).toBe("application/pdf");
    expect(receipt.headers.get("content-disposition")).toBe(`attachment; filename="${fixture.reference}-hardware-v2-receipt.pdf"`);
    expect(receipt.headers.get("cache-control")).toBe("no-store");
    expect(Buffer.from(await receipt.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");

    const staff = await staffClient("legal");
    const staffReceipt = await staff.get(`/app/cases/${fixture.caseId}/lists/receipts/${acknowledgement!.id}`);
    expect(staffReceipt.status).toBe(200);
    expect(staffReceipt.headers.get("cache-control")).toBe("no-store");
    // Another case's contact cannot fetch it, even with the right id.
    const other = await createCaseWithContacts();
    const stranger = await contactClient(other);
    expect((await stranger.get(`/portal/${other.caseId}/lists/receipts/${acknowledgement!.id}`)).status).toBe(404);
  });

  it("highlights what changed since the version the customer acknowledged", async () => {
    const fixture = await publishedCase();
    const signer = await contactClient(fixture);
    await stepUp(signer, fixture);
    const page = `/portal/${fixture.caseId}/lists/hardware`;
    expect((await signer.post(page, { intent: "acknowledge", versionSha256: fixture.v1.sha256, reviewed: "yes" })).status).toBe(302);
    await updateHardwareItem({
      actor: fixture.actor,
      caseId: fixture.caseId,
      itemId: fixture.firewallId,
      input: { ...firewall, retrievalWindowEndsOn: day(30) },
    });
    await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { category: "switch", makeModel: "Aruba 1930 24G", owner: "customer" } });
    await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
    const html = await (await signer.get(page)).text();
    expect(html).toContain("This version replaces version 1, which you acknowledged.");
    expect(html).toMatch(/list-row-added[^>]*>[\s\S]*?New[\s\S]*?Aruba 1930 24G/);
    expect(html).toContain("Retrieval window ends was ");
    expect(html).toContain("Acknowledge version 2");
  });
});

describe("disputes over HTTP", () => {
  it("come from the signer's per-item comments, reach the staff page, and the answer reaches the portal", async () => {
    const fixture = await publishedCase();
    const signer = await contactClient(fixture);
    const page = `/portal/${fixture.caseId}/lists/hardware`;
    const empty = await signer.post(page, { intent: "dispute", versionSha256: fixture.v1.sha256, [`comment.${fixture.laptopId}`]: " " });
    expect(empty.status).toBe(400);
    const sent = await signer.post(page, {
      intent: "dispute",
      versionSha256: fixture.v1.sha256,
      [`comment.${fixture.laptopId}`]: "This laptop was bought by the practice, it is not ours to return.",
    });
    expect(sent.status).toBe(302);

    const engineer = await staffClient();
    const staffPage = await (await engineer.get(`/app/cases/${fixture.caseId}/lists`)).text();
    expect(staffPage).toContain("Disputes (1 open)");
    expect(staffPage).toContain("it is not ours to return.");
    const overview = await (await engineer.get(`/app/cases/${fixture.caseId}`)).text();
    expect(overview).toContain("1 open dispute from the customer to answer.");

    const [dispute] = await testDb().select({ id: listDisputes.id }).from(listDisputes).where(eq(listDisputes.caseId, fixture.caseId));
    const blank = await engineer.post(`/app/cases/${fixture.caseId}/lists`, { intent: "answer", disputeId: dispute!.id, answer: "" });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain("Write your answer");
    const answered = await engineer.post(`/app/cases/${fixture.caseId}/lists`, {
      intent: "answer",
      disputeId: dispute!.id,
      answer: "You are right: the laptop stays with you.",
    });
    expect(answered.status).toBe(200);
    const portal = await (await signer.get(page)).text();
    expect(portal).toContain("You are right: the laptop stays with you.");
    // Another case's dispute id is not found.
    const other = await createCaseWithContacts();
    expect(
      (await engineer.post(`/app/cases/${other.caseId}/lists`, { intent: "answer", disputeId: dispute!.id, answer: "x" })).status,
    ).toBe(404);
  });
});

describe("the import wizard", () => {
  it("suggests a mapping, previews per-line errors, imports nothing while any line is wrong, then everything", async () => {
    const fixture = await createCaseWithContacts();
    const engineer = await staffClient();
    const url = `/app/cases/${fixture.caseId}/import`;
    expect((await engineer.get(url)).status).toBe(200);

    const bad = ["Device Type,Make/Model,S/N,Owner", "Firewall,FortiGate 60F,FGT1,MSP", "Toaster,Dualit 4,DU1,Customer", "Laptop,,PF1,Customer"].join("\n");
    const upload = new FormData();
    upload.set("intent", "upload");
    upload.set("kind", "hardware");
    upload.set("file", new Blob([bad], { type: "text/csv" }), "rmm-export.csv");
    const mapped = await engineer.post(url, upload);
    expect(mapped.status).toBe(200);
    const mapHtml = await mapped.text();
    expect(mapHtml).toContain("2. Match the columns");
    expect(mapHtml).toMatch(/name="mapping\.2"[\s\S]*?<option value="serialNumber" selected/);

    const request = { kind: "hardware", csv: bad, filename: "rmm-export.csv", "mapping.0": "category", "mapping.1": "makeModel", "mapping.2": "serialNumber", "mapping.3": "owner" };
    const preview = await engineer.post(url, { ...request, intent: "preview" });
    expect(preview.status).toBe(200);
    const previewHtml = (await preview.text()).replaceAll("<!-- -->", "");
    expect(previewHtml).toContain("2 problems in the file");
    expect(previewHtml).toContain("Line 3, column “Device Type”: “Toaster” is not one of:");
    expect(previewHtml).toContain("Line 4, column “Make/Model”: Enter the make and model");

    const refused = await engineer.post(url, { ...request, intent: "import" });
    expect(refused.status).toBe(400);
    expect(await listHardwareItems({ caseId: fixture.caseId })).toEqual([]);

    const good = bad.replace("Toaster,Dualit 4", "Printer,Dualit 4").replace("Laptop,,", "Laptop,ThinkPad T14,");
    const imported = await engineer.post(url, { ...request, csv: good, intent: "import", save: "yes", saveAs: "RMM export" });
    expect(imported.status).toBe(302);
    expect(imported.headers.get("location")).toBe(`/app/cases/${fixture.caseId}/hardware?imported=3`);
    expect((await listHardwareItems({ caseId: fixture.caseId })).map((item) => item.makeModel).sort()).toEqual(["Dualit 4", "FortiGate 60F", "ThinkPad T14"]);

    // The saved mapping is offered (and applied) for the next file with these headers.
    const next = new FormData();
    next.set("intent", "upload");
    next.set("kind", "hardware");
    next.set("pasted", good);
    expect(await (await engineer.post(url, next)).text()).toContain("The saved mapping “RMM export” is applied");
  });
});
