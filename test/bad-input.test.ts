// Bad input never gives a 5xx, and changes nothing: broken or foreign bodies, text that is not
// UTF-8, numbers and dates that are not what they look like, bodies far too large (declared or
// streamed), a foreign origin, a foreign host. The probes of issue 15, as tests.
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { decode } from "turbo-stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { systemActor } from "../app/audit/audit.server";
import { resetConfigCache } from "../app/config.server";
import { FORM_BODY_LIMIT } from "../app/http/body-limit";
import { createExpressApp } from "../app/http/express-app.server";
import { isCalendarDate, isLocalDateTime, wholeNumber } from "../app/http/values";
import { logger } from "../app/log.server";
import { inviteContact } from "../app/portal/magic-link.server";
import { createStaffUser } from "../app/staff/users.server";
import { addBackupJob } from "../app/cases/backups.server";
import { credentials, rateLimits, staffSetupTokens, subscriptions } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts, latestEmailTo, signInAsContact, signInPathFrom } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { tableCounts } from "./helpers/table-counts";

let server: TestServer;
let kase: Awaited<ReturnType<typeof createCaseWithContacts>>;
let jobId: string;
let staff: TestClient;
let provider: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  kase = await createCaseWithContacts({ customer: "Probe Dental Ltd" });
  jobId = (await addBackupJob({ actor: kase.actor, caseId: kase.caseId, input: { system: "Veeam", scope: "Files", schedule: "Nightly", retention: "30 days" } })).id;
  staff = new TestClient(server.url);
  await signInAsStaff(staff, await createTestStaff({ role: "engineer" }));
  provider = new TestClient(server.url);
  await signInAsContact(provider, { caseId: kase.caseId, contactId: kase.contacts.provider.id, steppedUp: true });
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

