import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../app/config.server";
import { enqueueEmail } from "../app/mail/outbox.server";
import { outboxMessages } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createTestMspProfile } from "./helpers/mail";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
let messageId: string;
const token = "tok_" + randomUUID().replaceAll("-", "");

beforeAll(async () => {
  server = await startTestServer();
  await createTestMspProfile({ legalName: "Harbour Managed IT Ltd" });
  ({ id: messageId } = await testDb().transaction((tx) =>
    enqueueEmail(tx, {
      to: { name: "Priya Shah", email: "priya@contoso.test" },
      template: "sign-in-link",
      props: {
        recipientName: "Priya Shah",
        caseName: "Contoso Dental Ltd",
        signInUrl: `${config().HANDOVER_PUBLIC_URL}/sign-in/${token}`,
        expiresAt: new Date(Date.now() + 15 * 60_000),
        timeZone: "Europe/London",
      },
    }),
  ));
});
afterAll(() => server.close());

async function staffClient(role: "admin" | "engineer" | "legal") {
  const client = new TestClient(server.url);
  await signInAsStaff(client, await createTestStaff({ role }));
  return client;
}

describe("the staff outbox page", () => {
  it("sends anonymous visitors to sign-in and shows them nothing", async () => {
    const anonymous = new TestClient(server.url);
    for (const path of ["/app/outbox", `/app/outbox/${messageId}`, `/app/outbox/${messageId}/html`]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/staff\/sign-in\?redirectTo=/);
      expect(await response.text()).not.toContain(token);
    }
  });

  it.each(["admin", "engineer", "legal"] as const)("lists the emails for %s staff", async (role) => {
    const client = await staffClient(role);
    const response = await client.get("/app/outbox");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Your sign-in link for Contoso Dental Ltd (Harbour Managed IT Ltd)");
    expect(html).toContain("priya@contoso.test");
    expect(html).toContain(`/app/outbox/${messageId}`);
    expect(html).toContain("Development outbox");
  });

  it("shows one email as text, with its link, and frames its HTML from a sandboxed resource", async () => {
    const client = await staffClient("engineer");
    const response = await client.get(`/app/outbox/${messageId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain(`href="${config().HANDOVER_PUBLIC_URL}/sign-in/${token}"`);
    expect(html).toMatch(new RegExp(`<iframe[^>]*src="/app/outbox/${messageId}/html"[^>]*sandbox=""`));
    // The page itself keeps the portal's policy.
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("never shows legal staff an email's body: links and codes in it are secrets", async () => {
    const client = await staffClient("legal");
    const page = await client.get(`/app/outbox/${messageId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(`/sign-in/${token}`);
    expect((await client.get(`/app/outbox/${messageId}/html`)).status).toBe(403);
  });

  it("serves the HTML part under its own strict policy only", async () => {
    const client = await staffClient("admin");
    const response = await client.get(`/app/outbox/${messageId}/html`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^sandbox; default-src 'none'; /);
    expect(csp).toContain("frame-ancestors 'self'");
    // Replaces the portal's policy instead of being added to it (two policies would both apply).
    expect(csp).not.toContain("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const body = await response.text();
    expect(body).toContain("Harbour Managed IT Ltd");
    expect(body).toContain(`/sign-in/${token}`);
  });

  it("answers 404 for an unknown or malformed message id", async () => {
    const client = await staffClient("admin");
    for (const path of [`/app/outbox/${randomUUID()}`, "/app/outbox/not-an-id", `/app/outbox/${randomUUID()}/html`]) {
      const response = await client.get(path);
      expect(response.status, path).toBe(404);
    }
  });
});

describe("an email whose body does not open", () => {
  it("is listed as not openable, and its page says it was kept and why, instead of failing", async () => {
    const { id } = await testDb().transaction((tx) =>
      enqueueEmail(tx, { to: "ops@contoso.test", template: "notification", props: { title: "Kept for an operator", paragraphs: ["Body."] } }),
    );
    await testDb()
      .update(outboxMessages)
      .set({ status: "undecryptable", sealedBody: new Uint8Array(40).fill(1), lastError: "the stored body does not open with the database's master key" })
      .where(eq(outboxMessages.id, id));
    const client = await staffClient("engineer");
    const list = await (await client.get("/app/outbox")).text();
    expect(list).toMatch(/Kept for an operator[\s\S]*Cannot be opened/);
    const page = await client.get(`/app/outbox/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Cannot be opened");
    expect(html).toContain("This email was not sent: its content does not open with the database&#x27;s master key.");
    expect(html).toContain("the stored body does not open with the database&#x27;s master key");
  });
});
