import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeCase } from "../app/cases/cases.server";
import { removeContact } from "../app/cases/contacts.server";
import { inviteContact } from "../app/portal/magic-link.server";
import { auditEvents, contactSessions, contactSignInLinks } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { codeFrom, createCaseWithContacts, latestEmailTo, signInPathFrom } from "./helpers/portal";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;

async function invitationPath(fixture: Fixture, role: keyof Fixture["contacts"] = "customer_signer") {
  const contact = fixture.contacts[role];
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: contact.id });
  const email = await latestEmailTo(contact.email);
  expect(email).not.toBeNull();
  return signInPathFrom(email!.text);
}

async function signedInClient(fixture: Fixture, role: keyof Fixture["contacts"] = "customer_signer") {
  const client = new TestClient(server.url);
  const response = await client.post(await invitationPath(fixture, role), {});
  expect(response.status).toBe(302);
  return client;
}

const countLinks = async () => (await testDb().select().from(contactSignInLinks)).length;

describe("invitation links", () => {
  it("survive a mail scanner: GET and HEAD show the case and change nothing", async () => {
    const fixture = await createCaseWithContacts({ customer: "Harbour Dental Ltd" });
    const path = await invitationPath(fixture);
    const links = await countLinks();

    const scanner = new TestClient(server.url);
    const page = await scanner.get(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain(`Continue to Harbour Dental Ltd (${fixture.reference})`);
    const head = await scanner.request(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await countLinks()).toBe(links);
    expect(page.headers.getSetCookie()).toEqual([]);

    // The person still gets in afterwards.
    const person = new TestClient(server.url);
    const continued = await person.post(path, {});
    expect(continued.status).toBe(302);
    expect(continued.headers.get("location")).toBe(`/portal/${fixture.caseId}`);
    const home = await person.get(`/portal/${fixture.caseId}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Welcome, Sam");
  });

  it("work once: a second use is refused", async () => {
    const fixture = await createCaseWithContacts();
    const path = await invitationPath(fixture);
    expect((await new TestClient(server.url).post(path, {})).status).toBe(302);
    const second = await new TestClient(server.url).post(path, {});
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe("/sign-in?expired");
    expect(await (await new TestClient(server.url).get(path)).text()).toContain("This link can no longer be used");
  });

  it("give exactly one session when the button is pressed twice at once", async () => {
    const fixture = await createCaseWithContacts();
    const path = await invitationPath(fixture);
    const results = await Promise.all([1, 2, 3].map(() => new TestClient(server.url).post(path, {})));
    const signedIn = results.filter((r) => r.headers.get("location") === `/portal/${fixture.caseId}`);
    expect(signedIn).toHaveLength(1);
    const sessions = await testDb()
      .select()
      .from(contactSessions)
      .where(eq(contactSessions.contactId, fixture.contacts.customer_signer.id));
    expect(sessions).toHaveLength(1);
  });

  it("store only a hash of the token and expire after 7 days", async () => {
    const fixture = await createCaseWithContacts();
    const path = await invitationPath(fixture);
    const token = path.split("/").pop()!;
    const rows = await testDb()
      .select()
      .from(contactSignInLinks)
      .where(eq(contactSignInLinks.contactId, fixture.contacts.customer_signer.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const ttlDays = (rows[0]!.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(ttlDays).toBeGreaterThan(6.99);
    expect(ttlDays).toBeLessThanOrEqual(7);
  });
});

describe("requested links", () => {
  it("answer the same for known and unknown addresses, and expire after 15 minutes", async () => {
    const fixture = await createCaseWithContacts({ customer: "Quayside Legal LLP" });
    const known = await new TestClient(server.url).post("/sign-in", { email: fixture.contacts.provider.email });
    const unknown = await new TestClient(server.url).post("/sign-in", { email: "nobody@nowhere.test" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (html: string, email: string) => html.replaceAll(email, "EMAIL").replace(/nonce="[^"]*"/g, "");
    expect(strip(await known.text(), fixture.contacts.provider.email)).toBe(
      strip(await unknown.text(), "nobody@nowhere.test"),
    );

    const email = await latestEmailTo(fixture.contacts.provider.email);
    expect(email!.subject).toContain("Quayside Legal LLP");
    const path = signInPathFrom(email!.text);
    const [row] = await testDb()
      .select({ expiresAt: contactSignInLinks.expiresAt, kind: contactSignInLinks.kind })
      .from(contactSignInLinks)
      .where(eq(contactSignInLinks.contactId, fixture.contacts.provider.id));
    expect(row!.kind).toBe("requested");
    expect(Math.round((row!.expiresAt.getTime() - Date.now()) / 60_000)).toBe(15);

    // Sixteen minutes later the link is dead.
    await testDb()
      .update(contactSignInLinks)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(contactSignInLinks.contactId, fixture.contacts.provider.id));
    const late = await new TestClient(server.url).post(path, {});
    expect(late.headers.get("location")).toBe("/sign-in?expired");
  });

  it("reject a malformed address with a field message", async () => {
    const response = await new TestClient(server.url).post("/sign-in", { email: "not-an-address" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter the email address your invitation was sent to.");
  });
});

describe("external sessions", () => {
  it("keep a contact inside their own case: another case is 404", async () => {
    const mine = await createCaseWithContacts();
    const theirs = await createCaseWithContacts();
    const client = await signedInClient(mine);
    expect((await client.get(`/portal/${mine.caseId}`)).status).toBe(200);
    expect((await client.get(`/portal/${theirs.caseId}`)).status).toBe(404);
    expect((await client.get(`/portal/not-a-uuid`)).status).toBe(404);
  });

  it("send visitors without a session to sign in", async () => {
    const fixture = await createCaseWithContacts();
    const response = await new TestClient(server.url).get(`/portal/${fixture.caseId}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in");
  });

  it("end after 60 idle minutes and after 24 hours, and write last-seen at most once a minute", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture);
    const where = eq(contactSessions.contactId, fixture.contacts.customer_signer.id);
    const [first] = await testDb().select({ lastSeenAt: contactSessions.lastSeenAt }).from(contactSessions).where(where);
    await client.get(`/portal/${fixture.caseId}`);
    const [second] = await testDb().select({ lastSeenAt: contactSessions.lastSeenAt }).from(contactSessions).where(where);
    expect(second!.lastSeenAt.getTime()).toBe(first!.lastSeenAt.getTime());

    await testDb().update(contactSessions).set({ lastSeenAt: new Date(Date.now() - 2 * 60_000) }).where(where);
    await client.get(`/portal/${fixture.caseId}`);
    const [third] = await testDb().select({ lastSeenAt: contactSessions.lastSeenAt }).from(contactSessions).where(where);
    expect(Date.now() - third!.lastSeenAt.getTime()).toBeLessThan(10_000);

    await testDb().update(contactSessions).set({ lastSeenAt: new Date(Date.now() - 61 * 60_000) }).where(where);
    expect((await client.get(`/portal/${fixture.caseId}`)).status).toBe(302);

    const again = await signedInClient(fixture);
    await testDb().update(contactSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(where);
    expect((await again.get(`/portal/${fixture.caseId}`)).status).toBe(302);
  });

  it("are revoked at once when staff remove the contact", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture, "provider");
    expect((await client.get(`/portal/${fixture.caseId}`)).status).toBe(200);
    await removeContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
    expect((await client.get(`/portal/${fixture.caseId}`)).status).toBe(302);
    const left = await testDb().select().from(contactSessions).where(eq(contactSessions.contactId, fixture.contacts.provider.id));
    expect(left).toEqual([]);
  });

  it("are revoked at once when the case is closed or its portal access has ended", async () => {
    const closing = await createCaseWithContacts();
    const client = await signedInClient(closing);
    await closeCase({ actor: closing.actor, caseId: closing.caseId });
    expect((await client.get(`/portal/${closing.caseId}`)).status).toBe(302);

    const ending = await createCaseWithContacts();
    const other = await signedInClient(ending);
    await testDb().execute(
      sql`update cases set portal_access_ends_on = current_date - 2, cutover_on = current_date - 3, notice_received_on = current_date - 20 where id = ${ending.caseId}`,
    );
    expect((await other.get(`/portal/${ending.caseId}`)).status).toBe(302);
  });

  it("record the sign-in in the audit trail with IP and user agent", async () => {
    const fixture = await createCaseWithContacts();
    await signedInClient(fixture);
    const events = await testDb()
      .select({ action: auditEvents.action, ip: auditEvents.ip, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, fixture.caseId));
    const signIn = events.find((e) => e.action === "contact.signed_in");
    expect(signIn).toMatchObject({ actorId: fixture.contacts.customer_signer.id, ip: "127.0.0.1" });
  });
});

