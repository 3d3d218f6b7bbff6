import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findSetupLink } from "../app/staff/setup-link.server";
import { auditEvents, rateLimits, staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { type EnrolledStaff, createEnrolledStaff, expireStepUp, freshCode, signInThroughForms } from "./helpers/staff-auth";

let server: TestServer;
let admin: EnrolledStaff;
let adminClient: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createEnrolledStaff({ role: "admin", name: "Ada Admin" });
  adminClient = new TestClient(server.url);
  await signInThroughForms(adminClient, admin);
});
afterAll(() => server.close());
beforeEach(async () => {
  await testDb().delete(rateLimits);
});

async function userByEmail(email: string) {
  const [user] = await testDb()
    .select({ id: staffUsers.id, role: staffUsers.role, deactivatedAt: staffUsers.deactivatedAt })
    .from(staffUsers)
    .where(eq(staffUsers.email, email));
  return user;
}

const setupLinkIn = (page: string) => /value="(http[^"]+\/staff\/setup\/[A-Za-z0-9_-]+)"/.exec(page)?.[1];

describe("who may manage staff and settings", () => {
  for (const role of ["engineer", "legal"] as const) {
    it(`refuses the ${role} role the staff page and the MSP profile (403)`, async () => {
      const client = new TestClient(server.url);
      await signInAsStaff(client, await createTestStaff({ role }));
      expect((await client.get("/app/staff")).status).toBe(403);
      expect((await client.get("/app/settings")).status).toBe(403);
      const create = await client.post("/app/staff", { intent: "create", name: "Sneaky", email: "sneaky@msp.test", role: "admin" });
      expect(create.status).toBe(403);
      expect(await userByEmail("sneaky@msp.test")).toBeUndefined();
      expect((await client.post("/app/settings", { legalName: "Hijacked" })).status).toBe(403);
      // Their own account page is theirs.
      expect((await client.get("/app/account")).status).toBe(200);
    });
  }

  it("does not show admin navigation to others", async () => {
    const client = new TestClient(server.url);
    await signInAsStaff(client, await createTestStaff({ role: "legal" }));
    const page = await (await client.get("/app/account")).text();
    expect(page).not.toContain('href="/app/staff"');
  });
});

