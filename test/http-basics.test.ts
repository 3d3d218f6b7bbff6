import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("HTTP basics", () => {
  it("answers /healthz with ok when the database answers", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("sends the security headers and no X-Powered-By", async () => {
    const response = await fetch(`${server.url}/healthz`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the browser icon and the built assets", async () => {
    const icon = await fetch(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect((await icon.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const page = await (await fetch(`${server.url}/sign-in`)).text();
    const script = page.match(/"(\/build\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${server.url}/build`)).status).toBe(404);
  });

  it("returns 404 for an unknown URL, signed in or not", async () => {
    const anonymous = new TestClient(server.url);
    expect((await anonymous.get("/no/such/page")).status).toBe(404);
    const staff = new TestClient(server.url);
    await signInAsStaff(staff, await createTestStaff());
    const response = await staff.get("/app/no-such-page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });

  it("refuses a state change from another origin", async () => {
    const client = new TestClient(server.url);
    const response = await client.request("/staff/sign-out", {
      method: "POST",
      headers: { Origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
  });

  it("accepts an opaque Origin only when the browser says the form came from this site", async () => {
    const client = new TestClient(server.url);
    const sameSite = await client.request("/portal/sign-out", {
      method: "POST",
      headers: { Origin: "null", "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameSite.status).toBe(302);
    const crossSite = await client.request("/portal/sign-out", {
      method: "POST",
      headers: { Origin: "null", "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
  });

  it("keeps the referrer on this site for ordinary pages", async () => {
    const response = await new TestClient(server.url).get("/sign-in");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("sends anonymous visitors of the staff area to sign-in", async () => {
    const response = await new TestClient(server.url).get("/app?x=1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/staff/sign-in?redirectTo=${encodeURIComponent("/app?x=1")}`);
  });

  it("renders the staff area for a signed-in staff member", async () => {
    const client = new TestClient(server.url);
    await signInAsStaff(client, await createTestStaff({ name: "Dana Engineer" }));
    const response = await client.get("/app");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Dana Engineer");
  });
});