describe("step-up by emailed code", () => {
  it("confirms with the emailed code and refuses after five wrong attempts", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture);
    const confirm = `/portal/${fixture.caseId}/confirm`;

    expect((await client.post(confirm, { intent: "send" })).status).toBe(200);
    const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await client.post(confirm, { intent: "verify", code: wrong });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`${5 - attempt} attempt`);
    }
    const fifth = await client.post(confirm, { intent: "verify", code: wrong });
    expect(await fifth.text()).toContain("Too many wrong codes");
    // The right code no longer works: a new one is needed.
    const late = await client.post(confirm, { intent: "verify", code });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain("Request a new code");

    await client.post(confirm, { intent: "send" });
    const fresh = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    const ok = await client.post(`${confirm}?redirectTo=${encodeURIComponent(`/portal/${fixture.caseId}`)}`, {
      intent: "verify",
      code: fresh,
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/portal/${fixture.caseId}`);
    const [session] = await testDb()
      .select({ steppedUpAt: contactSessions.steppedUpAt })
      .from(contactSessions)
      .where(eq(contactSessions.contactId, fixture.contacts.customer_signer.id));
    expect(session!.steppedUpAt).not.toBeNull();
  });

  it("never redirects to another site or another case after confirming", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture);
    await client.post(`/portal/${fixture.caseId}/confirm`, { intent: "send" });
    const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    const response = await client.post(
      `/portal/${fixture.caseId}/confirm?redirectTo=${encodeURIComponent("//evil.example/x")}`,
      { intent: "verify", code },
    );
    expect(response.headers.get("location")).toBe(`/portal/${fixture.caseId}`);
  });

  it("expires a code after 10 minutes", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture);
    await client.post(`/portal/${fixture.caseId}/confirm`, { intent: "send" });
    const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    await testDb().execute(sql`update contact_step_up_codes set expires_at = now() - interval '1 second'`);
    const response = await client.post(`/portal/${fixture.caseId}/confirm`, { intent: "verify", code });
    expect(await response.text()).toContain("That code has expired");
  });
});

describe("sign-out", () => {
  it("ends the session", async () => {
    const fixture = await createCaseWithContacts();
    const client = await signedInClient(fixture);
    const out = await client.post("/portal/sign-out", {});
    expect(out.headers.get("location")).toBe("/sign-in?signedOut");
    expect((await client.get(`/portal/${fixture.caseId}`)).status).toBe(302);
  });
});
