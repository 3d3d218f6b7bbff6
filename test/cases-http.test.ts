import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addBackupJob, addBackupSet, getBackupJob } from "../app/cases/backups.server";
import { createCase, getCase } from "../app/cases/cases.server";
import { addContact, listContacts } from "../app/cases/contacts.server";
import { addHardwareItem, listHardwareItems } from "../app/cases/hardware.server";
import { addSubscription } from "../app/cases/subscriptions.server";
import { actorFor, auditCount, caseCount, caseInputFor } from "./helpers/cases";
import { type TestServer, TestClient, startTestServer } from "./helpers/http";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

type Staff = Awaited<ReturnType<typeof createTestStaff>>;
let server: TestServer;
let engineer: Staff;
let otherEngineer: Staff;
let legal: Staff;
let engineerClient: TestClient;
let otherClient: TestClient;
let legalClient: TestClient;
let caseA: string;
let caseB: string;
let itemOfB: string;
let subscriptionOfB: string;
let jobOfB: string;
let setOfB: string;
let contactOfB: string;

const validCase = (engineerId: string) => ({
  customerLegalName: "Harbor Dental Group LLC",
  customerAddress: "12 Quay Street, Portland, ME",
  incomingProviderName: "Northwind Managed IT",
  noticeReceivedOn: "2026-01-15",
  cutoverOn: "2026-04-01",
  supportTransferPlannedOn: "2026-04-01",
  portalAccessEndsOn: "2026-06-30",
  timeZone: "America/New_York",
  responsibleEngineerId: engineerId,
});

beforeAll(async () => {
  server = await startTestServer();
  engineer = await createTestStaff({ role: "engineer", name: "Eli Engineer" });
  otherEngineer = await createTestStaff({ role: "engineer", name: "Olu Other" });
  legal = await createTestStaff({ role: "legal", name: "Lee Legal" });
  engineerClient = new TestClient(server.url);
  otherClient = new TestClient(server.url);
  legalClient = new TestClient(server.url);
  await signInAsStaff(engineerClient, engineer);
  await signInAsStaff(otherClient, otherEngineer);
  await signInAsStaff(legalClient, legal);

  const actor = actorFor(engineer);
  caseA = (await createCase({ actor, input: caseInputFor(engineer.id, { customerLegalName: "Alpha Accounting PC" }) })).id;
  caseB = (await createCase({ actor, input: caseInputFor(engineer.id, { customerLegalName: "Bravo Builders Inc" }) })).id;
  itemOfB = (await addHardwareItem({ actor, caseId: caseB, input: { category: "switch", makeModel: "Aruba 2930F" } })).id;
  subscriptionOfB = (
    await addSubscription({
      actor,
      caseId: caseB,
      input: { vendor: "Datto", product: "SaaS Protection", quantity: 30, billingParty: "msp", monthlyCost: "90", currency: "USD" },
    })
  ).id;
  jobOfB = (await addBackupJob({ actor, caseId: caseB, input: { system: "Datto SIRIS", scope: "All servers", schedule: "Hourly", retention: "1 year" } })).id;
  setOfB = (await addBackupSet({ actor, caseId: caseB, input: { description: "2020 archive", location: "Datto cloud", sizeGb: 500 } })).id;
  contactOfB = (await addContact({ actor, caseId: caseB, input: { role: "provider", name: "Pat", email: "pat@bravo.example" } })).id;
});
afterAll(() => server.close());

