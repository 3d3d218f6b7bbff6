import { eq } from "drizzle-orm";
import { TOTP } from "otpauth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "../app/audit/audit.server";
import { createStaffUser } from "../app/staff/users.server";
import { auditEvents, rateLimits, staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createEnrolledStaff, freshCode, signInThroughForms } from "./helpers/staff-auth";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
// Every test here fails sign-ins from 127.0.0.1 on purpose; each starts with clean counters.
beforeEach(async () => {
  await testDb().delete(rateLimits);
});

const html = (response: Response) => response.text();

describe("first sign-in through a set-up link", () => {
  it("sets a password, enrols TOTP with a QR code, shows recovery codes once, then signs in", async () => {
    const created = await createStaffUser({
      actor: systemActor("test"),
      email: "new.admin@msp.test",
      name: "Nora New",
      role: "admin",
    });
    const path = new URL(created.setupUrl).pathname;
    const client = new TestClient(server.url);

    // Opening the link (what a mail scanner does) shows the form and spends nothing.
    const page = await client.get(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toContain("no-referrer");
    expect(await html(page)).toContain("Nora New");
    expect((await client.get(path)).status).toBe(200);

    const weak = await client.post(path, { password: "new.admin@msp.test", confirmPassword: "new.admin@msp.test" });
    expect(weak.status).toBe(400);
    expect(await html(weak)).toContain("Do not use your email address");

    const mismatch = await client.post(path, { password: "violet kettle harbour", confirmPassword: "violet kettle" });
    expect(mismatch.status).toBe(400);
    expect(await html(mismatch)).toContain("The two passwords differ");

    const set = await client.post(path, { password: "violet kettle harbour", confirmPassword: "violet kettle harbour" });
    expect(set.status).toBe(302);
    expect(set.headers.get("location")).toBe("/staff/enrol");

    // The link is spent.
    const again = await client.get(path);
    expect(again.status).toBe(404);
    expect(await html(again)).toContain("expired or was already used");

    // Until the second factor is enrolled, the staff area sends the person back to enrolment.
    const early = await client.get("/app");
    expect(early.status).toBe(302);
    expect(early.headers.get("location")).toBe("/staff/enrol");

    const enrolPage = await client.get("/staff/enrol");
    expect(enrolPage.status).toBe(200);
    const enrolHtml = await html(enrolPage);
    expect(enrolHtml).toMatch(/<img[^>]+class="qr"[^>]+src="data:image\/png;base64,/);
    const manualKey = /<code class="mono">([A-Z2-7 ]+)<\/code>/.exec(enrolHtml)![1]!.replace(/ /g, "");
    // The secret is stored sealed, never as the key itself.
    const [stored] = await testDb()
      .select({ sealed: staffUsers.totpSecretCiphertext })
      .from(staffUsers)
      .where(eq(staffUsers.id, created.userId));
    expect(Buffer.from(stored!.sealed!).toString("latin1")).not.toContain(manualKey);
    // Reloading shows the same secret, so a code already scanned keeps working.
    expect(await html(await client.get("/staff/enrol"))).toContain(/<code class="mono">([A-Z2-7 ]+)<\/code>/.exec(enrolHtml)![1]);

    const totp = new TOTP({ secret: manualKey, digits: 6, period: 30, algorithm: "SHA1" });
    const wrong = await client.post("/staff/enrol", { code: totp.generate() === "123456" ? "654321" : "123456" });
    expect(wrong.status).toBe(400);

    const confirmed = await client.post("/staff/enrol", { code: totp.generate() });
    expect(confirmed.status).toBe(200);
    const codesHtml = await html(confirmed);
    const recoveryCodes = [...codesHtml.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]!);
    expect(recoveryCodes).toHaveLength(10);
    expect(codesHtml).toContain("will not be shown again");

    expect((await client.get("/app")).status).toBe(200);
    // The codes were shown once: the page does not show them again.
    const later = await html(await client.get("/staff/enrol"));
    expect(later).not.toContain(recoveryCodes[0]);

    // Sign out, then sign in with password and a TOTP code.
    expect((await client.post("/staff/sign-out", {})).status).toBe(302);
    expect((await client.get("/app")).status).toBe(302);
    const password = await client.post("/staff/sign-in", {
      email: "NEW.ADMIN@msp.test",
      password: "violet kettle harbour",
      redirectTo: "/app/account",
    });
    expect(password.status).toBe(302);
    expect(password.headers.get("location")).toBe(`/staff/sign-in/second-factor?redirectTo=${encodeURIComponent("/app/account")}`);
    // The password alone does not open the staff area.
    expect((await client.get("/app")).headers.get("location")).toBe("/staff/sign-in/second-factor");

    await testDb().update(staffUsers).set({ totpLastUsedStep: null }).where(eq(staffUsers.id, created.userId));
    const second = await client.post("/staff/sign-in/second-factor", { code: totp.generate(), redirectTo: "/app/account" });
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe("/app/account");
    expect((await client.get("/app/account")).status).toBe(200);

    const actions = (await testDb().select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["staff.password_set", "staff.totp_enrolled", "staff.signed_in", "staff.signed_out"]),
    );
  });

  it("issues a new session id when the second factor completes", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    const first = await client.post("/staff/sign-in", { email: user.email, password: user.password });
    const pendingCookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    const second = await client.post("/staff/sign-in/second-factor", { code: await freshCode(user) });
    const finalCookie = second.headers.getSetCookie()[0]!.split(";")[0]!;
    expect(finalCookie).not.toBe(pendingCookie);
    expect(second.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(second.headers.getSetCookie()[0]).toMatch(/SameSite=Lax/i);
    // The id seen before sign-in completed is worthless now.
    const planted = new TestClient(server.url);
    planted.setCookieHeader(pendingCookie);
    expect((await planted.get("/app")).status).toBe(302);
  });

  it("answers unknown staff addresses with 404 and sends /staff to sign-in", async () => {
    const client = new TestClient(server.url);
    expect((await client.get("/staff/no-such-page")).status).toBe(404);
    expect((await client.get("/staff/setup/not-a-real-token")).status).toBe(404);
    expect((await client.get("/staff")).headers.get("location")).toBe("/staff/sign-in");
  });

  it("only follows local redirect targets after sign-in", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    await client.post("/staff/sign-in", { email: user.email, password: user.password, redirectTo: "//evil.example/x" });
    const second = await client.post("/staff/sign-in/second-factor", {
      code: await freshCode(user),
      redirectTo: "https://evil.example/",
    });
    expect(second.headers.get("location")).toBe("/app");
  });
});

