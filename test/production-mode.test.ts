// What changes when NODE_ENV=production: strict transport security and __Host- session cookies.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, assertSafeForProduction, parseConfig, resetConfigCache } from "../app/config.server";
import { inviteContact } from "../app/portal/magic-link.server";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts, latestEmailTo, signInPathFrom } from "./helpers/portal";
import { createTestStaff } from "./helpers/staff";
import { completeSecondFactor, createStaffSession, hashToken } from "../app/staff/session.server";

const saved = { ...process.env };
let server: TestServer;

beforeAll(async () => {
  Object.assign(process.env, {
    NODE_ENV: "production",
    SMTP_URL: "smtp://127.0.0.1:2525",
    HANDOVER_MASTER_KEY: randomBytes(32).toString("base64"),
  });
  resetConfigCache();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  for (const key of ["NODE_ENV", "SMTP_URL", "HANDOVER_MASTER_KEY"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigCache();
});

describe("in production", () => {
  it("lets no cache keep a page, and sends each security header once", async () => {
    const page = await fetch(`${server.url}/sign-in`);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sends HSTS", async () => {
    const response = await fetch(`${server.url}/sign-in`);
    expect(response.headers.get("strict-transport-security")).toContain("max-age=31536000");
  });

  it("names the contact session cookie __Host- and marks it Secure and HttpOnly", async () => {
    const fixture = await createCaseWithContacts();
    await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
    const path = signInPathFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    const response = await new TestClient(server.url).post(path, {});
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-handover_portal="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
  });

  it("names the staff session cookie __Host- and marks it Secure", async () => {
    const user = await createTestStaff();
    const pending = await createStaffSession({ userId: user.id, ip: null, userAgent: null });
    expect(pending).toMatch(/^__Host-handover_staff=/);
    expect(pending).toMatch(/; Secure/i);
    const token = JSON.parse(Buffer.from(decodeURIComponent(pending.split(";")[0]!.split("=")[1]!), "base64").toString());
    expect(await completeSecondFactor(hashToken(token))).toMatch(/^__Host-handover_staff=.*; Secure/i);
  });
});

describe("production settings", () => {
  const production = (vars: Record<string, string>) => parseConfig({ NODE_ENV: "production", ...vars });

  it("refuses to start with a plain http:// public URL, saying what to set", () => {
    expect(() => assertSafeForProduction(production({ HANDOVER_PUBLIC_URL: "http://handover.msp.example" }))).toThrow(ConfigError);
    expect(() => assertSafeForProduction(production({}))).toThrow(/HANDOVER_PUBLIC_URL: http:\/\/localhost:3000 is not https:\/\/.*HANDOVER_TRUST_PROXY/s);
    expect(() => assertSafeForProduction(production({ HANDOVER_PUBLIC_URL: "https://handover.msp.example" }))).not.toThrow();
    expect(() => assertSafeForProduction(production({ HANDOVER_PUBLIC_URL: "http://10.0.0.5", HANDOVER_ALLOW_HTTP: "1" }))).not.toThrow();
    expect(() => assertSafeForProduction(parseConfig({ NODE_ENV: "development" }))).not.toThrow();
  });
});
