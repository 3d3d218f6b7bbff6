import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCredential, recordRotation } from "../app/vault/credentials.server";
import { queryRows } from "../db/client";
import { auditEvents, credentials } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { createCaseWithContacts, signedInContact } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { expireStepUp } from "./helpers/staff-auth";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Fixture = Awaited<ReturnType<typeof createCaseWithContacts>>;
type Role = keyof Fixture["contacts"];

// Planted values: every check below looks for them where they must never be.
const SECRET = "Planted-Secret-7f3a!";
const SEED = "KRUGS4ZANFZSAYJAONSWG4TFOQ";
const NOTE = "Planted-Note-19c2";
const WAITING_SECRET = "Unrotated-Secret-55e1";

async function seeded() {
  const fixture = await createCaseWithContacts({ customer: "Vault Dental Ltd" });
  const add = async (name: string, secret: string, releaseTo: "customer" | "incoming_provider" | "both", rotated: boolean, extra = {}) => {
    const { id } = await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name, secret, releaseTo, username: "admin", ...extra } });
    if (rotated) await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset" } });
    return id;
  };
  const ready = await add("Tenant admin", SECRET, "both", true, { totp: SEED, notes: NOTE });
  const waiting = await add("Firewall admin", WAITING_SECRET, "incoming_provider", false);
  const customerOnly = await add("Registrar", "Registrar-Secret-0b9d", "customer", true);
  return { fixture, ready, waiting, customerOnly };
}

const contactClient = (fixture: Fixture, role: Role, options: { stepUp?: boolean } = {}) => signedInContact(server.url, fixture, role, options);

async function staffClient(role: "admin" | "engineer" | "legal", user?: { id: string }) {
  const client = new TestClient(server.url);
  await signInAsStaff(client, user ?? (await createTestStaff({ role })));
  return client;
}

const noPlantedValue = (text: string) => {
  for (const value of [SECRET, SEED, NOTE, WAITING_SECRET]) expect(text).not.toContain(value);
};

