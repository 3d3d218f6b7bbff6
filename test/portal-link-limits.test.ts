// Limits on asking for sign-in links that a stranger cannot turn against a person: past an
// address's share the page answers as always and sends nothing, the links already sent keep
// working, and an office behind one IP is neither refused nor locks its colleagues out.
import { and, count, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContact } from "../app/cases/contacts.server";
import { resetConfigCache } from "../app/config.server";
import { LINK_EMAILS_PER_ADDRESS, LINK_REQUESTS_PER_IP, SIGN_INS_PER_IP } from "../app/portal/throttle.server";
import { auditEvents, contactSignInLinks, outboxMessages, rateLimits } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts, latestEmailTo, signInPathFrom } from "./helpers/portal";

// Each scenario comes from its own client address, given by a trusted proxy as in production.
const savedTrustProxy = process.env.HANDOVER_TRUST_PROXY;
let server: TestServer;
beforeAll(async () => {
  process.env.HANDOVER_TRUST_PROXY = "loopback";
  resetConfigCache();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  if (savedTrustProxy === undefined) delete process.env.HANDOVER_TRUST_PROXY;
  else process.env.HANDOVER_TRUST_PROXY = savedTrustProxy;
  resetConfigCache();
});

/** A browser at one client IP. */
function browserAt(ip: string) {
  const client = new TestClient(server.url);
  const post = (path: string, fields: Record<string, string>) =>
    client.request(path, { method: "POST", body: new URLSearchParams(fields), headers: { "X-Forwarded-For": ip } });
  return { askForLink: (email: string) => post("/sign-in", { email }), continueWith: (path: string) => post(path, {}) };
}

/** What the person at the keyboard can tell apart: status, the headers that matter, the page. */
async function answer(response: Response) {
  const html = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    cacheControl: response.headers.get("cache-control"),
    setCookie: response.headers.getSetCookie(),
    page: html.replace(/nonce="[^"]*"/g, ""),
  };
}

const emailsTo = async (address: string) =>
  (await testDb().select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.recipientAddress, address)))[0]!.n;

const linkRequestsRecorded = async (contactId: string) =>
  (
    await testDb()
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "contact.sign_in_link_requested"), eq(auditEvents.actorId, contactId)))
  )[0]!.n;

describe("a stranger asking for links to someone else's address", () => {
  it("sees the same answer every time, sends no more than the address's share, and leaves the person a working link", async () => {
    const fixture = await createCaseWithContacts();
    const victim = fixture.contacts.customer_signer;
    const attacker = browserAt("203.0.113.66");
    const share = LINK_EMAILS_PER_ADDRESS.burst;

    const answers = [];
    for (let i = 0; i < share + 10; i++) answers.push(await answer(await attacker.askForLink(victim.email)));
    expect(answers[0]).toMatchObject({ status: 200, retryAfter: null, setCookie: [] });
    expect(answers[0]!.page).toContain("a sign-in link is on its way");
    for (const later of answers.slice(1)) expect(later).toEqual(answers[0]);

    // Only the share went out, and only those were recorded as link requests.
    expect(await emailsTo(victim.email)).toBe(share);
    expect(await linkRequestsRecorded(victim.id)).toBe(share);
    // Later requests withdrew none of the links sent.
    const links = await testDb().select({ n: count() }).from(contactSignInLinks).where(eq(contactSignInLinks.contactId, victim.id));
    expect(links[0]!.n).toBe(share);

    // The person asks too, from their own network: the same answer, nothing more in their inbox…
    const person = browserAt("198.51.100.20");
    expect(await answer(await person.askForLink(victim.email))).toEqual(answers[0]);
    expect(await emailsTo(victim.email)).toBe(share);
    // …and the newest email in it signs them in.
    const newest = signInPathFrom((await latestEmailTo(victim.email))!.text);
    const signedIn = await person.continueWith(newest);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe(`/portal/${fixture.caseId}`);

    // Ten minutes on (one drain of the address's limit), the person's own request sends a fresh link.
    await testDb()
      .update(rateLimits)
      .set({ windowStartedAt: sql`${rateLimits.windowStartedAt} - make_interval(secs => ${LINK_EMAILS_PER_ADDRESS.drainMs / 1000})` })
      .where(like(rateLimits.key, `${LINK_EMAILS_PER_ADDRESS.scope}:%`));
    expect(await answer(await person.askForLink(victim.email))).toEqual(answers[0]);
    expect(await emailsTo(victim.email)).toBe(share + 1);
    expect(await linkRequestsRecorded(victim.id)).toBe(share + 1);
  });

  it("looks the same for an unknown address past its share", async () => {
    const attacker = browserAt("203.0.113.67");
    const known = await createCaseWithContacts();
    const unknown = "nobody-at-all@nowhere.test";
    const strip = (page: string, email: string) => page.replaceAll(email, "EMAIL");
    const first = await answer(await attacker.askForLink(known.contacts.provider.email));
    for (let i = 0; i < LINK_EMAILS_PER_ADDRESS.burst + 2; i++) await attacker.askForLink(unknown);
    const late = await answer(await attacker.askForLink(unknown));
    expect({ ...late, page: strip(late.page, unknown) }).toEqual({ ...first, page: strip(first.page, known.contacts.provider.email) });
  });

  it("does not lock other addresses out for the attacker's IP", async () => {
    const fixture = await createCaseWithContacts();
    const attacker = browserAt("203.0.113.68");
    for (let i = 0; i < LINK_EMAILS_PER_ADDRESS.burst + 10; i++) await attacker.askForLink(fixture.contacts.customer_signer.email);
    // Someone else on the same network asks for their own link, and gets it.
    const colleague = fixture.contacts.provider;
    expect((await attacker.askForLink(colleague.email)).status).toBe(200);
    expect(await emailsTo(colleague.email)).toBe(1);
    expect((await attacker.continueWith(signInPathFrom((await latestEmailTo(colleague.email))!.text))).status).toBe(302);
  });
});

