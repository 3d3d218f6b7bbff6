// The audit trail covers every act that matters for liability or security. The demo's whole flow is
// walked (seeded through the domain functions, then the rest over HTTP where a person would act
// there), and each act is looked for in the trail with the actor who did it and the case it
// belongs to.
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../app/audit/audit.server";
import type { AuditAction } from "../app/audit/events";
import { setBackupJobState } from "../app/cases/backups.server";
import { closeCase } from "../app/cases/cases.server";
import { todayIn } from "../app/cases/dates";
import { addHardwareItem } from "../app/cases/hardware.server";
import { resetConfigCache } from "../app/config.server";
import { masterKey, masterKeyId, resetMasterKeyCache } from "../app/crypto/master-key.server";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../app/demo/demo.server";
import { markAccessRemoved } from "../app/handover/access-removals.server";
import { sendSupportOverdueReminders } from "../app/handover/support.server";
import { disputeListItems } from "../app/lists/acknowledgements.server";
import { latestVersion, publishList } from "../app/lists/versions.server";
import { changeStaffRole } from "../app/staff/users.server";
import { purgeEndedVaults } from "../app/vault/purge.server";
import { rotateMasterKey } from "../app/vault/rekey.server";
import { declineWaiver } from "../app/waiver/ceremony.server";
import { saveWaiverDraft, sendWaiver } from "../app/waiver/waivers.server";
import {
  auditEvents,
  backupJobs,
  backupReports,
  backupSets,
  caseContacts,
  cases,
  listAcknowledgements,
  mspAccessPoints,
  staffUsers,
  subscriptions,
  waivers,
} from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { codeFrom, latestEmailTo, signInPathFrom } from "./helpers/portal";
import { createEnrolledStaff, freshCode, signInThroughForms } from "./helpers/staff-auth";

let server: TestServer;
const originalKey = process.env.HANDOVER_MASTER_KEY;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  // Assigning undefined would store the string "undefined": later test files share this process.
  if (originalKey === undefined) delete process.env.HANDOVER_MASTER_KEY;
  else process.env.HANDOVER_MASTER_KEY = originalKey;
  resetConfigCache();
  resetMasterKeyCache();
  await server.close();
});

const sha256 = (bytes: ArrayBuffer) => createHash("sha256").update(Buffer.from(bytes)).digest("hex");

async function staffActorByEmail(email: string): Promise<Actor> {
  const [user] = await testDb().select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.email, email));
  return { type: "staff", id: user!.id, label: `${user!.name} <${email}>` };
}

async function contactOf(caseId: string, role: "customer_signer" | "provider") {
  const [contact] = await testDb()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, role)))
    .orderBy(asc(caseContacts.createdAt))
    .limit(1);
  const actor: Actor = { type: "contact", id: contact!.id, label: `${contact!.name} <${contact!.email}>`, ip: "198.51.100.40", userAgent: "vitest" };
  return { ...contact!, actor };
}

/** The events of one action, oldest first. */
const eventsOf = (action: AuditAction) =>
  testDb()
    .select({
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      caseId: auditEvents.caseId,
      payload: auditEvents.payload,
    })
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(asc(auditEvents.seq));

type Expected = { actorType: "staff" | "contact" | "system"; actorId?: string | null; caseId: string | null; payload?: Record<string, unknown> };

/** At least one event of `action` was recorded by that actor, on that case (and with that payload). */
async function expectRecorded(action: AuditAction, expected: Expected) {
  const events = await eventsOf(action);
  const match = events.find(
    (event) =>
      event.actorType === expected.actorType &&
      (expected.actorId === undefined || event.actorId === expected.actorId) &&
      event.caseId === expected.caseId &&
      Object.entries(expected.payload ?? {}).every(([key, value]) => JSON.stringify((event.payload as Record<string, unknown>)[key]) === JSON.stringify(value)),
  );
  expect(match, `${action} by ${expected.actorType} ${expected.actorId ?? ""} on case ${expected.caseId ?? "none"} ${JSON.stringify(expected.payload ?? {})}; recorded: ${JSON.stringify(events)}`).toBeDefined();
}

