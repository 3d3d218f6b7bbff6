// Closing a case: it is locked (in the domain and in the database, against SQL too), every external
// session ends, a signed checkpoint vouches for the closed record, and every record is kept. Its
// staff pages say it is closed, when and by whom.
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, recordAudit } from "../app/audit/audit.server";
import { createCheckpoint } from "../app/audit/checkpoints.server";
import { closeCase } from "../app/cases/cases.server";
import { CaseClosedError } from "../app/cases/errors.server";
import { addHardwareItem } from "../app/cases/hardware.server";
import { acceptSupportResponsibility } from "../app/handover/support.server";
import { todayIn } from "../app/cases/dates";
import { confirmKeysReceived } from "../app/vault/keys-received.server";
import { resetConfigCache } from "../app/config.server";
import { masterKey, masterKeyId, resetMasterKeyCache } from "../app/crypto/master-key.server";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../app/demo/demo.server";
import { inviteContact } from "../app/portal/magic-link.server";
import { purgeEndedVaults } from "../app/vault/purge.server";
import { rotateMasterKey } from "../app/vault/rekey.server";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import {
  auditCheckpoints,
  auditEvents,
  backupJobs,
  backupReports,
  backupSets,
  caseContacts,
  caseVaults,
  cases,
  contactSessions,
  contactSignInLinks,
  credentials,
  hardwareItems,
  listAcknowledgements,
  listVersions,
  mspAccessPoints,
  staffUsers,
  subscriptions,
  supportResponsibility,
  waiverSignatures,
  waivers,
} from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { latestEmailTo, signInPathFrom } from "./helpers/portal";
import { signInAsStaff } from "./helpers/staff";

let server: TestServer;
let closed: string;
let open: string;
let engineer: Actor & { id: string };
let portalClient: TestClient;
let before: Record<string, number>;
const originalKey = process.env.HANDOVER_MASTER_KEY;

// Every kind of record the closed case holds, by its case column; each count must be the same after closure.
const RECORDS = {
  contacts: [caseContacts, caseContacts.caseId],
  hardware: [hardwareItems, hardwareItems.caseId],
  subscriptions: [subscriptions, subscriptions.caseId],
  backupJobs: [backupJobs, backupJobs.caseId],
  backupSets: [backupSets, backupSets.caseId],
  backupReports: [backupReports, backupReports.caseId],
  waivers: [waivers, waivers.caseId],
  waiverSignatures: [waiverSignatures, waiverSignatures.caseId],
  credentials: [credentials, credentials.caseId],
  listVersions: [listVersions, listVersions.caseId],
  listAcknowledgements: [listAcknowledgements, listAcknowledgements.caseId],
  mspAccessPoints: [mspAccessPoints, mspAccessPoints.caseId],
  supportResponsibility: [supportResponsibility, supportResponsibility.caseId],
} satisfies Record<string, [PgTable, PgColumn]>;

async function countRecords(caseId: string) {
  const counts: Record<string, number> = {};
  for (const [name, [table, caseColumn]] of Object.entries(RECORDS)) {
    const [row] = await testDb().select({ n: count() }).from(table).where(eq(caseColumn, caseId));
    counts[name] = row!.n;
  }
  return counts;
}

/** Runs raw SQL as any database user could, and returns PostgreSQL's refusal (null when it went through). */
async function refusalOf(statement: SQL): Promise<string | null> {
  try {
    await testDb().execute(statement);
    return null;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? (error as Error).message;
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const demo = await seedDemo();
  [closed, open] = demo.caseIds as [string, string];
  const [priya] = await testDb()
    .select({ id: staffUsers.id, name: staffUsers.name })
    .from(staffUsers)
    .where(eq(staffUsers.email, "priya.raman@northwind-it.example"));
  engineer = { type: "staff", id: priya!.id, label: priya!.name };

  // The provider is signed in to the portal when the case is closed, and holds an unused invitation.
  const [provider] = await testDb()
    .select({ id: caseContacts.id, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, closed), eq(caseContacts.role, "provider")));
  await inviteContact({ actor: engineer, caseId: closed, contactId: provider!.id });
  portalClient = new TestClient(server.url);
  expect((await portalClient.post(signInPathFrom((await latestEmailTo(provider!.email))!.text), {})).status).toBe(302);
  expect((await portalClient.get(`/portal/${closed}`)).status).toBe(200);
  await inviteContact({ actor: engineer, caseId: closed, contactId: provider!.id });
  expect((await testDb().select().from(contactSessions).where(eq(contactSessions.caseId, closed))).length).toBeGreaterThan(0);
  expect((await testDb().select().from(contactSignInLinks).where(eq(contactSignInLinks.caseId, closed))).length).toBeGreaterThan(0);

  // The provider took the keys and accepted support responsibility before the case was closed.
  const providerActor: Actor = { type: "contact", id: provider!.id, label: `Provider <${provider!.email}>` };
  await confirmKeysReceived({ actor: providerActor, caseId: closed, contactId: provider!.id });
  await acceptSupportResponsibility({ actor: providerActor, caseId: closed, contactId: provider!.id, input: { acceptedFrom: todayIn("Europe/London") } });

  before = await countRecords(closed);
  await closeCase({ actor: engineer, caseId: closed });
});

