// Every route of the app × every role × own case / another case. The matrix (test/helpers/route-matrix.ts)
// is keyed by the build's route ids: a route added without an entry there fails the first test.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContactSession } from "../app/portal/session.server";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import {
  CONTACT_ROLES,
  type ContactRole,
  type Entry,
  type Fixture,
  LEGAL_MAY_POST,
  MATRIX_SECRET,
  STAFF_ROLES,
  type StaffRole,
  base,
  matrix,
  matrixFixture,
} from "./helpers/route-matrix";
import { createTestStaff, signInAsStaff } from "./helpers/staff";

let server: TestServer;
let fixture: Fixture;
let routeIds: string[];
const staffClients = new Map<StaffRole, TestClient>();
const contactClients = new Map<ContactRole, TestClient>();

beforeAll(async () => {
  server = await startTestServer();
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  routeIds = Object.keys(build.routes);
  const { own, other, outboxMessageId } = await matrixFixture();
  fixture = { own, other, outboxMessageId };
  for (const role of STAFF_ROLES) {
    const client = new TestClient(server.url);
    await signInAsStaff(client, await createTestStaff({ role }));
    staffClients.set(role, client);
  }
  for (const role of CONTACT_ROLES) {
    const client = new TestClient(server.url);
    client.setCookieHeader(
      await startContactSession(testDb(), { contactId: own.contacts[role].id, caseId: own.caseId, ip: null, userAgent: "matrix" }),
    );
    contactClients.set(role, client);
  }
});
afterAll(() => server.close());

describe("route × role × case matrix", () => {
  it("has an entry for every route of the app", () => {
    const missing = routeIds.filter((id) => !(id in matrix));
    const stale = Object.keys(matrix).filter((id) => !routeIds.includes(id));
    expect(missing, "routes without a matrix entry").toEqual([]);
    expect(stale, "matrix entries for routes that no longer exist").toEqual([]);
  });

  it("answers anonymous visitors as declared, and sends them to sign in for protected pages", async () => {
    const anonymous = new TestClient(server.url);
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind === "layout") continue;
      const url = entry.url(fixture.own, fixture);
      const response = await anonymous.get(url);
      if (entry.kind === "public") {
        expect(response.status, `${id} GET ${url}`).toBe(entry.get);
        continue;
      }
      expect(response.status, `${id} GET ${url}`).toBe(302);
      const signIn = entry.kind === "staff" ? /^\/staff\/sign-in\?redirectTo=/ : /^\/sign-in$/;
      expect(response.headers.get("location"), id).toMatch(signIn);
      if (entry.postRefused) {
        const post = await anonymous.post(url, {});
        expect(post.status, `${id} POST ${url}`).toBe(302);
        expect(post.headers.get("location"), id).toMatch(signIn);
      }
    }
  });

  it("gives each staff role what its entry declares, and 404 for another case's items", async () => {
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind !== "staff") continue;
      const url = entry.url(fixture.own, fixture);
      for (const role of STAFF_ROLES) {
        const client = staffClients.get(role)!;
        if (entry.get) expect((await client.get(url)).status, `${id} GET ${url} as ${role}`).toBe(entry.get[role]);
        if (entry.postRefused?.includes(role)) {
          expect((await client.post(url, {})).status, `${id} POST ${url} as ${role}`).toBe(403);
        }
      }
      if (entry.caseItem) {
        // Own case in the URL, another case's item id: not found, for every role.
        const mixed = entry.url({ ...fixture.other, caseId: fixture.own.caseId }, fixture);
        for (const role of STAFF_ROLES.filter((r) => entry.get?.[r] === 200)) {
          expect((await staffClients.get(role)!.get(mixed)).status, `${id} GET ${mixed} as ${role}`).toBe(404);
        }
        // A well-formed request (the remove button) that names another case's item.
        expect((await staffClients.get("admin")!.post(mixed, { intent: "remove" })).status, `${id} POST ${mixed}`).toBe(404);
      }
      if (url.includes(fixture.own.caseId)) {
        const unknown = url.replace(fixture.own.caseId, "00000000-0000-4000-8000-000000000000");
        expect((await staffClients.get("admin")!.get(unknown)).status, `${id} GET ${unknown}`).toBe(404);
      }
    }
  });

  it("keeps every contact role inside its own case: another case is 404, a wrong role 403", async () => {
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind !== "portal") continue;
      const own = entry.url(fixture.own, fixture);
      const foreign = entry.url(fixture.other, fixture);
      for (const role of CONTACT_ROLES) {
        const client = contactClients.get(role)!;
        if (entry.get) expect((await client.get(own)).status, `${id} GET ${own} as ${role}`).toBe(entry.get[role]);
        expect((await client.get(foreign)).status, `${id} GET ${foreign} as ${role}`).toBe(404);
        if (entry.postRefused) {
          expect((await client.post(foreign, {})).status, `${id} POST ${foreign} as ${role}`).toBe(404);
          if (entry.postRefused.includes(role)) {
            expect((await client.post(own, {})).status, `${id} POST ${own} as ${role}`).toBe(403);
          }
        }
      }
    }
  });

  it("gives legal no write action beyond its own account, the waiver texts and running the verification", async () => {
    const legal = staffClients.get("legal")!;
    const staffEntries = Object.entries(matrix).filter(([, entry]) => entry.kind === "staff") as [string, Extract<Entry, { kind: "staff" }>][];
    const allowed = staffEntries.filter(([, entry]) => entry.postRefused !== null && !entry.postRefused.includes("legal")).map(([id]) => id);
    expect(allowed.sort()).toEqual([...LEGAL_MAY_POST].sort());
    for (const [id, entry] of staffEntries) {
      if (LEGAL_MAY_POST.includes(id)) continue;
      const url = entry.url(fixture.own, fixture);
      // 403 where the route acts for other roles, 405 where it has no action at all.
      expect([403, 405], `${id} POST ${url} as legal`).toContain((await legal.post(url, { intent: "remove" })).status);
    }
  });

  it("shows legal no secret value on any page it can open", async () => {
    const legal = staffClients.get("legal")!;
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind !== "staff" || entry.get?.legal !== 200) continue;
      const url = entry.url(fixture.own, fixture);
      const response = await legal.get(url);
      expect(response.status, `${id} GET ${url}`).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).includes(MATRIX_SECRET), `${id} GET ${url}`).toBe(false);
    }
    // The reveal is a POST, refused to legal with nothing of the secret in the answer.
    const reveal = await legal.post(`${base(fixture.own)}/credentials/${fixture.own.credentialId}/reveal`, {});
    expect(reveal.status).toBe(403);
    expect(await reveal.text()).not.toContain(MATRIX_SECRET);
  });

  it("never lets staff into the external parties' pages", async () => {
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind !== "portal") continue;
      const url = entry.url(fixture.own, fixture);
      const response = await staffClients.get("legal")!.get(url);
      expect(response.status, `${id} GET ${url}`).toBe(302);
      expect(response.headers.get("location")).toBe("/sign-in");
    }
  });

  it("never lets a contact into the staff area", async () => {
    for (const [id, entry] of Object.entries(matrix)) {
      if (entry.kind !== "staff") continue;
      const url = entry.url(fixture.own, fixture);
      const response = await contactClients.get("customer_signer")!.get(url);
      expect(response.status, `${id} GET ${url}`).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/staff\/sign-in/);
    }
  });
});