describe("step-up", () => {
  it("sends a sensitive act to the step-up page first, then honours a fresh code", async () => {
    await expireStepUp(admin.id);
    const blocked = await adminClient.post("/app/staff", {
      intent: "create",
      name: "Eli Engineer",
      email: "eli@msp.test",
      role: "engineer",
    });
    expect(blocked.status).toBe(302);
    expect(blocked.headers.get("location")).toBe(`/app/step-up?redirectTo=${encodeURIComponent("/app/staff")}`);
    expect(await userByEmail("eli@msp.test")).toBeUndefined();

    const page = await adminClient.get("/app/step-up?redirectTo=%2Fapp%2Fstaff");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm it’s you");

    const wrong = await adminClient.post("/app/step-up", { code: "000000", redirectTo: "/app/staff" });
    expect(wrong.status).toBe(401);
    const ok = await adminClient.post("/app/step-up", { code: await freshCode(admin), redirectTo: "/app/staff" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/app/staff");

    const created = await adminClient.post("/app/staff", { intent: "create", name: "Eli Engineer", email: "eli@msp.test", role: "engineer" });
    expect(created.status).toBe(200);
    expect(await userByEmail("eli@msp.test")).toMatchObject({ role: "engineer" });
    const [event] = await testDb().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.action, "staff.stepped_up"));
    expect(event).toBeDefined();
  });

  it("never redirects off-site after step-up", async () => {
    const ok = await adminClient.post("/app/step-up", { code: await freshCode(admin), redirectTo: "//evil.example/steal" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/app");
  });

  it("asks for a code before new recovery codes are made", async () => {
    await expireStepUp(admin.id);
    const asked = await adminClient.post("/app/account", { intent: "new-recovery-codes" });
    expect(asked.headers.get("location")).toBe(`/app/step-up?redirectTo=${encodeURIComponent("/app/account")}`);
    await adminClient.post("/app/step-up", { code: await freshCode(admin), redirectTo: "/app/account" });
    const made = await adminClient.post("/app/account", { intent: "new-recovery-codes" });
    expect(made.status).toBe(200);
    expect([...(await made.text()).matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)]).toHaveLength(10);
  });
});

describe("the staff page", () => {
  it("lists staff and shows a new member's set-up link once", async () => {
    const created = await adminClient.post("/app/staff", {
      intent: "create",
      name: "Lee Legal",
      email: "lee.legal@msp.test",
      role: "legal",
    });
    expect(created.status).toBe(200);
    const page = await created.text();
    const link = setupLinkIn(page);
    expect(link).toBeDefined();
    expect(await findSetupLink({ token: link!.split("/staff/setup/")[1]! })).toMatchObject({ name: "Lee Legal" });

    const list = await (await adminClient.get("/app/staff")).text();
    expect(list).toContain("Lee Legal");
    expect(list).toContain("Set-up pending");
    expect(setupLinkIn(list)).toBeUndefined();
  });

  it("keeps the values and shows field errors for bad input, writing nothing", async () => {
    const before = await testDb().select({ id: staffUsers.id }).from(staffUsers);
    const response = await adminClient.post("/app/staff", { intent: "create", name: "Nameless Role", email: "not-an-email", role: "owner" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Enter an email address such as name@example.com.");
    expect(page).toContain("Choose admin, engineer or legal.");
    expect(page).toContain('value="Nameless Role"');
    expect(await testDb().select({ id: staffUsers.id }).from(staffUsers)).toHaveLength(before.length);

    const duplicate = await adminClient.post("/app/staff", { intent: "create", name: "Again", email: admin.email, role: "engineer" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain("already exists");
  });

  it("changes roles, deactivates, reactivates and re-issues set-up links, each audited", async () => {
    const member = await createEnrolledStaff({ role: "engineer", name: "Morgan Member" });
    const role = await adminClient.post("/app/staff", { intent: "change-role", userId: member.id, role: "legal" });
    expect(role.status).toBe(200);
    expect(await userByEmail(member.email)).toMatchObject({ role: "legal" });

    expect((await adminClient.post("/app/staff", { intent: "deactivate", userId: member.id })).status).toBe(200);
    expect((await userByEmail(member.email))?.deactivatedAt).toBeInstanceOf(Date);
    const refusedLink = await adminClient.post("/app/staff", { intent: "reissue-link", userId: member.id });
    expect(refusedLink.status).toBe(409);

    expect((await adminClient.post("/app/staff", { intent: "reactivate", userId: member.id })).status).toBe(200);
    expect((await userByEmail(member.email))?.deactivatedAt).toBeNull();

    const reissued = await adminClient.post("/app/staff", { intent: "reissue-link", userId: member.id });
    expect(reissued.status).toBe(200);
    expect(setupLinkIn(await reissued.text())).toMatch(/\/staff\/setup\//);

    const actions = (
      await testDb().select({ action: auditEvents.action, payload: auditEvents.payload, actorId: auditEvents.actorId }).from(auditEvents)
    ).filter((e) => (e.payload as { userId?: string }).userId === member.id && e.actorId === admin.id);
    expect(actions.map((e) => e.action)).toEqual([
      "staff.role_changed",
      "staff.deactivated",
      "staff.reactivated",
      "staff.setup_link_issued",
    ]);
  });

  it("refuses changes to the admin's own account and answers 404 for unknown people", async () => {
    const self = await adminClient.post("/app/staff", { intent: "deactivate", userId: admin.id });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("Ask another admin");
    const unknown = await adminClient.post("/app/staff", { intent: "deactivate", userId: "3f1b0c52-8f5e-4d0e-9a59-0d6b7a1c2e3f" });
    expect(unknown.status).toBe(404);
    const garbage = await adminClient.post("/app/staff", { intent: "change-role", userId: "x'; drop table", role: "admin" });
    expect(garbage.status).toBe(404);
  });
});
