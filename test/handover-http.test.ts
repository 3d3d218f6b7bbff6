// The takeover over HTTP, as people meet it: staff list and remove the MSP's access on the case's
// "MSP access" page; the provider and the customer's signer confirm or dispute each removal in the
// portal; the provider accepts support responsibility after the keys and an emailed code; the staff
// overview and both parties' portal homes say who is responsible now.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "../app/cases/dates";
import { addAccessPoint, listAccessPoints, markAccessRemoved } from "../app/handover/access-removals.server";
import { updateMspProfile } from "../app/msp/profile.server";
import { addCredential, recordRotation } from "../app/vault/credentials.server";
import { auditEvents, mspAccessPoints } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts, signedInContact } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const admin = await createTestStaff({ role: "admin" });
  await updateMspProfile({ actor: { type: "staff", id: admin.id, label: admin.name }, input: { legalName: "Northwind Managed IT Ltd", address: "", contactEmail: "support@northwind.test", contactPhone: "", accentColor: "#0f5c8a" } });
});
afterAll(() => server.close());

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;
type Role = keyof Fixture["contacts"];

const today = () => todayIn("Europe/London");
const yesterday = () => new Date(Date.parse(`${today()}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
/** React escapes apostrophes in text. */
const text = (html: string) => html.replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");

const contactClient = (fixture: Fixture, role: Role, options: { stepUp?: boolean } = {}) => signedInContact(server.url, fixture, role, options);

async function staffClient(role: "admin" | "engineer" | "legal", user?: { id: string }) {
  const client = new TestClient(server.url);
  await signInAsStaff(client, user ?? (await createTestStaff({ role })));
  return client;
}

async function withRemovedPoint(fixture: Fixture, name = "Datto RMM agent") {
  const { accessPointId } = await addAccessPoint({ actor: fixture.actor, caseId: fixture.caseId, input: { kind: "rmm_agent", name } });
  await markAccessRemoved({ actor: fixture.actor, caseId: fixture.caseId, accessPointId, input: { removedOn: today(), method: "Uninstalled by policy" } });
  return accessPointId;
}

async function releaseKeys(fixture: Fixture) {
  const { id } = await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Tenant admin", secret: "Http-Secret-1", releaseTo: "incoming_provider" } });
  await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset" } });
}

describe("the staff page of the MSP's access", () => {
  it("lists access points and records removals, with field messages for what is wrong; legal reads only", async () => {
    const fixture = await createCaseWithContacts();
    const engineer = await staffClient("engineer", fixture.engineer);
    const page = `/app/cases/${fixture.caseId}/access`;
    expect(text(await (await engineer.get(page)).text())).toContain("No access points listed yet.");

    const refused = await engineer.post(page, { intent: "add", kind: "rmm_agent", name: "" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Name the access point.");
    expect((await engineer.post(page, { intent: "add", kind: "partner_relationship", name: "GDAP relationship", details: "Global admin role" })).status).toBe(302);
    const [point] = await listAccessPoints({ caseId: fixture.caseId });
    const html = text(await (await engineer.get(page)).text());
    expect(html).toContain("GDAP relationship");
    expect(html).toContain("Microsoft partner relationship / delegated admin (GDAP)");
    expect(html).toContain("Not removed yet");

    const future = await engineer.post(page, { intent: "removed", accessPointId: point!.id, removedOn: "2150-01-01", method: "Relationship terminated" });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain("The removal date cannot be in the future");
    const noMethod = await engineer.post(page, { intent: "removed", accessPointId: point!.id, removedOn: today(), method: "" });
    expect(noMethod.status).toBe(400);
    expect(await noMethod.text()).toContain("Say how it was removed.");
    expect((await engineer.post(page, { intent: "removed", accessPointId: point!.id, removedOn: today(), method: "Relationship terminated in Partner Center" })).status).toBe(302);
    const after = text(await (await engineer.get(page)).text());
    expect(after).toContain("Removed, awaiting confirmation");
    expect(after).toContain("Relationship terminated in Partner Center");
    expect(after).toContain(`by ${fixture.engineer.name}`);
    // Staff are named, not their addresses.
    expect(after).not.toContain(fixture.engineer.email);

    // Another case's access point from this case's page: not found.
    const other = await createCaseWithContacts();
    const foreign = await addAccessPoint({ actor: other.actor, caseId: other.caseId, input: { kind: "vpn_account", name: "VPN" } });
    expect((await engineer.post(page, { intent: "removed", accessPointId: foreign.accessPointId, removedOn: today(), method: "Deleted" })).status).toBe(404);

    const legal = await staffClient("legal");
    expect((await legal.get(page)).status).toBe(200);
    expect((await legal.post(page, { intent: "add", kind: "rmm_agent", name: "Sneaky" })).status).toBe(403);
    expect(await listAccessPoints({ caseId: fixture.caseId })).toHaveLength(1);
  });
});

describe("the portal page of the MSP's access", () => {
  it("lets the provider confirm a removal after the emailed code, and the signer dispute one with a reason", async () => {
    const fixture = await createCaseWithContacts();
    const rmm = await withRemovedPoint(fixture, "Datto RMM agent");
    const vpn = await withRemovedPoint(fixture, "VPN account nw-support");
    const page = `/portal/${fixture.caseId}/access`;

    const provider = await contactClient(fixture, "provider");
    const html = text(await (await provider.get(page)).text());
    expect(html).toContain("Datto RMM agent");
    expect(html).toContain("Uninstalled by policy");
    expect(html).toContain("Confirm it is you to answer");
    const early = await provider.post(page, { accessPointId: rmm, answer: "confirm" });
    expect(early.status).toBe(302);
    expect(early.headers.get("location")).toMatch(new RegExp(`^/portal/${fixture.caseId}/confirm\\?redirectTo=`));

    const confirmed = await contactClient(fixture, "provider", { stepUp: true });
    expect((await confirmed.post(page, { accessPointId: rmm, answer: "confirm" })).status).toBe(302);
    const again = await confirmed.post(page, { accessPointId: rmm, answer: "confirm" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("This removal is already confirmed.");

    const signer = await contactClient(fixture, "customer_signer");
    const empty = await signer.post(page, { accessPointId: vpn, answer: "dispute", reason: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Say why you dispute the removal.");
    expect((await signer.post(page, { accessPointId: vpn, answer: "dispute", reason: "The account still signs in." })).status).toBe(302);
    const after = text(await (await signer.get(page)).text());
    expect(after).toContain("Removed and confirmed");
    expect(after).toContain("Confirmed by Pat Provider (Incoming provider contact)");
    expect(after).toContain("Removal disputed");
    expect(after).toContain("The account still signs in.");

    const rows = await testDb().select({ name: mspAccessPoints.name, confirmation: mspAccessPoints.confirmation }).from(mspAccessPoints).where(eq(mspAccessPoints.caseId, fixture.caseId));
    expect(new Map(rows.map((row) => [row.name, row.confirmation]))).toEqual(new Map([["Datto RMM agent", "confirmed"], ["VPN account nw-support", "disputed"]]));

    // The staff page shows the dispute and offers to record the removal again.
    const staffPage = text(await (await (await staffClient("engineer", fixture.engineer)).get(`/app/cases/${fixture.caseId}/access`)).text());
    expect(staffPage).toContain("The account still signs in.");
    expect(staffPage).toContain("Record the removal again");
  });

  it("lets a viewer read but not answer, and keeps every contact to its own case", async () => {
    const fixture = await createCaseWithContacts();
    const other = await createCaseWithContacts();
    const point = await withRemovedPoint(fixture);
    const foreignPoint = await withRemovedPoint(other);
    const viewer = await contactClient(fixture, "customer_viewer", { stepUp: true });
    const page = `/portal/${fixture.caseId}/access`;
    expect((await viewer.get(page)).status).toBe(200);
    expect((await viewer.post(page, { accessPointId: point, answer: "confirm" })).status).toBe(403);
    const stranger = await contactClient(other, "provider", { stepUp: true });
    expect((await stranger.get(page)).status).toBe(404);
    expect((await stranger.post(page, { accessPointId: point, answer: "confirm" })).status).toBe(404);
    // Its own case's page, another case's access point: not found.
    const provider = await contactClient(fixture, "provider", { stepUp: true });
    expect((await provider.post(page, { accessPointId: foreignPoint, answer: "confirm" })).status).toBe(404);
    const events = await testDb().select({ seq: auditEvents.seq }).from(auditEvents).where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "msp_access.confirmed")));
    expect(events).toEqual([]);
  });
});

describe("accepting support responsibility in the portal", () => {
  it("waits for the keys and an emailed code, refuses a backdated date, then shows who is responsible everywhere", async () => {
    const fixture = await createCaseWithContacts({ customer: "Takeover Dental Ltd" });
    const page = `/portal/${fixture.caseId}/support`;
    await releaseKeys(fixture);
    const provider = await contactClient(fixture, "provider", { stepUp: true });

    const before = text(await (await provider.get(page)).text());
    expect(before).toContain("Northwind Managed IT Ltd is responsible for support:");
    expect(before).toContain("First retrieve the credentials and confirm that you received them");
    const tooEarly = await provider.post(page, { acceptedFrom: today(), confirm: "yes" });
    expect(tooEarly.status).toBe(409);
    expect(text(await tooEarly.text())).toContain("support responsibility passes with the keys");

    expect((await provider.post(`/portal/${fixture.caseId}/credentials`, { intent: "keys-received", confirm: "yes" })).status).toBe(302);
    const ready = text(await (await provider.get(page)).text());
    expect(ready).toContain("Accept support responsibility");
    expect(ready).toContain(`min="${today()}"`);

    const unticked = await provider.post(page, { acceptedFrom: today() });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Tick the box to accept support responsibility.");
    const backdated = await provider.post(page, { acceptedFrom: yesterday(), confirm: "yes" });
    expect(backdated.status).toBe(400);
    expect(await backdated.text()).toMatch(/The date must be today \([^)]+\) or later\./);

    // Without a fresh code the acceptance is sent to confirm first.
    const unconfirmed = await contactClient(fixture, "provider");
    const redirected = await unconfirmed.post(page, { acceptedFrom: today(), confirm: "yes" });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toMatch(new RegExp(`^/portal/${fixture.caseId}/confirm\\?redirectTo=`));

    // The customer's people read the status but cannot accept.
    const signer = await contactClient(fixture, "customer_signer", { stepUp: true });
    expect((await signer.post(page, { acceptedFrom: today(), confirm: "yes" })).status).toBe(403);

    expect((await provider.post(page, { acceptedFrom: today(), confirm: "yes" })).status).toBe(302);
    const accepted = text(await (await provider.get(page)).text());
    expect(accepted).toMatch(/Provider \d+ IT is responsible for support since \d{1,2} \w+ \d{4} \(accepted by Pat Provider\)\./);
    expect(accepted).not.toContain("Accept support responsibility</button>");
    const [event] = await testDb()
      .select({ actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "support.responsibility_accepted")));
    expect(event).toMatchObject({ actorId: fixture.contacts.provider.id });

    // Who is responsible now, on the provider's and the customer's homes and the staff overview.
    const responsible = /Provider \d+ IT is responsible for support since/;
    for (const client of [provider, signer, await contactClient(fixture, "customer_viewer")]) {
      const home = text(await (await client.get(`/portal/${fixture.caseId}`)).text());
      expect(home).toContain("Support responsibility");
      expect(home).toMatch(responsible);
      expect(home).toContain("Support responsibility accepted");
    }
    const overview = text(await (await (await staffClient("legal")).get(`/app/cases/${fixture.caseId}`)).text());
    expect(overview).toMatch(responsible);
    expect(overview).toMatch(/Responsible now<\/dt><dd><strong>Provider \d+ IT<\/strong> since /);
  });

  it("shows the MSP responsible, and an overdue plan, on the homes until the provider accepts", async () => {
    const fixture = await createCaseWithContacts();
    await testDb().execute(sql`update cases set support_transfer_planned_on = current_date - 3 where id = ${fixture.caseId}`);
    const signer = await contactClient(fixture, "customer_signer");
    const home = text(await (await signer.get(`/portal/${fixture.caseId}`)).text());
    expect(home).toContain("Northwind Managed IT Ltd is responsible for support: Provider");
    expect(home).toContain("which has passed without an acceptance");
    const overview = text(await (await (await staffClient("engineer", fixture.engineer)).get(`/app/cases/${fixture.caseId}`)).text());
    expect(overview).toContain("The planned transfer date has passed without an acceptance");
    expect(overview).toMatch(/Responsible now<\/dt><dd><strong>Northwind Managed IT Ltd<\/strong><\/dd>/);
  });
});