describe("failed sign-ins", () => {
  it("slows repeated wrong passwords, then refuses with a 429 that says when to try again", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    const timings: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const response = await client.post("/staff/sign-in", { email: user.email, password: `wrong password ${i}` });
      timings.push(performance.now() - started);
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401]);
    // The first tries answer promptly; later ones wait longer and longer (250 ms, 0.5 s, 1 s, 2 s).
    expect(timings[0]!).toBeLessThan(1000);
    expect(timings[5]!).toBeGreaterThanOrEqual(1000);
    expect(timings[6]!).toBeGreaterThanOrEqual(2000);

    const refused = await client.post("/staff/sign-in", { email: user.email, password: "still wrong" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(await refused.text()).toContain("try again in 15 minutes");

    // While refused, even the right password does not get in.
    const right = await client.post("/staff/sign-in", { email: user.email, password: user.password });
    expect(right.status).toBe(429);
  });

  it("answers an unknown address exactly like a wrong password", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    const normalise = (body: string, email: string) =>
      body.replaceAll(email, "EMAIL").replace(/nonce="[^"]*"/g, "").replace(/nonce-[A-Za-z0-9+/=]+/g, "");

    const known = await client.post("/staff/sign-in", { email: user.email, password: "not the password" });
    const unknown = await client.post("/staff/sign-in", { email: "nobody.here@msp.test", password: "not the password" });
    expect(unknown.status).toBe(known.status);
    const knownBody = normalise(await known.text(), user.email);
    const unknownBody = normalise(await unknown.text(), "nobody.here@msp.test");
    expect(unknownBody).toBe(knownBody);
    expect(knownBody).toContain("do not match an active account");
  });

  it("refuses a TOTP code that was already used", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    const code = await freshCode(user);
    await client.post("/staff/sign-in", { email: user.email, password: user.password });
    expect((await client.post("/staff/sign-in/second-factor", { code })).status).toBe(302);
    await client.post("/staff/sign-out", {});

    await client.post("/staff/sign-in", { email: user.email, password: user.password });
    const replay = await client.post("/staff/sign-in/second-factor", { code });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("already used");
  });

  it("accepts a recovery code once", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    const [code] = user.recoveryCodes;
    await client.post("/staff/sign-in", { email: user.email, password: user.password });
    expect((await client.post("/staff/sign-in/second-factor", { code: code! })).status).toBe(302);
    await client.post("/staff/sign-out", {});

    await client.post("/staff/sign-in", { email: user.email, password: user.password });
    expect((await client.post("/staff/sign-in/second-factor", { code: code! })).status).toBe(401);
    const [used] = await testDb()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.action, "staff.recovery_code_used"));
    expect(used).toBeDefined();
  });

  it("refuses second-factor guessing after a few tries", async () => {
    const user = await createEnrolledStaff();
    const client = new TestClient(server.url);
    await client.post("/staff/sign-in", { email: user.email, password: user.password });
    const valid = new Set([-1, 0, 1].map((step) => user.totp.generate({ timestamp: Date.now() + step * 30_000 })));
    const guesses = ["000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777"].filter((g) => !valid.has(g));
    const statuses = [];
    for (const code of guesses.slice(0, 6)) statuses.push((await client.post("/staff/sign-in/second-factor", { code })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // Now even the right code waits.
    expect((await client.post("/staff/sign-in/second-factor", { code: await freshCode(user) })).status).toBe(429);
  });
});

