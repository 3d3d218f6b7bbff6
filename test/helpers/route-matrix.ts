// The route × role matrix: every route of the app, how each audience may use it, and a fixture
// to fill its URLs. test/authorization-matrix.test.ts checks it against the build (a route added
// without an entry fails there) and test/input-fuzz.test.ts posts to every action route it lists.
import { submitBackupReport } from "../../app/backups/reports.server";
import { addBackupJob, addBackupSet } from "../../app/cases/backups.server";
import { addHardwareItem } from "../../app/cases/hardware.server";
import { addSubscription } from "../../app/cases/subscriptions.server";
import { listOutboxMessages } from "../../app/mail/outbox.server";
import { inviteContact } from "../../app/portal/magic-link.server";
import { addCredential } from "../../app/vault/credentials.server";
import { createCaseWithContacts } from "./portal";

export type StaffRole = "admin" | "engineer" | "legal";
export type ContactRole = "customer_signer" | "customer_viewer" | "provider";
export const STAFF_ROLES: StaffRole[] = ["admin", "engineer", "legal"];
export const CONTACT_ROLES: ContactRole[] = ["customer_signer", "customer_viewer", "provider"];

export interface CaseFixture {
  caseId: string;
  contactId: string;
  hardwareId: string;
  subscriptionId: string;
  jobId: string;
  setId: string;
  reportId: string;
  credentialId: string;
}
export interface Fixture {
  own: CaseFixture;
  other: CaseFixture;
  outboxMessageId: string;
}

/** Builds the URL of a route for a case; `ids` picks whose item ids fill the item parameters. */
export type UrlFor = (kase: CaseFixture, f: Fixture) => string;

export type Entry =
  /** Parent layouts: checked through their children. */
  | { kind: "layout" }
  /** Open to anyone; `get` is the status an anonymous GET gets. */
  | { kind: "public"; url: UrlFor; get: number }
  /** Staff area: GET status per role; roles whose POST must be refused with 403. */
  | { kind: "staff"; url: UrlFor; get: Record<StaffRole, number> | null; postRefused: StaffRole[] | null; caseItem?: boolean }
  /** External parties' case pages: GET status per contact role on their own case. */
  | { kind: "portal"; url: UrlFor; get: Record<ContactRole, number> | null; postRefused: ContactRole[] | null };

const all = (status: number) => ({ admin: status, engineer: status, legal: status });
const everyContact = (status: number) => ({ customer_signer: status, customer_viewer: status, provider: status });
const editorsOnly: StaffRole[] = ["legal"];
const legalAndAdmin = { admin: 200, engineer: 403, legal: 200 };
/**
 * Every POST legal may make, and why: its own account and step-up, the waiver texts it owns, and
 * running the chain verification (which changes no record, only adds its finding to the trail).
 * Any other route's POST is refused to legal or has no action at all.
 */
export const LEGAL_MAY_POST = ["routes/app.account", "routes/app.step-up", "routes/app.waiver-templates", "routes/app.legal.records"];
export const base = (k: CaseFixture) => `/app/cases/${k.caseId}`;
/** For item routes whose items the fixture does not create: an allowed role gets 404, a refused one 403. */
export const NO_SUCH_ID = "00000000-0000-4000-8000-0000000000aa";
export const MATRIX_SECRET = "matrix-secret";