describe("the audit trail of the demo's whole flow", () => {
  it("holds every act that matters, each with its actor and its case", async () => {
    const demo = await seedDemo();
    const [harbour, quayside] = demo.caseIds as [string, string];
    const admin = await staffActorByEmail(DEMO_ADMIN_EMAIL);
    const priya = await staffActorByEmail("priya.raman@northwind-it.example");
    const legal = await staffActorByEmail("legal@northwind-it.example");
    const signer = await contactOf(harbour, "customer_signer");
    const provider = await contactOf(harbour, "provider");

    // --- Staff: a failed sign-in, a sign-in through both factors, a step-up.
    const operator = await createEnrolledStaff({ role: "admin", name: "Olive Operator" });
    const staffClient = new TestClient(server.url);
    expect((await staffClient.post("/staff/sign-in", { email: operator.email, password: "not the password" })).status).toBe(401);
    await signInThroughForms(staffClient, operator);
    expect((await staffClient.post("/app/step-up", { code: await freshCode(operator) })).status).toBe(302);

    // --- Staff and settings changes (the demo also created staff and set the MSP profile).
    await changeStaffRole({ actor: admin, userId: legal.id!, role: "engineer" });

    // --- External parties: the provider asks for a link, signs in with it, steps up and exports.
    const portal = new TestClient(server.url);
    expect((await portal.post("/sign-in", { email: provider.email })).status).toBe(200);
    expect((await portal.post(signInPathFrom((await latestEmailTo(provider.email))!.text), {})).status).toBe(302);
    expect((await portal.post(`/portal/${harbour}/confirm`, { intent: "send" })).status).toBeLessThan(400);
    const code = codeFrom((await latestEmailTo(provider.email))!.text);
    expect((await portal.post(`/portal/${harbour}/confirm`, { intent: "verify", code })).status).toBeLessThan(400);
    const exported = await portal.post(`/portal/${harbour}/credentials/export`, { format: "bitwarden-json" });
    expect(exported.status).toBe(200);

    // --- The takeover: the provider confirms the keys and accepts support; staff record an access
    // removal, the provider disputes it, staff record it again and the provider confirms it.
    expect((await portal.post(`/portal/${harbour}/credentials`, { intent: "keys-received", confirm: "yes" })).status).toBe(302);
    const today = todayIn("Europe/London");
    expect((await portal.post(`/portal/${harbour}/support`, { acceptedFrom: today, confirm: "yes" })).status).toBe(302);
    const [rmm] = await testDb()
      .select({ id: mspAccessPoints.id })
      .from(mspAccessPoints)
      .where(and(eq(mspAccessPoints.caseId, harbour), eq(mspAccessPoints.kind, "rmm_agent")));
    await markAccessRemoved({ actor: priya, caseId: harbour, accessPointId: rmm!.id, input: { removedOn: today, method: "Agent uninstalled by RMM policy" } });
    expect((await portal.post(`/portal/${harbour}/access`, { accessPointId: rmm!.id, answer: "dispute", reason: "Still installed on HD-SRV01." })).status).toBe(302);
    await markAccessRemoved({ actor: priya, caseId: harbour, accessPointId: rmm!.id, input: { removedOn: today, method: "Uninstalled from HD-SRV01 by hand" } });
    expect((await portal.post(`/portal/${harbour}/access`, { accessPointId: rmm!.id, answer: "confirm" })).status).toBe(302);
    // The other case's planned transfer passes without an acceptance: staff are reminded.
    await testDb().update(cases).set({ supportTransferPlannedOn: sql`notice_received_on` }).where(eq(cases.id, quayside));
    await sendSupportOverdueReminders();

    // --- Lists: the signer disputes the subscription list; a new hardware version supersedes the acknowledgement.
    const subscriptionList = await latestVersion(testDb(), { caseId: harbour, kind: "subscriptions" });
    const [subscription] = await testDb().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.caseId, harbour)).limit(1);
    await disputeListItems({
      actor: signer.actor,
      caseId: harbour,
      input: { kind: "subscriptions", versionSha256: subscriptionList!.sha256, comments: [{ itemId: subscription!.id, comment: "We cancelled this in March." }] },
    });
    const [acknowledgement] = await testDb()
      .select({ id: listAcknowledgements.id })
      .from(listAcknowledgements)
      .where(eq(listAcknowledgements.caseId, harbour));
    await addHardwareItem({ actor: priya, caseId: harbour, input: { category: "laptop", makeModel: "Dell Latitude 5440", serialNumber: "DL5440X1", location: "Reception", owner: "customer" } });
    await publishList({ actor: priya, caseId: harbour, kind: "hardware" });

    // --- Backups: the verified job is stopped; a job nobody covered is refused its stop.
    const [report] = await testDb().select({ id: backupReports.id, jobId: backupReports.backupJobId }).from(backupReports).where(eq(backupReports.caseId, harbour));
    await setBackupJobState({ actor: priya, caseId: harbour, jobId: report!.jobId, state: "stopped" });
    const [uncovered] = await testDb().select({ id: backupJobs.id }).from(backupJobs).where(eq(backupJobs.caseId, quayside));
    await expect(setBackupJobState({ actor: admin, caseId: quayside, jobId: uncovered!.id, state: "stopped" })).rejects.toThrow(/cannot be stopped/);

    // --- A second waiver, on the other case, is declined by its signer.
    const quaysideSigner = await contactOf(quayside, "customer_signer");
    const [quaysideCase] = await testDb().select({ cutoverOn: cases.cutoverOn }).from(cases).where(eq(cases.id, quayside));
    const sets = await testDb().select({ id: backupSets.id }).from(backupSets).where(eq(backupSets.caseId, quayside));
    const { waiverId: declinedWaiverId } = await saveWaiverDraft({
      actor: admin,
      caseId: quayside,
      input: {
        signerContactId: quaysideSigner.id,
        backupsStopAfter: quaysideCase!.cutoverOn,
        jobIds: [uncovered!.id],
        sets: sets.map((set) => ({ setId: set.id, disposition: "retain_until", dispositionOn: "2030-01-31", handOverMethod: null })),
      },
    });
    await sendWaiver({ actor: admin, caseId: quayside, waiverId: declinedWaiverId });
    await declineWaiver({ actor: quaysideSigner.actor, caseId: quayside, contactId: quaysideSigner.id, waiverId: declinedWaiverId, reason: "We keep the backups ourselves." });

    // --- Every document download, by staff and by the provider, with the SHA-256 of the bytes given out.
    const [signedWaiver] = await testDb().select({ id: waivers.id }).from(waivers).where(and(eq(waivers.caseId, harbour), eq(waivers.status, "signed")));
    const downloads = {
      signed: `waiver/${signedWaiver!.id}/signed.pdf`,
      preview: `waiver/${signedWaiver!.id}/preview.pdf`,
      receipt: `lists/receipts/${acknowledgement!.id}`,
      evidence: `backups/reports/${report!.id}/evidence`,
    };
    const hashes: Record<string, { staff: string; portal: string }> = {};
    for (const [name, path] of Object.entries(downloads)) {
      const byStaff = await staffClient.get(`/app/cases/${harbour}/${path}`);
      const byProvider = await portal.get(`/portal/${harbour}/${path}`);
      expect([name, byStaff.status, byProvider.status]).toEqual([name, 200, 200]);
      hashes[name] = { staff: sha256(await byStaff.arrayBuffer()), portal: sha256(await byProvider.arrayBuffer()) };
    }

    // --- The provider signs out.
    expect((await portal.post("/portal/sign-out", {})).status).toBe(302);

    // --- Keys and secrets: the master key is rotated, the case's secrets are purged, the case is closed.
    const next = randomBytes(32);
    await rotateMasterKey({ newKey: { id: masterKeyId(next), key: next }, oldKey: masterKey() });
    process.env.HANDOVER_MASTER_KEY = next.toString("base64");
    resetConfigCache();
    resetMasterKeyCache();
    await purgeEndedVaults({ caseId: harbour, early: true, actor: admin });
    await closeCase({ actor: priya, caseId: harbour });

    const staffOn = (actor: Actor, caseId: string | null, payload?: Record<string, unknown>): Expected => ({ actorType: "staff", actorId: actor.id, caseId, payload });
    const contactOn = (actor: Actor, caseId: string, payload?: Record<string, unknown>): Expected => ({ actorType: "contact", actorId: actor.id, caseId, payload });
    const operatorActor: Actor = { type: "staff", id: operator.id, label: operator.name };

    // Staff sign-ins, failed sign-ins and step-ups.
    await expectRecorded("staff.sign_in_failed", { actorType: "system", actorId: null, caseId: null, payload: { email: operator.email, reason: "wrong_password" } });
    await expectRecorded("staff.signed_in", staffOn(operatorActor, null, { userId: operator.id }));
    await expectRecorded("staff.stepped_up", staffOn(operatorActor, null, { userId: operator.id }));
    // Invitations, link requests, external sign-ins, step-ups and sign-outs.
    await expectRecorded("contact.invited", staffOn(priya, harbour, { contactId: provider.id }));
    await expectRecorded("contact.sign_in_link_requested", contactOn(provider.actor, harbour, { contactId: provider.id }));
    await expectRecorded("contact.signed_in", contactOn(provider.actor, harbour, { contactId: provider.id }));
    await expectRecorded("contact.step_up_code_sent", contactOn(provider.actor, harbour, { contactId: provider.id }));
    await expectRecorded("contact.stepped_up", contactOn(provider.actor, harbour, { contactId: provider.id }));
    await expectRecorded("contact.signed_out", contactOn(provider.actor, harbour, { contactId: provider.id }));
    // Credential entry, rotation records, reveals and exports.
    await expectRecorded("credential.added", staffOn(priya, harbour));
    await expectRecorded("credential.rotation_recorded", staffOn(priya, harbour));
    await expectRecorded("credential.revealed", contactOn(provider.actor, harbour));
    await expectRecorded("credentials.exported", contactOn(provider.actor, harbour, { format: "bitwarden-json" }));
    // Lists: publish, acknowledge, dispute, supersede.
    await expectRecorded("list.published", staffOn(priya, harbour, { kind: "subscriptions" }));
    await expectRecorded("list.acknowledged", contactOn(signer.actor, harbour, { kind: "hardware", acknowledgementId: acknowledgement!.id }));
    await expectRecorded("list.disputed", contactOn(signer.actor, harbour, { kind: "subscriptions" }));
    await expectRecorded("list.published", staffOn(priya, harbour, { kind: "hardware", version: 2, supersededAcknowledgementIds: [acknowledgement!.id] }));
    // Backups: reports, verifications, stops and refused stops.
    await expectRecorded("backup_report.submitted", contactOn(provider.actor, harbour, { reportId: report!.id }));
    await expectRecorded("backup_report.verified", staffOn(priya, harbour, { reportId: report!.id }));
    await expectRecorded("backup_job.stop_authorised", staffOn(priya, harbour, { jobId: report!.jobId, basis: "verified_report" }));
    await expectRecorded("backup_job.stop_refused", staffOn(admin, quayside, { jobId: uncovered!.id }));
    // The waiver: sent, viewed, consented, signed; and the other one declined.
    await expectRecorded("waiver.sent", staffOn(priya, harbour, { waiverId: signedWaiver!.id }));
    await expectRecorded("waiver.viewed", contactOn(signer.actor, harbour, { waiverId: signedWaiver!.id }));
    await expectRecorded("waiver.consent_given", contactOn(signer.actor, harbour, { waiverId: signedWaiver!.id }));
    await expectRecorded("waiver.signed", contactOn(signer.actor, harbour, { waiverId: signedWaiver!.id }));
    await expectRecorded("waiver.declined", contactOn(quaysideSigner.actor, quayside, { waiverId: declinedWaiverId }));
    // Every document download: who, which document, and the SHA-256 of the very bytes handed out.
    for (const [who, actor] of [["staff", operatorActor], ["portal", provider.actor]] as const) {
      const on = (payload: Record<string, unknown>) => (who === "staff" ? staffOn(actor, harbour, payload) : contactOn(actor, harbour, payload));
      await expectRecorded("waiver.downloaded", on({ waiverId: signedWaiver!.id, sealedSha256: hashes.signed![who] }));
      await expectRecorded("waiver.preview_downloaded", on({ waiverId: signedWaiver!.id, asSent: true, sha256: hashes.preview![who] }));
      await expectRecorded("list.receipt_downloaded", on({ acknowledgementId: acknowledgement!.id, sha256: hashes.receipt![who] }));
      await expectRecorded("backup_report.evidence_downloaded", on({ reportId: report!.id, sha256: hashes.evidence![who] }));
    }
    // The takeover: keys received, support accepted, access points listed, removed, disputed, confirmed; the overdue reminder.
    await expectRecorded("credentials.keys_received", contactOn(provider.actor, harbour, { contactId: provider.id }));
    await expectRecorded("support.responsibility_accepted", contactOn(provider.actor, harbour, { contactId: provider.id, acceptedFrom: today }));
    await expectRecorded("msp_access.added", staffOn(priya, harbour, { accessPointId: rmm!.id, kind: "rmm_agent" }));
    await expectRecorded("msp_access.removed", staffOn(priya, harbour, { accessPointId: rmm!.id, method: "Agent uninstalled by RMM policy" }));
    await expectRecorded("msp_access.disputed", contactOn(provider.actor, harbour, { accessPointId: rmm!.id, reason: "Still installed on HD-SRV01." }));
    await expectRecorded("msp_access.removed", staffOn(priya, harbour, { accessPointId: rmm!.id, afterDispute: "Still installed on HD-SRV01." }));
    await expectRecorded("msp_access.confirmed", contactOn(provider.actor, harbour, { accessPointId: rmm!.id, contactId: provider.id }));
    await expectRecorded("support.overdue_reminder_sent", { actorType: "system", actorId: null, caseId: quayside });
    // Staff and settings changes.
    await expectRecorded("staff.user_created", staffOn(admin, null, { userId: priya.id }));
    await expectRecorded("staff.role_changed", staffOn(admin, null, { userId: legal.id, from: "legal", to: "engineer" }));
    await expectRecorded("msp.profile_updated", staffOn(admin, null));
    // Key rotations, secret purges, case closure.
    await expectRecorded("vault.master_key_rotated", { actorType: "system", caseId: null, payload: { toKeyId: masterKeyId(next) } });
    await expectRecorded("credentials.purged", staffOn(admin, harbour, { reason: "operator_early" }));
    await expectRecorded("case.closed", staffOn(priya, harbour));
  });
});