describe("case pages", () => {
  it("lists cases with a search", async () => {
    const page = await (await engineerClient.get("/app?q=bravo")).text();
    expect(page).toContain("Bravo Builders Inc");
    expect(page).not.toContain("Alpha Accounting PC");
    expect(page).toContain("<progress");
  });

  it("shows the overview: facts, checklist and the timeline in the case's time zone", async () => {
    const response = await engineerClient.get(`/app/cases/${caseB}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Bravo Builders Inc");
    expect(page).toContain("Offboarding checklist");
    expect(page).toContain("Customer signer named");
    expect(page).toContain("Added a hardware item: Aruba 2930F");
    expect(page).toMatch(/E[SD]T/);
  });

  it("renders every tab and money with its currency", async () => {
    for (const tab of ["contacts", "hardware", "subscriptions", "backups", "edit"]) {
      const response = await engineerClient.get(`/app/cases/${caseB}/${tab}`);
      expect(response.status, tab).toBe(200);
    }
    expect(await (await engineerClient.get(`/app/cases/${caseB}/subscriptions`)).text()).toContain("$90.00");
  });

  it("answers 404 for a malformed or unknown case id, never 500", async () => {
    for (const path of ["/app/cases/not-a-uuid", `/app/cases/${randomUUID()}`, `/app/cases/${randomUUID()}/hardware`, "/app/cases/%27%3B--/edit"]) {
      const response = await engineerClient.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain("Page not found");
    }
  });

  it("answers 404 for an item of another case, for reads and writes", async () => {
    const foreign = [
      `/app/cases/${caseA}/hardware/${itemOfB}`,
      `/app/cases/${caseA}/subscriptions/${subscriptionOfB}`,
      `/app/cases/${caseA}/backups/jobs/${jobOfB}`,
      `/app/cases/${caseA}/backups/sets/${setOfB}`,
      `/app/cases/${caseA}/contacts/${contactOfB}`,
    ];
    for (const path of foreign) {
      expect((await engineerClient.get(path)).status, path).toBe(404);
      expect((await engineerClient.post(path, { intent: "remove" })).status, path).toBe(404);
    }
    expect((await engineerClient.get(`/app/cases/${caseA}/hardware/not-an-id`)).status).toBe(404);
    expect(await listHardwareItems({ caseId: caseB })).toHaveLength(1);
    expect(await listContacts({ caseId: caseB })).toHaveLength(1);
  });
});

describe("case forms", () => {
  it("opens a case and sends the engineer to it", async () => {
    const response = await engineerClient.post("/app/cases/new", validCase(engineer.id));
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/app\/cases\/[0-9a-f-]{36}$/);
    const kase = await getCase({ caseId: location.split("/").pop()! });
    expect(kase).toMatchObject({ customerLegalName: "Harbor Dental Group LLC", reference: expect.stringMatching(/^HO-\d{4}-\d{4}$/) });
  });

  it("shows field errors next to the fields with the values kept, and writes nothing", async () => {
    const before = await caseCount();
    const events = await auditCount();
    const response = await engineerClient.post("/app/cases/new", {
      ...validCase(engineer.id),
      customerLegalName: "",
      cutoverOn: "2025-12-01",
      timeZone: "Atlantis/Capital",
      incomingProviderName: "Keep Me Provider",
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Enter the departing customer&#x27;s legal name");
    expect(page).toContain("Cutover cannot be before notice was received");
    expect(page).toContain("Choose a time zone from the list");
    expect(page).toContain('value="Keep Me Provider"');
    expect(page).toMatch(/aria-invalid="true"[^>]*name="cutoverOn"|name="cutoverOn"[^>]*aria-invalid="true"/);
    expect(await caseCount()).toBe(before);
    expect(await auditCount()).toBe(events);
  });

  it("turns a database rule that zod cannot see into a 400 field error", async () => {
    const actor = actorFor(engineer);
    await addContact({ actor, caseId: caseA, input: { role: "customer_viewer", name: "Front Desk", email: "desk@alpha.example" } });
    const response = await engineerClient.post(`/app/cases/${caseA}/contacts`, {
      role: "customer_signer",
      name: "Front Desk Again",
      email: "DESK@alpha.example",
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("This email address is already a contact of this case");
    expect(page).toContain('value="Front Desk Again"');
  });

  it("adds and edits inventory through the tabs", async () => {
    const add = await engineerClient.post(`/app/cases/${caseA}/hardware`, {
      category: "firewall",
      makeModel: "Fortinet FortiGate 60F",
      owner: "msp",
      retrievalPlan: "Collect after cutover",
      retrievalWindowStartsOn: "2026-04-02",
      retrievalWindowEndsOn: "2026-04-03",
    });
    expect(add.status).toBe(302);
    const [item] = await listHardwareItems({ caseId: caseA });
    const edit = await engineerClient.post(`/app/cases/${caseA}/hardware/${item!.id}`, {
      intent: "save",
      category: "firewall",
      makeModel: "Fortinet FortiGate 60F",
      owner: "customer",
      retrievalPlan: "Collect after cutover",
    });
    expect(edit.status).toBe(400);
    expect(await edit.text()).toContain("Only MSP-owned items are retrieved");
    expect((await listHardwareItems({ caseId: caseA }))[0]!.owner).toBe("msp");

    const editPage = await (await engineerClient.get(`/app/cases/${caseA}/hardware/${item!.id}`)).text();
    expect(editPage).toContain("Edit hardware item: Fortinet FortiGate 60F");
    expect(editPage).toMatch(/Remove (<!-- -->)?Fortinet FortiGate 60F/);
    const saved = await engineerClient.post(`/app/cases/${caseA}/hardware/${item!.id}`, {
      intent: "save",
      category: "firewall",
      makeModel: "Fortinet FortiGate 60F",
      owner: "customer",
    });
    expect(saved.status).toBe(302);
    expect((await listHardwareItems({ caseId: caseA }))[0]!.owner).toBe("customer");
    const removed = await engineerClient.post(`/app/cases/${caseA}/hardware/${item!.id}`, { intent: "remove" });
    expect(removed.status).toBe(302);
    expect(await listHardwareItems({ caseId: caseA })).toEqual([]);

    const sets = await engineerClient.post(`/app/cases/${caseA}/backups`, { intent: "add-set", description: "", location: "NAS", sizeGb: "12" });
    expect(sets.status).toBe(400);
    expect(await sets.text()).toContain("Describe the backup set");
  });

  it("pauses a backup job but never stops it from a form", async () => {
    const path = `/app/cases/${caseB}/backups/jobs/${jobOfB}`;
    expect((await engineerClient.post(path, { intent: "state", state: "paused" })).status).toBe(302);
    expect((await getBackupJob({ caseId: caseB, jobId: jobOfB })).state).toBe("paused");
    const stop = await engineerClient.post(path, { intent: "state", state: "stopped" });
    expect(stop.status).toBe(400);
    expect((await getBackupJob({ caseId: caseB, jobId: jobOfB })).state).toBe("paused");
  });
});

describe("roles", () => {
  it("lets legal read but refuses every action with 403", async () => {
    expect((await legalClient.get(`/app/cases/${caseB}`)).status).toBe(200);
    expect((await legalClient.get(`/app/cases/${caseB}/hardware`)).status).toBe(200);
    const page = await (await legalClient.get(`/app/cases/${caseB}/hardware`)).text();
    expect(page).not.toContain("Add a hardware item");
    const posts: [string, Record<string, string>][] = [
      ["/app/cases/new", validCase(engineer.id)],
      [`/app/cases/${caseB}/edit`, validCase(engineer.id)],
      [`/app/cases/${caseB}/close`, {}],
      [`/app/cases/${caseB}/contacts`, { role: "provider", name: "L", email: "l@example.com" }],
      [`/app/cases/${caseB}/hardware`, { category: "router", makeModel: "X" }],
      [`/app/cases/${caseB}/hardware/${itemOfB}`, { intent: "remove" }],
      [`/app/cases/${caseB}/subscriptions/${subscriptionOfB}`, { intent: "remove" }],
      [`/app/cases/${caseB}/backups`, { intent: "add-job", system: "S", scope: "S", schedule: "S", retention: "S" }],
      [`/app/cases/${caseB}/backups/jobs/${jobOfB}`, { intent: "state", state: "running" }],
      [`/app/cases/${caseB}/backups/sets/${setOfB}`, { intent: "remove" }],
    ];
    const events = await auditCount();
    for (const [path, fields] of posts) expect((await legalClient.post(path, fields)).status, path).toBe(403);
    expect((await legalClient.get("/app/cases/new")).status).toBe(403);
    expect(await auditCount()).toBe(events);
  });

  it("lets only an admin or the responsible engineer close, then keeps the case read-only", async () => {
    const { id } = await createCase({ actor: actorFor(engineer), input: caseInputFor(engineer.id) });
    expect((await otherClient.get(`/app/cases/${id}/close`)).status).toBe(403);
    expect((await otherClient.post(`/app/cases/${id}/close`, {})).status).toBe(403);
    expect((await getCase({ caseId: id })).status).toBe("open");

    const confirm = await engineerClient.get(`/app/cases/${id}/close`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("This cannot be undone");
    const close = await engineerClient.post(`/app/cases/${id}/close`, {});
    expect(close.status).toBe(302);
    expect((await getCase({ caseId: id })).status).toBe("closed");

    const overview = await (await engineerClient.get(`/app/cases/${id}`)).text();
    expect(overview).toContain("This case is closed");
    expect(overview).toContain("Closed the case");
    const refused = await engineerClient.post(`/app/cases/${id}/hardware`, { category: "router", makeModel: "Late Router" });
    expect(refused.status).toBe(409);
    expect(await listHardwareItems({ caseId: id })).toEqual([]);
  });
});