describe("staff credentials page", () => {
  it("lists credentials with their rotation state, never a value, and records the opening", async () => {
    const { fixture } = await seeded();
    const client = await staffClient("engineer", fixture.engineer);
    const page = await client.get(`/app/cases/${fixture.caseId}/credentials`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Tenant admin");
    expect(html).toContain("Still awaiting rotation");
    noPlantedValue(html);
    const data = await client.get(`/app/cases/${fixture.caseId}/credentials.data`);
    expect(data.status).toBe(200);
    noPlantedValue(await data.text());
    const opened = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credentials.page_opened")));
    expect(opened).toEqual([{ payload: { audience: "staff" } }]);
  });

  it("adds a credential; a refused form comes back without the typed secret", async () => {
    const { fixture } = await seeded();
    const client = await staffClient("engineer");
    const refused = await client.post(`/app/cases/${fixture.caseId}/credentials`, { intent: "add", name: "", secret: "Typed-Secret-Echo-1", notes: "Typed-Note-Echo-2" });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Name the credential");
    expect(html).not.toMatch(/Typed-Secret-Echo-1|Typed-Note-Echo-2/);
    const added = await client.post(`/app/cases/${fixture.caseId}/credentials`, { intent: "add", name: "New one", secret: "  spaced secret  ", releaseTo: "customer" });
    expect(added.status).toBe(302);
    const [row] = await testDb().select({ releaseTo: credentials.releaseTo }).from(credentials).where(eq(credentials.name, "New one"));
    expect(row).toEqual({ releaseTo: "customer" });
  });

  it("is read-only for legal, whose reveal is refused", async () => {
    const { fixture, ready } = await seeded();
    const legal = await staffClient("legal");
    expect((await legal.get(`/app/cases/${fixture.caseId}/credentials`)).status).toBe(200);
    expect((await legal.post(`/app/cases/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(403);
    expect((await legal.post(`/app/cases/${fixture.caseId}/credentials`, { intent: "add", name: "x", secret: "y" })).status).toBe(403);
  });
});

describe("staff reveal", () => {
  it("answers only that value, after a fresh step-up, for the case's own credentials", async () => {
    const { fixture, ready } = await seeded();
    const other = await seeded();
    const engineer = await createTestStaff({ role: "engineer" });
    const client = await staffClient("engineer", engineer);
    const path = `/app/cases/${fixture.caseId}/credentials/${ready}/reveal`;

    const response = await client.post(path, {});
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["name", "notes", "secret", "totp"]);
    expect(body).toMatchObject({ name: "Tenant admin", secret: SECRET, notes: NOTE, totp: { code: expect.stringMatching(/^\d{6}$/) } });

    expect((await client.post(`/app/cases/${fixture.caseId}/credentials/${other.ready}/reveal`, {})).status).toBe(404);
    expect((await client.post(`/app/cases/${fixture.caseId}/credentials/not-an-id/reveal`, {})).status).toBe(404);
    expect((await client.get(path)).status).toBe(404);

    await expireStepUp(engineer.id);
    const stale = await client.post(path, {});
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toBe(`/app/step-up?redirectTo=${encodeURIComponent(`/app/cases/${fixture.caseId}/credentials`)}`);
  });
});

describe("external parties", () => {
  it("see released credentials, awaiting ones without values, and reveal only after the emailed code", async () => {
    const { fixture, ready, waiting, customerOnly } = await seeded();
    const provider = await contactClient(fixture, "provider");
    const page = await provider.get(`/portal/${fixture.caseId}/credentials`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Tenant admin");
    expect(html).toContain("Awaiting rotation");
    expect(html).not.toContain("Registrar");
    expect(html).toContain("Confirm it is you to reveal");
    noPlantedValue(html);

    const path = `/portal/${fixture.caseId}/credentials/${ready}/reveal`;
    const before = await provider.post(path, {});
    expect(before.status).toBe(302);
    expect(before.headers.get("location")).toMatch(new RegExp(`^/portal/${fixture.caseId}/confirm\\?redirectTo=`));

    const confirmed = await contactClient(fixture, "provider", { stepUp: true });
    const revealed = await confirmed.post(path, {});
    expect(revealed.status).toBe(200);
    expect(await revealed.json()).toMatchObject({ secret: SECRET, notes: NOTE });
    expect((await confirmed.post(`/portal/${fixture.caseId}/credentials/${waiting}/reveal`, {})).status).toBe(409);
    expect((await confirmed.post(`/portal/${fixture.caseId}/credentials/${customerOnly}/reveal`, {})).status).toBe(404);

    const after = await confirmed.get(`/portal/${fixture.caseId}/credentials`);
    const afterHtml = await after.text();
    expect(afterHtml).toMatch(/Revealed<\/td><td>Tenant admin/);
    noPlantedValue(afterHtml);
    noPlantedValue(await (await confirmed.get(`/portal/${fixture.caseId}/credentials.data`)).text());
  });

  it("by role and case: a viewer cannot reveal; another case's contact gets 404", async () => {
    const { fixture, ready } = await seeded();
    const stranger = await seeded();
    const viewer = await contactClient(fixture, "customer_viewer", { stepUp: true });
    expect((await viewer.get(`/portal/${fixture.caseId}/credentials`)).status).toBe(200);
    expect((await viewer.post(`/portal/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(403);
    const signer = await contactClient(fixture, "customer_signer", { stepUp: true });
    expect((await signer.post(`/portal/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(200);
    const other = await contactClient(stranger.fixture, "provider", { stepUp: true });
    expect((await other.get(`/portal/${fixture.caseId}/credentials`)).status).toBe(404);
    expect((await other.post(`/portal/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(404);
    expect((await other.post(`/portal/${stranger.fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(404);
    expect((await new TestClient(server.url).post(`/portal/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(302);
  });

  it("export for the incoming provider: attachment, no-store, released and rotated only, recorded", async () => {
    const { fixture } = await seeded();
    const provider = await contactClient(fixture, "provider", { stepUp: true });
    const json = await provider.post(`/portal/${fixture.caseId}/credentials/export`, { format: "bitwarden-json" });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toBe(`attachment; filename="handover-${fixture.reference}-bitwarden-json.json"`);
    expect(json.headers.get("cache-control")).toBe("no-store");
    const vault = JSON.parse(await json.text());
    expect(vault).toMatchObject({ encrypted: false, items: [{ type: 1, name: "Tenant admin", notes: NOTE, login: { username: "admin", password: SECRET } }] });
    expect(vault.items[0].login.totp).toMatch(/^otpauth:\/\/totp\/.*secret=KRUGS4ZANFZSAYJAONSWG4TFOQ/);

    const csv = await provider.post(`/portal/${fixture.caseId}/credentials/export`, { format: "keepassxc-csv" });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ Title: "Tenant admin", Username: "admin", Password: SECRET, Notes: NOTE })]);

    const exports = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credentials.exported")));
    expect(exports.map((e) => (e.payload as { format: string }).format)).toEqual(["bitwarden-json", "keepassxc-csv"]);

    const signer = await contactClient(fixture, "customer_signer", { stepUp: true });
    expect((await signer.post(`/portal/${fixture.caseId}/credentials/export`, { format: "bitwarden-json" })).status).toBe(403);
    const unconfirmed = await contactClient(fixture, "provider");
    expect((await unconfirmed.post(`/portal/${fixture.caseId}/credentials/export`, { format: "bitwarden-json" })).status).toBe(302);
  });

  it("keys received: the provider confirms, and from then staff reveals are refused and recorded", async () => {
    const { fixture, ready } = await seeded();
    const provider = await contactClient(fixture, "provider", { stepUp: true });
    const unticked = await provider.post(`/portal/${fixture.caseId}/credentials`, { intent: "keys-received" });
    expect(unticked.status).toBe(400);
    const confirmed = await provider.post(`/portal/${fixture.caseId}/credentials`, { intent: "keys-received", confirm: "yes" });
    expect(confirmed.status).toBe(302);
    expect(await (await provider.get(`/portal/${fixture.caseId}/credentials`)).text()).toContain("confirmed on");

    const engineer = await staffClient("engineer", fixture.engineer);
    const refused = await engineer.post(`/app/cases/${fixture.caseId}/credentials/${ready}/reveal`, {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("can no longer reveal");
    const [event] = await testDb()
      .select({ actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "credential.reveal_refused")));
    expect(event).toEqual({ actorId: fixture.engineer.id });
    expect(await (await engineer.get(`/app/cases/${fixture.caseId}/credentials`)).text()).toContain("Keys received");
  });
});

describe("CSV import page", () => {
  const csv = [
    "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
    ",,login,Imported one,Import-Note-88,,0,https://one.example,alice,Import-Secret-One,",
    ",,login,Imported two,,,0,https://two.example,bob,Import-Secret-Two,",
  ].join("\n");
  const form = (text: string, intent: string) => {
    const data = new FormData();
    data.append("intent", intent);
    data.append("format", "auto");
    data.append("releaseTo", "incoming_provider");
    data.append("file", new File([text], "export.csv", { type: "text/csv" }));
    return data;
  };

  it("previews without secrets, refuses a file with a bad line, then imports all at once", async () => {
    const { fixture } = await seeded();
    const client = await staffClient("engineer");
    const path = `/app/cases/${fixture.caseId}/credentials/import`;
    const preview = await client.post(path, form(csv, "preview"));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("Imported one");
    expect(html).toContain("Import 2 credentials");
    expect(html).not.toMatch(/Import-Secret|Import-Note/);

    const bad = `${csv}\n,,login,No password,,,0,https://three.example,carol,,`;
    const refused = await client.post(path, form(bad, "import"));
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain("Line 4: login_password:");
    const count = async () => (await testDb().select().from(credentials).where(eq(credentials.caseId, fixture.caseId))).length;
    expect(await count()).toBe(3);

    const imported = await client.post(path, form(csv, "import"));
    expect(imported.status).toBe(302);
    expect(await count()).toBe(5);
  });
});

describe("no plaintext at rest", () => {
  it("finds no planted secret in any table after entry, reveal, export, import and mail", async () => {
    const { fixture, ready } = await seeded();
    const provider = await contactClient(fixture, "provider", { stepUp: true });
    expect((await provider.post(`/portal/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(200);
    expect((await provider.post(`/portal/${fixture.caseId}/credentials/export`, { format: "bitwarden-json" })).status).toBe(200);
    const engineer = await staffClient("engineer", fixture.engineer);
    expect((await engineer.post(`/app/cases/${fixture.caseId}/credentials/${ready}/reveal`, {})).status).toBe(200);

    const tables = await queryRows<{ name: string }>(
      testDb(),
      sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const forms = (value: string) => [value, Buffer.from(value).toString("hex"), Buffer.from(value).toString("base64")];
    for (const { name } of tables) {
      const rows = await queryRows<{ row: string }>(testDb(), sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`);
      const dump = rows.map((r) => r.row).join("\n");
      for (const value of [SECRET, SEED, NOTE, WAITING_SECRET]) {
        for (const form of forms(value)) expect(dump.includes(form), `${name} holds a planted value`).toBe(false);
      }
    }
  });
});