const BOUNDARY = "----probe";
const truncatedMultipart = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc`;

/** Posts raw bytes with the given content type (none when null), as a page of the portal would. */
function postRaw(client: TestClient, path: string, body: string | Uint8Array, contentType: string | null, headers: Record<string, string> = {}) {
  return client.request(path, {
    method: "POST",
    // Bytes, not a string: fetch would label a string body text/plain.
    body: Buffer.from(body),
    headers: { ...(contentType === null ? {} : { "Content-Type": contentType }), ...headers },
  });
}

/** Runs a request and checks it changed nothing: every table's row count and the audit head. */
async function unchanged<T>(work: () => Promise<T>): Promise<T> {
  // Counters move on purpose for some refusals (a counted sign-in attempt); each probe starts without any.
  await testDb().delete(rateLimits);
  const before = await tableCounts();
  const result = await work();
  const after = await tableCounts();
  expect({ ...after.counts, rate_limits: 0 }).toEqual({ ...before.counts, rate_limits: 0 });
  expect(after.head).toEqual(before.head);
  return result;
}

const BROKEN_BODIES: [string, string, string | null][] = [
  ["a truncated multipart body", truncatedMultipart, `multipart/form-data; boundary=${BOUNDARY}`],
  ["multipart without a boundary", truncatedMultipart, "multipart/form-data"],
  ["JSON", '{"email":"someone@example.com"}', "application/json"],
  ["no Content-Type", "email=someone%40example.com", null],
  ["text/plain", "email=someone@example.com", "text/plain"],
];

describe("broken and foreign bodies", () => {
  for (const path of ["/verify", "/sign-in", "/staff/sign-in"]) {
    for (const [what, body, type] of BROKEN_BODIES) {
      it(`POST ${path} with ${what} is answered 400 in the page, with a message`, async () => {
        const response = await unchanged(() => postRaw(new TestClient(server.url), path, body, type));
        expect(response.status).toBe(400);
        const page = await response.text();
        expect(page).toMatch(/The form could not be read|which this page does not read/);
        // The page's own layout, with its form, not an error page.
        expect(page).toContain("<form");
      });
    }
  }

  it("refuses them on the provider's export and report forms and the set-up link, and spends nothing", async () => {
    const created = await createStaffUser({ actor: systemActor("test"), email: `setup-${Date.now()}@msp.test`, name: "New Admin", role: "admin" });
    const setup = created.setupUrl.slice(created.setupUrl.indexOf("/staff/setup/"));
    const targets: [TestClient, string][] = [
      [provider, `/portal/${kase.caseId}/credentials/export`],
      [provider, `/portal/${kase.caseId}/backups/${jobId}`],
      [new TestClient(server.url), setup],
    ];
    for (const [client, path] of targets) {
      for (const [what, body, type] of BROKEN_BODIES) {
        const response = await unchanged(() => postRaw(client, path, body, type));
        expect(response.status, `${path} with ${what}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${path} with ${what}`).toBeLessThan(500);
      }
    }
    // The link still works after all that.
    expect(await testDb().select({ userId: staffSetupTokens.userId }).from(staffSetupTokens).where(eq(staffSetupTokens.userId, created.userId))).toHaveLength(1);
  });

  it("an empty body without a Content-Type is an empty form, not a broken one", async () => {
    const response = await postRaw(new TestClient(server.url), "/sign-in", "", null);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter the email address your invitation was sent to.");
  });
});

describe("values that are not what they look like", () => {
  const subscriptionsPath = () => `/app/cases/${kase.caseId}/subscriptions`;
  const valid = { vendor: "Microsoft", product: "M365 Business", quantity: "25", billingParty: "msp", monthlyCost: "120.00", currency: "USD" };
  const encode = (fields: [string, string | Uint8Array][]) =>
    fields.map(([name, value]) => `${encodeURIComponent(name)}=${typeof value === "string" ? encodeURIComponent(value) : [...value].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")}`).join("&");
  const post = (fields: [string, string | Uint8Array][]) => unchanged(() => postRaw(staff, subscriptionsPath(), encode(fields), "application/x-www-form-urlencoded"));
  const withField = (name: string, value: string | Uint8Array) => [...Object.entries(valid).filter(([key]) => key !== name), [name, value]] as [string, string | Uint8Array][];

  it.each([
    ["0x10", "hex"],
    ["1e3", "an exponent"],
    ["1_000", "a separator"],
    ["12.5", "a fraction"],
    ["99999999999999999999", "far too many digits"],
    ["", "nothing"],
  ])("refuses a quantity of %s (%s) instead of storing something else", async (quantity) => {
    const response = await post(withField("quantity", quantity));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Enter the quantity as a whole number|Enter a whole number|too large/);
  });

  it("refuses an unknown choice, an absurd date or amount, and a repeated field", async () => {
    const unknown = await post(withField("billingParty", "the-moon"));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Choose who is billed");
    const absurd = { "0000-01-01": "Enter a date between 1900 and 2199", "9999-12-31": "Enter a date between 1900 and 2199", "2025-02-30": "Enter a real date (YYYY-MM-DD)", "+275760-09-13": "Enter a real date (YYYY-MM-DD)" };
    for (const [day, message] of Object.entries(absurd)) {
      const response = await post(withField("termEndsOn", day));
      expect(response.status, day).toBe(400);
      expect(await response.text(), day).toContain(message);
    }
    // More cents than the column holds: a field message, not the database's "out of range".
    const costly = await post(withField("monthlyCost", "999999999.99"));
    expect(costly.status).toBe(400);
    expect(await costly.text()).toContain("That amount is too large");
    const twice = await post([...Object.entries(valid), ["quantity", "3"]] as [string, string][]);
    expect(twice.status).toBe(400);
  });

  it("refuses text that is not UTF-8, next to its field, instead of storing U+FFFD", async () => {
    const response = await post(withField("vendor", new Uint8Array([0x4d, 0x69, 0x63, 0xff, 0x72, 0x6f])));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("not valid text (UTF-8)");
    // A multipart text field (no filename) with the same fault.
    const body = Buffer.concat([
      Buffer.from(Object.entries(valid).filter(([key]) => key !== "product").map(([key, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`).join("")),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="product"\r\n\r\n`),
      Buffer.from([0x4d, 0x33, 0xc3, 0x28]),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const multipartResponse = await unchanged(() => postRaw(staff, subscriptionsPath(), body, `multipart/form-data; boundary=${BOUNDARY}`));
    expect(multipartResponse.status).toBe(400);
    expect(await multipartResponse.text()).toContain("not valid text (UTF-8)");
    expect(await testDb().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.caseId, kase.caseId))).toEqual([]);
  });

  it("refuses an imported CSV that is not UTF-8, naming the fix, and imports nothing", async () => {
    const csv = Buffer.concat([Buffer.from("name,username,password\n"), Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), Buffer.from(",admin,Secret-1\n")]);
    const form = new FormData();
    form.set("intent", "import");
    form.set("format", "auto");
    form.set("releaseTo", "both");
    form.set("file", new File([csv], "latin1.csv", { type: "text/csv" }));
    const response = await unchanged(() => staff.post(`/app/cases/${kase.caseId}/credentials/import`, form));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("CSV UTF-8");
    expect(await testDb().select({ id: credentials.id }).from(credentials).where(eq(credentials.caseId, kase.caseId))).toEqual([]);
  });

  it("parses numbers and dates strictly, everywhere the one schema is used", () => {
    const count = wholeNumber(z.number().int());
    expect(count.safeParse("16").data).toBe(16);
    expect(count.safeParse(" -3 ").data).toBe(-3);
    expect(count.safeParse(7).data).toBe(7);
    for (const text of ["0x10", "1e3", "", " ", "+5", "0b11", "١٢", "1,000", "Infinity", "NaN", "16abc"]) expect(count.safeParse(text).success, text).toBe(false);
    expect(["2024-02-29", "1900-01-01", "2199-12-31"].every(isCalendarDate)).toBe(true);
    expect(["2023-02-29", "1899-12-31", "2200-01-01", "2025-13-01", "2025-00-10", "2025-1-1"].some(isCalendarDate)).toBe(false);
    expect(isLocalDateTime("2026-03-12T02:15")).toBe(true);
    expect(["2025-11-03T25:00", "2025-11-03T10:60", "2025-13-45T10:00", "2025-11-03 10:00"].some(isLocalDateTime)).toBe(false);
  });
});