describe("an office behind one NAT address", () => {
  it("gets a link for each of its people, and each signs in with it", async () => {
    const fixture = await createCaseWithContacts();
    const office = browserAt("192.0.2.80");
    const people = 50;
    const addresses = [];
    for (let i = 0; i < people; i++) {
      const email = `person-${i}-${Date.now()}@office.test`;
      await addContact({ actor: fixture.actor, caseId: fixture.caseId, input: { role: "customer_viewer", name: `Person ${i}`, email } });
      addresses.push(email);
    }
    for (const email of addresses) expect((await office.askForLink(email)).status).toBe(200);
    for (const email of addresses) {
      expect(await emailsTo(email)).toBe(1);
      const response = await office.continueWith(signInPathFrom((await latestEmailTo(email))!.text));
      expect(response.headers.get("location")).toBe(`/portal/${fixture.caseId}`);
    }
  });
});

describe("one IP asking for links to many addresses", () => {
  it("is refused past the IP's ceiling for seconds, not an hour, and other IPs are not affected", async () => {
    const sprayer = browserAt("203.0.113.99");
    for (let i = 0; i < LINK_REQUESTS_PER_IP.burst; i++) expect((await sprayer.askForLink(`spray-${i}@nowhere.test`)).status).toBe(200);
    const refused = await sprayer.askForLink("spray-last@nowhere.test");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LINK_REQUESTS_PER_IP.drainMs / 1000);
    expect(await refused.text()).toMatch(/try again in \d+ seconds/);

    const fixture = await createCaseWithContacts();
    expect((await browserAt("198.51.100.21").askForLink(fixture.contacts.provider.email)).status).toBe(200);
    expect(await emailsTo(fixture.contacts.provider.email)).toBe(1);
  });

  it("is refused past the IP's ceiling for using links, for seconds too", async () => {
    const guesser = browserAt("203.0.113.100");
    for (let i = 0; i < SIGN_INS_PER_IP.burst; i++) {
      const response = await guesser.continueWith(`/sign-in/${"x".repeat(42)}${i}`);
      expect(response.headers.get("location")).toBe("/sign-in?expired");
    }
    const refused = await guesser.continueWith(`/sign-in/${"y".repeat(43)}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(SIGN_INS_PER_IP.drainMs / 1000);
  });
});