afterAll(async () => {
  // Assigning undefined would store the string "undefined": later test files share this process.
  if (originalKey === undefined) delete process.env.HANDOVER_MASTER_KEY;
  else process.env.HANDOVER_MASTER_KEY = originalKey;
  resetConfigCache();
  resetMasterKeyCache();
  await server.close();
});

describe("closing a case", () => {
  it("ends every external session and sign-in link of the case in the closing transaction", async () => {
    expect(await testDb().select().from(contactSessions).where(eq(contactSessions.caseId, closed))).toEqual([]);
    expect(await testDb().select().from(contactSignInLinks).where(eq(contactSignInLinks.caseId, closed))).toEqual([]);
    const home = await portalClient.get(`/portal/${closed}`);
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("writes a signed checkpoint whose head is the closure itself", async () => {
    const [closure] = await testDb()
      .select({ seq: auditEvents.seq, hash: auditEvents.hash, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, closed), eq(auditEvents.action, "case.closed")));
    expect(closure!.actorId).toBe(engineer.id);
    const [checkpoint] = await testDb()
      .select({ auditSeq: auditCheckpoints.auditSeq, headHash: auditCheckpoints.headHash, reason: auditCheckpoints.reason })
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.number))
      .limit(1);
    expect(checkpoint).toEqual({ auditSeq: closure!.seq, headHash: closure!.hash, reason: "case_closed" });
  });

  it("keeps every record of the case", async () => {
    expect(await countRecords(closed)).toEqual(before);
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
  });

  it("is refused by the domain afterwards", async () => {
    await expect(
      addHardwareItem({ actor: engineer, caseId: closed, input: { category: "laptop", makeModel: "Late addition", location: "", owner: "customer" } }),
    ).rejects.toBeInstanceOf(CaseClosedError);
  });

  it("is refused by the database too: no insert, update or delete of the closed case's records by SQL", async () => {
    const attempts: [string, SQL][] = [
      ["cases", sql`update cases set customer_legal_name = 'Someone else' where id = ${closed}`],
      ["cases", sql`delete from cases where id = ${closed}`],
      ["hardware_items", sql`update hardware_items set serial_number = 'SWAPPED' where case_id = ${closed}`],
      ["hardware_items", sql`delete from hardware_items where case_id = ${closed}`],
      ["subscriptions", sql`update subscriptions set quantity = quantity + 1 where case_id = ${closed}`],
      ["case_contacts", sql`insert into case_contacts (case_id, role, name, email) values (${closed}, 'customer_viewer', 'Late', 'late@customer.test')`],
      ["case_contacts", sql`update case_contacts set email = 'other@customer.test' where case_id = ${closed}`],
      ["credentials", sql`update credentials set release_to = 'both' where case_id = ${closed}`],
      ["credentials", sql`delete from credentials where case_id = ${closed}`],
      ["case_vaults", sql`update case_vaults set keys_received_at = now(), keys_received_by_label = 'Forged receipt' where case_id = ${closed}`],
      ["list_versions", sql`delete from list_versions where case_id = ${closed}`],
      ["list_acknowledgements", sql`update list_acknowledgements set contact_label = 'Nobody' where case_id = ${closed}`],
      ["waivers", sql`update waivers set decline_reason = 'rewritten' where case_id = ${closed}`],
      ["waiver_signatures", sql`delete from waiver_signatures where case_id = ${closed}`],
      ["waiver_backup_jobs", sql`delete from waiver_backup_jobs where waiver_id in (select id from waivers where case_id = ${closed})`],
      ["backup_jobs", sql`update backup_jobs set state = 'running' where case_id = ${closed}`],
      ["backup_sets", sql`delete from backup_sets where case_id = ${closed}`],
      ["backup_reports", sql`delete from backup_reports where case_id = ${closed}`],
      ["support_responsibility", sql`update support_responsibility set accepted_from = accepted_from + 30 where case_id = ${closed}`],
      ["support_responsibility", sql`delete from support_responsibility where case_id = ${closed}`],
      ["msp_access_points", sql`update msp_access_points set confirmation = null, confirmed_at = null, confirmed_by_contact_id = null, confirmed_by_label = null where case_id = ${closed} and confirmation = 'confirmed'`],
      ["msp_access_points", sql`insert into msp_access_points (case_id, kind, name) values (${closed}, 'other', 'Added after closure')`],
    ];
    for (const [table, statement] of attempts) {
      expect([table, await refusalOf(statement)]).toEqual([table, expect.stringMatching(new RegExp(`case .+ is closed: (INSERT|UPDATE|DELETE) on ${table} is not allowed`))]);
    }
    expect(await countRecords(closed)).toEqual(before);
  });

  it("leaves an open case's records writable by the same SQL", async () => {
    expect(await refusalOf(sql`update hardware_items set location = 'Moved' where case_id = ${open}`)).toBeNull();
    expect(await refusalOf(sql`update cases set customer_address = '5 Wharf Road' where id = ${open}`)).toBeNull();
  });

  it("still accepts what is not the case's record: audit events, downloads, checkpoints, key rotation, the purge", async () => {
    const staffClient = new TestClient(server.url);
    await signInAsStaff(staffClient, { id: engineer.id });
    const [signed] = await testDb().select({ id: waivers.id }).from(waivers).where(and(eq(waivers.caseId, closed), eq(waivers.status, "signed")));
    expect((await staffClient.get(`/app/cases/${closed}/waiver/${signed!.id}/signed.pdf`)).status).toBe(200);
    const [download] = await testDb()
      .select({ actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, closed), eq(auditEvents.action, "waiver.downloaded")))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(download!.actorId).toBe(engineer.id);
    await testDb().transaction((tx) =>
      recordAudit(tx, { actor: engineer, caseId: closed, event: { action: "case.updated", payload: { changes: {} } } }),
    );
    expect(await createCheckpoint({ reason: "on_demand" })).not.toBeNull();

    // A master key rotation re-wraps the closed case's data key; the end of access destroys its secrets.
    const next = randomBytes(32);
    const rotated = await rotateMasterKey({ newKey: { id: masterKeyId(next), key: next }, oldKey: masterKey() });
    expect(rotated.dataKeys).toBeGreaterThanOrEqual(1);
    process.env.HANDOVER_MASTER_KEY = next.toString("base64");
    resetConfigCache();
    resetMasterKeyCache();
    const [vault] = await testDb().select({ masterKeyId: caseVaults.masterKeyId }).from(caseVaults).where(eq(caseVaults.caseId, closed));
    expect(vault!.masterKeyId).toBe(masterKeyId(next));
    const purge = await purgeEndedVaults({ caseId: closed, early: true, actor: engineer });
    expect(purge.credentials).toBe(before.credentials);
    const left = await testDb()
      .select({ n: count() })
      .from(credentials)
      .where(and(eq(credentials.caseId, closed), sql`${credentials.secretCiphertext} is not null`));
    expect(left[0]!.n).toBe(0);
    expect(await countRecords(closed)).toEqual(before);

    // Once destroyed, the secrets cannot be brought back by SQL either.
    expect(await refusalOf(sql`update credentials set secret_ciphertext = '\\x01', purged_at = null where case_id = ${closed}`)).toMatch(/is closed/);
  });

  it("says on the case's staff pages that it is closed, when and by whom", async () => {
    const client = new TestClient(server.url);
    const [admin] = await testDb().select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, DEMO_ADMIN_EMAIL));
    await signInAsStaff(client, admin!);
    const [row] = await testDb().select({ closedAt: cases.closedAt }).from(cases).where(eq(cases.id, closed));
    const year = String(row!.closedAt!.getUTCFullYear());
    for (const page of ["", "/hardware", "/credentials", "/waiver"]) {
      const html = await (await client.get(`/app/cases/${closed}${page}`)).text();
      expect(html).toMatch(new RegExp(`This case is closed\\. ${engineer.label} closed it on [^<]*${year}[^<]*; it is kept as a read-only record\\.`));
    }
    const openPage = await (await client.get(`/app/cases/${open}`)).text();
    expect(openPage).not.toContain("This case is closed");
  });
});