describe("the origin and the host of a state change", () => {
  it("refuses a foreign or missing Origin with a page that says where to send from", async () => {
    for (const origin of ["https://evil.example", undefined]) {
      const response = await unchanged(() =>
        fetch(`${server.url}/sign-in`, { method: "POST", body: new URLSearchParams({ email: "a@b.example" }), headers: origin ? { Origin: origin } : {} }),
      );
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain(`must be sent from a page of ${server.url}`);
    }
  });

  it("accepts the opaque Origin of the no-referrer sign-in link page (the framework's own check gave a 500)", async () => {
    await inviteContact({ actor: kase.actor, caseId: kase.caseId, contactId: kase.contacts.customer_viewer.id });
    const link = signInPathFrom((await latestEmailTo(kase.contacts.customer_viewer.email))!.text);
    const response = await new TestClient(server.url).request(link, {
      method: "POST",
      body: new URLSearchParams({}),
      headers: { Origin: "null", "Sec-Fetch-Site": "same-origin" },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/portal/${kase.caseId}`);
  });

  it("refuses a Host or X-Forwarded-Host that is not the public address, once explaining how to set it", async () => {
    const warn = vi.spyOn(logger, "warn");
    const host = new URL(server.url).host;
    const probes: Record<string, string>[] = [
      { "X-Forwarded-Host": "evil.example" },
      { "X-Forwarded-Host": "evil.example", Origin: "http://evil.example" },
    ];
    for (const headers of probes) {
      const response = await unchanged(() => postRaw(new TestClient(server.url), "/sign-in", "email=a%40b.example", "application/x-www-form-urlencoded", headers));
      expect(response.status).toBe(421);
      expect(await response.text()).toContain(`This portal answers at ${server.url}`);
    }
    expect((await raw({ path: "/sign-in", host: "evil.example:80" })).status).toBe(421);
    expect((await raw({ path: "/sign-in", host: "other.example" })).status).toBe(421);
    expect((await raw({ path: "/sign-in", host: "other.example" })).status).toBe(421);
    const explanations = warn.mock.calls.map(([, message]) => String(message)).filter((message) => message.startsWith("Refused requests"));
    expect(explanations).toHaveLength(2);
    expect(explanations.join("\n")).toContain("HANDOVER_PUBLIC_URL");
    expect(explanations.join("\n")).toContain("proxy_set_header Host $host");
    // Its own address is answered as always.
    expect((await raw({ path: "/sign-in", host })).status).toBe(200);
  });

  it("believes X-Forwarded-Host only from a trusted proxy, and says which setting to change", async () => {
    const saved = process.env.HANDOVER_TRUST_PROXY;
    const forwarded = { host: "127.0.0.1", origin: "https://portal.example", headers: { "X-Forwarded-Host": "portal.example" } };
    try {
      const untrusting = await serverWith({ HANDOVER_TRUST_PROXY: "false", HANDOVER_PUBLIC_URL: "https://portal.example" });
      const warn = vi.spyOn(logger, "warn");
      expect((await raw({ path: "/sign-in", port: untrusting.port, ...forwarded })).status).toBe(421);
      await untrusting.close();
      expect(warn.mock.calls.map(([, message]) => String(message)).join("\n")).toContain("set HANDOVER_TRUST_PROXY to it (e.g. HANDOVER_TRUST_PROXY=loopback)");
      const trusting = await serverWith({ HANDOVER_TRUST_PROXY: "loopback", HANDOVER_PUBLIC_URL: "https://portal.example" });
      expect((await raw({ path: "/sign-in", port: trusting.port, ...forwarded })).status).toBe(200);
      await trusting.close();
    } finally {
      if (saved === undefined) delete process.env.HANDOVER_TRUST_PROXY;
      else process.env.HANDOVER_TRUST_PROXY = saved;
      process.env.HANDOVER_PUBLIC_URL = server.url;
      resetConfigCache();
    }
  });
});

/** Another app on this worker's database, with other settings; the test restores them. */
async function serverWith(settings: Record<string, string>) {
  Object.assign(process.env, settings);
  resetConfigCache();
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const other = http.createServer(createExpressApp({ build }));
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  return {
    port: (other.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        other.closeAllConnections();
        other.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP: headers fetch will not send (Host), and bodies that are never finished.

interface RawResult {
  status: number;
  text: string;
  /** Body bytes written when the answer's first byte arrived. */
  sentWhenAnswered: number;
  /** Body bytes the connection took before the server cut it (or all of them). */
  accepted: number;
}

function raw({
  path,
  host = new URL(server.url).host,
  port = Number(new URL(server.url).port),
  origin = new URL(server.url).origin,
  headers = {},
  body,
}: {
  path: string;
  host?: string;
  port?: number;
  origin?: string;
  headers?: Record<string, string>;
  /** How the body is sent: a declared length and how much of it, or chunks up to a total. */
  body?: { declared: number; send: number } | { chunked: number };
}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let response = "";
    let sent = 0;
    let sentWhenAnswered = -1;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      if (!status) reject(new Error(`no answer after ${sent} bytes`));
      else resolve({ status, text: response, sentWhenAnswered, accepted: sent });
    };
    socket.on("data", (data) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = sent;
      response += data.toString("latin1");
    });
    socket.on("error", finish);
    socket.on("close", finish);
    socket.on("connect", async () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${host}`, `Origin: ${origin}`, "Content-Type: application/x-www-form-urlencoded"];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      // Without a body, the server closes after its answer: that is the end of the response.
      if (!body) lines.push("Content-Length: 16", "Connection: close");
      else if ("declared" in body) lines.push(`Content-Length: ${body.declared}`);
      else lines.push("Transfer-Encoding: chunked");
      socket.write(`${lines.join("\r\n")}\r\n\r\n${body ? "" : "email=a%40b.test"}`);
      if (!body) return;
      const total = "declared" in body ? body.send : body.chunked;
      const frame = "chunked" in body ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
      while (!done && sent < total) {
        const ok = socket.write(frame);
        sent += chunk.length;
        if (!ok) await new Promise<void>((resolve) => socket.once("drain", resolve).once("close", resolve));
      }
      // A body left unfinished on purpose: wait for the server to answer and close.
      setTimeout(finish, 5_000);
    });
  });
}