export const matrix: Record<string, Entry> = {
  root: { kind: "layout" },
  "routes/$": { kind: "public", url: () => "/no/such/page", get: 404 },
  "routes/_index": { kind: "public", url: () => "/", get: 302 },
  "routes/brand.logo": { kind: "public", url: () => "/brand/logo", get: 404 },
  // Staff sign-in flows: public pages (the flows themselves are tested in staff-*.test.ts).
  "routes/staff": { kind: "layout" },
  "routes/staff._index": { kind: "public", url: () => "/staff", get: 302 },
  "routes/staff.sign-in": { kind: "public", url: () => "/staff/sign-in", get: 200 },
  "routes/staff.sign-in_.second-factor": { kind: "public", url: () => "/staff/sign-in/second-factor", get: 302 },
  "routes/staff.setup.$token": { kind: "public", url: () => "/staff/setup/not-a-real-token", get: 404 },
  // Anonymous visitors see a "sign in first" page (the page must render once more after enrolment).
  "routes/staff.enrol": { kind: "public", url: () => "/staff/enrol", get: 200 },
  "routes/staff.sign-out": { kind: "public", url: () => "/staff/sign-out", get: 302 },
  // External sign-in: public pages.
  "routes/sign-in._index": { kind: "public", url: () => "/sign-in", get: 200 },
  "routes/sign-in.$token": { kind: "public", url: () => "/sign-in/not-a-real-token", get: 200 },
  "routes/portal.sign-out": { kind: "public", url: () => "/portal/sign-out", get: 302 },
  // Public checks of sealed waivers and the receipts' key set.
  "routes/verify": { kind: "public", url: () => "/verify", get: 200 },
  "routes/[.]well-known.jwks[.]json": { kind: "public", url: () => "/.well-known/jwks.json", get: 200 },
  // Staff area.
  "routes/app": { kind: "layout" },
  "routes/app._index": { kind: "staff", url: () => "/app", get: all(200), postRefused: null },
  "routes/app.account": { kind: "staff", url: () => "/app/account", get: all(200), postRefused: [] },
  "routes/app.step-up": { kind: "staff", url: () => "/app/step-up", get: all(200), postRefused: [] },
  "routes/app.staff": { kind: "staff", url: () => "/app/staff", get: { admin: 200, engineer: 403, legal: 403 }, postRefused: ["engineer", "legal"] },
  "routes/app.settings": { kind: "staff", url: () => "/app/settings", get: { admin: 200, engineer: 403, legal: 403 }, postRefused: ["engineer", "legal"] },
  "routes/app.outbox._index": { kind: "staff", url: () => "/app/outbox", get: all(200), postRefused: null },
  "routes/app.outbox.$messageId._index": { kind: "staff", url: (_k, f) => `/app/outbox/${f.outboxMessageId}`, get: all(200), postRefused: null },
  "routes/app.outbox.$messageId.html": { kind: "staff", url: (_k, f) => `/app/outbox/${f.outboxMessageId}/html`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: null },
  "routes/app.cases.new": { kind: "staff", url: () => "/app/cases/new", get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly },
  "routes/app.cases.$caseId": { kind: "layout" },
  "routes/app.cases.$caseId._index": { kind: "staff", url: (k) => base(k), get: all(200), postRefused: null },
  "routes/app.cases.$caseId.edit": { kind: "staff", url: (k) => `${base(k)}/edit`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly },
  "routes/app.cases.$caseId.close": { kind: "staff", url: (k) => `${base(k)}/close`, get: { admin: 200, engineer: 403, legal: 403 }, postRefused: ["legal", "engineer"] },
  "routes/app.cases.$caseId.contacts": { kind: "staff", url: (k) => `${base(k)}/contacts`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.contacts_.$contactId": { kind: "staff", url: (k) => `${base(k)}/contacts/${k.contactId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.contacts_.$contactId_.invite": { kind: "staff", url: (k) => `${base(k)}/contacts/${k.contactId}/invite`, get: all(404), postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.hardware": { kind: "staff", url: (k) => `${base(k)}/hardware`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.hardware_.$itemId": { kind: "staff", url: (k) => `${base(k)}/hardware/${k.hardwareId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.subscriptions": { kind: "staff", url: (k) => `${base(k)}/subscriptions`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.subscriptions_.$subscriptionId": { kind: "staff", url: (k) => `${base(k)}/subscriptions/${k.subscriptionId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.backups": { kind: "staff", url: (k) => `${base(k)}/backups`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.backups_.jobs.$jobId": { kind: "staff", url: (k) => `${base(k)}/backups/jobs/${k.jobId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.backups_.sets.$setId": { kind: "staff", url: (k) => `${base(k)}/backups/sets/${k.setId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.backups_.jobs.$jobId_.transition": { kind: "staff", url: (k) => `${base(k)}/backups/jobs/${k.jobId}/transition`, get: all(200), postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.backups_.reports.$reportId.evidence": { kind: "staff", url: (k) => `${base(k)}/backups/reports/${k.reportId}/evidence`, get: all(200), postRefused: null },
  "routes/app.cases.$caseId.lists": { kind: "staff", url: (k) => `${base(k)}/lists`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.lists_.versions.$versionId": { kind: "staff", url: (k) => `${base(k)}/lists/versions/${NO_SUCH_ID}`, get: all(404), postRefused: null },
  "routes/app.cases.$caseId.lists_.receipts.$acknowledgementId": { kind: "staff", url: (k) => `${base(k)}/lists/receipts/${NO_SUCH_ID}`, get: all(404), postRefused: null },
  "routes/app.cases.$caseId.import": { kind: "staff", url: (k) => `${base(k)}/import`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly },
  "routes/app.cases.$caseId.credentials": { kind: "staff", url: (k) => `${base(k)}/credentials`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.credentials_.import": { kind: "staff", url: (k) => `${base(k)}/credentials/import`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly },
  "routes/app.cases.$caseId.credentials_.$credentialId": { kind: "staff", url: (k) => `${base(k)}/credentials/${k.credentialId}`, get: { admin: 200, engineer: 200, legal: 403 }, postRefused: editorsOnly, caseItem: true },
  "routes/app.cases.$caseId.credentials_.$credentialId.reveal": { kind: "staff", url: (k) => `${base(k)}/credentials/${k.credentialId}/reveal`, get: all(404), postRefused: editorsOnly, caseItem: true },
  // The MSP's own access into the customer: everyone reads; editors list access points and record removals.
  "routes/app.cases.$caseId.access": { kind: "staff", url: (k) => `${base(k)}/access`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.waiver": { kind: "staff", url: (k) => `${base(k)}/waiver`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.waiver_.$waiverId.preview[.]pdf": { kind: "staff", url: (k) => `${base(k)}/waiver/${NO_SUCH_ID}/preview.pdf`, get: all(404), postRefused: null },
  // The evidence bundle holds every event of the case: legal and admins only; each download is recorded.
  "routes/app.cases.$caseId.evidence[.]zip": { kind: "staff", url: (k) => `${base(k)}/evidence.zip`, get: { admin: 200, engineer: 403, legal: 200 }, postRefused: null },
  // The handover packet: every staff role reads and downloads it; editors decide the customer's copy.
  "routes/app.cases.$caseId.packet": { kind: "staff", url: (k) => `${base(k)}/packet`, get: all(200), postRefused: editorsOnly },
  "routes/app.cases.$caseId.packet_.$document": { kind: "staff", url: (k) => `${base(k)}/packet/zip`, get: all(200), postRefused: null },
  "routes/app.cases.$caseId.waiver_.$waiverId.signed[.]pdf": { kind: "staff", url: (k) => `${base(k)}/waiver/${NO_SUCH_ID}/signed.pdf`, get: all(404), postRefused: null },
  "routes/app.waiver-templates": { kind: "staff", url: () => "/app/waiver-templates", get: all(200), postRefused: ["engineer"] },
  // The legal workspace: legal and admins read every case's record; engineers run cases elsewhere.
  "routes/app.legal._index": { kind: "staff", url: () => "/app/legal", get: legalAndAdmin, postRefused: null },
  "routes/app.legal.cases.$caseId._index": { kind: "staff", url: (k) => `/app/legal/cases/${k.caseId}`, get: legalAndAdmin, postRefused: null },
  "routes/app.legal.cases.$caseId.timeline": { kind: "staff", url: (k) => `/app/legal/cases/${k.caseId}/timeline`, get: legalAndAdmin, postRefused: null },
  // Running the chain verification is a POST (it is recorded), for legal and admins.
  "routes/app.legal.records": { kind: "staff", url: () => "/app/legal/records", get: legalAndAdmin, postRefused: ["engineer"] },
  // External parties.
  "routes/portal.$caseId": { kind: "layout" },
  "routes/portal.$caseId._index": { kind: "portal", url: (k) => `/portal/${k.caseId}`, get: everyContact(200), postRefused: null },
  "routes/portal.$caseId.confirm": { kind: "portal", url: (k) => `/portal/${k.caseId}/confirm`, get: everyContact(200), postRefused: [] },
  "routes/portal.$caseId.backups": { kind: "portal", url: (k) => `/portal/${k.caseId}/backups`, get: everyContact(200), postRefused: null },
  // Reports are sent by the provider (multipart) and reviewed by the signer (after a step-up).
  "routes/portal.$caseId.backups_.$jobId": { kind: "portal", url: (k) => `/portal/${k.caseId}/backups/${k.jobId}`, get: everyContact(200), postRefused: ["customer_viewer", "provider"] },
  "routes/portal.$caseId.backups_.reports.$reportId.evidence": { kind: "portal", url: (k) => `/portal/${k.caseId}/backups/reports/${k.reportId}/evidence`, get: everyContact(200), postRefused: null },
  "routes/portal.$caseId.lists._index": { kind: "portal", url: (k) => `/portal/${k.caseId}/lists`, get: everyContact(200), postRefused: null },
  "routes/portal.$caseId.lists.$kind": { kind: "portal", url: (k) => `/portal/${k.caseId}/lists/hardware`, get: everyContact(200), postRefused: ["customer_viewer", "provider"] },
  "routes/portal.$caseId.lists.receipts.$acknowledgementId": { kind: "portal", url: (k) => `/portal/${k.caseId}/lists/receipts/${NO_SUCH_ID}`, get: everyContact(404), postRefused: null },
  // The waiver: every party reads it; only the signer consents, signs or declines (no waiver is sent in the fixture: 404).
  "routes/portal.$caseId.waiver._index": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver`, get: everyContact(200), postRefused: null },
  "routes/portal.$caseId.waiver.consent": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver/consent`, get: { customer_signer: 404, customer_viewer: 403, provider: 403 }, postRefused: ["customer_viewer", "provider"] },
  "routes/portal.$caseId.waiver.sign": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver/sign`, get: { customer_signer: 404, customer_viewer: 403, provider: 403 }, postRefused: ["customer_viewer", "provider"] },
  "routes/portal.$caseId.waiver.decline": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver/decline`, get: { customer_signer: 404, customer_viewer: 403, provider: 403 }, postRefused: ["customer_viewer", "provider"] },
  "routes/portal.$caseId.waiver.$waiverId.preview[.]pdf": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver/${NO_SUCH_ID}/preview.pdf`, get: everyContact(404), postRefused: null },
  "routes/portal.$caseId.waiver.$waiverId.signed[.]pdf": { kind: "portal", url: (k) => `/portal/${k.caseId}/waiver/${NO_SUCH_ID}/signed.pdf`, get: everyContact(404), postRefused: null },
  // Every party reads who is responsible for support; only the provider's contact accepts it.
  "routes/portal.$caseId.support": { kind: "portal", url: (k) => `/portal/${k.caseId}/support`, get: everyContact(200), postRefused: ["customer_signer", "customer_viewer"] },
  // Every party reads the MSP's access removals; the provider and the customer's signer confirm or dispute them.
  "routes/portal.$caseId.access": { kind: "portal", url: (k) => `/portal/${k.caseId}/access`, get: everyContact(200), postRefused: ["customer_viewer"] },
  // The packet: the incoming provider's; the customer's only where staff allow it (not in the
  // fixture). A download asks for the emailed code first (the sessions here have none: 302).
  "routes/portal.$caseId.packet": { kind: "portal", url: (k) => `/portal/${k.caseId}/packet`, get: { customer_signer: 403, customer_viewer: 403, provider: 200 }, postRefused: null },
  "routes/portal.$caseId.packet_.$document": { kind: "portal", url: (k) => `/portal/${k.caseId}/packet/pdf`, get: { customer_signer: 403, customer_viewer: 403, provider: 302 }, postRefused: null },
  "routes/portal.$caseId.credentials": { kind: "portal", url: (k) => `/portal/${k.caseId}/credentials`, get: everyContact(200), postRefused: ["customer_signer", "customer_viewer"] },
  "routes/portal.$caseId.credentials_.$credentialId.reveal": { kind: "portal", url: (k) => `/portal/${k.caseId}/credentials/${k.credentialId}/reveal`, get: everyContact(404), postRefused: ["customer_viewer"] },
  "routes/portal.$caseId.credentials_.export": { kind: "portal", url: (k) => `/portal/${k.caseId}/credentials/export`, get: everyContact(404), postRefused: ["customer_signer", "customer_viewer"] },
};

async function caseFixture(): Promise<CaseFixture & { contacts: Record<ContactRole, { id: string }> }> {
  const created = await createCaseWithContacts();
  const { actor, caseId } = created;
  const hardware = await addHardwareItem({ actor, caseId, input: { category: "firewall", makeModel: "FortiGate 60F", owner: "customer" } });
  const subscription = await addSubscription({
    actor,
    caseId,
    input: { vendor: "Microsoft", product: "M365", quantity: 3, billingParty: "msp", monthlyCost: "30", currency: "USD" },
  });
  const job = await addBackupJob({ actor, caseId, input: { system: "Veeam", scope: "Files", schedule: "Nightly", retention: "30 days" } });
  const set = await addBackupSet({ actor, caseId, input: { description: "Archive", location: "NAS", sizeGb: "10" } });
  const report = await submitBackupReport({
    actor: { type: "contact", id: created.contacts.provider.id, label: "Pat Provider" },
    caseId,
    jobId: job.id,
    input: { completedAt: "2025-11-03T02:14", providerSystem: "Veeam", jobReference: "Files" },
    file: { name: "log.txt", bytes: new TextEncoder().encode("Success\n") },
  });
  const credential = await addCredential({ actor, caseId, input: { name: "Tenant admin", secret: MATRIX_SECRET, releaseTo: "both" } });
  return {
    caseId,
    contactId: created.contacts.customer_viewer.id,
    hardwareId: hardware.id,
    subscriptionId: subscription.id,
    jobId: job.id,
    setId: set.id,
    reportId: report.id,
    credentialId: credential.id,
    contacts: created.contacts,
  };
}

/** Two cases with every kind of item, and an outbox message: what the matrix's URLs are filled from. */
export async function matrixFixture() {
  const own = await caseFixture();
  const other = await caseFixture();
  await inviteContact({ actor: { type: "system", id: null, label: "test" }, caseId: own.caseId, contactId: own.contacts.provider.id });
  const [message] = await listOutboxMessages({ limit: 1 });
  return { own, other, outboxMessageId: message!.id };
}