describe("sessions", () => {
  it("lists a person's sessions and signs them out everywhere", async () => {
    const user = await createEnrolledStaff();
    const laptop = new TestClient(server.url);
    const phone = new TestClient(server.url);
    await signInThroughForms(laptop, user);
    await signInThroughForms(phone, user);

    const account = await laptop.get("/app/account");
    const page = await account.text();
    expect(page).toContain("Where you are signed in");
    expect(page.match(/<tr><td>/g)?.length ?? 0).toBe(2);
    expect(page).toContain("This browser");

    const out = await laptop.post("/app/account", { intent: "sign-out-everywhere" });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/staff/sign-in");
    expect((await phone.get("/app")).status).toBe(302);
    expect((await laptop.get("/app")).status).toBe(302);
  });

  it("stops a deactivated person's session at once, and their password with it", async () => {
    const admin = await createEnrolledStaff({ role: "admin" });
    const engineer = await createEnrolledStaff({ role: "engineer" });
    const adminClient = new TestClient(server.url);
    const engineerClient = new TestClient(server.url);
    await signInThroughForms(adminClient, admin);
    await signInThroughForms(engineerClient, engineer);
    expect((await engineerClient.get("/app")).status).toBe(200);

    const deactivated = await adminClient.post("/app/staff", { intent: "deactivate", userId: engineer.id });
    expect(deactivated.status).toBe(200);
    const gone = await engineerClient.get("/app");
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toContain("/staff/sign-in");
    const retry = await engineerClient.post("/staff/sign-in", { email: engineer.email, password: engineer.password });
    expect(retry.status).toBe(401);
  });
});