describe("bodies larger than their route reads", () => {
  const MB = 1024 * 1024;

  it("answers a declared 200 MB body 413 before a byte of it is sent, without counting the attempt", async () => {
    const result = await unchanged(() => raw({ path: "/sign-in", body: { declared: 200 * MB, send: 0 } }));
    expect(result.status).toBe(413);
    expect(result.text).toContain("larger than the portal accepts (256 KB)");
    // The rate limiter never saw it.
    expect(await testDb().select().from(rateLimits)).toEqual([]);
  });

  it("cuts a declared 200 MB upload that keeps coming, after a few megabytes, without holding them", async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await raw({ path: "/verify", body: { declared: 200 * MB, send: 200 * MB } });
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeLessThan(32 * MB);
    expect(result.accepted).toBeLessThan(64 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MB);
  });

  it("reads a chunked body only up to its limit: 413 arrives early, the rest is never read into memory", async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await unchanged(() => raw({ path: "/sign-in", body: { chunked: 200 * MB } }));
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeLessThan(16 * MB);
    expect(result.accepted).toBeLessThan(64 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MB);
    expect(await testDb().select().from(rateLimits)).toEqual([]);
  });

  it("keeps the connection usable when a route answers without reading a body it was allowed", async () => {
    // /verify takes 25 MB, but refuses a text/plain body without reading it; the next request on
    // the same connection is answered at once (the rest was stuck there until the keep-alive cut).
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    let received = "";
    socket.on("data", (data) => (received += data.toString("latin1")));
    const host = new URL(server.url).host;
    const body = Buffer.alloc(MB, 0x61);
    socket.write(`POST /verify HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${server.url}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    socket.write(`GET /healthz/live HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    const started = Date.now();
    await vi.waitFor(() => expect(received).toContain('{"status":"alive"}'), { timeout: 4_000, interval: 20 });
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 400/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("lets each route take what it declares: a 1 MB file is checked at /verify, refused at /sign-in", async () => {
    const file = new Uint8Array(MB).fill(0x25);
    const form = new FormData();
    form.set("file", new File([file], "big.pdf", { type: "application/pdf" }));
    const verify = await new TestClient(server.url).post("/verify", form);
    expect(verify.status).toBe(200);
    const signIn = await unchanged(() => new TestClient(server.url).post("/sign-in", form));
    expect(signIn.status).toBe(413);
  });

  it("tells a page's script the way its own refusals do, so the message shows in the form, next to its field", async () => {
    const read = async (response: Response) => (await decode(response.body!)).value;
    const signIn = new FormData();
    signIn.set("email", "a".repeat(300 * 1024));
    const small = await unchanged(() => new TestClient(server.url).post("/sign-in.data", signIn));
    expect(small.status).toBe(413);
    expect(await read(small)).toEqual({ data: { errors: { form: FORM_BODY_LIMIT.message }, values: {} } });
    const upload = new FormData();
    upload.set("file", new File([new Uint8Array(2.5 * MB)], "export.csv", { type: "text/csv" }));
    const file = await unchanged(() => staff.post(`/app/cases/${kase.caseId}/credentials/import.data`, upload));
    expect(file.status).toBe(413);
    expect(await read(file)).toEqual({ data: { errors: { file: "The file is too large: import at most 2 MB at a time." }, values: {} } });
  });
});
