// The demo: an MSP and two offboarding cases in different stages, built through the same domain
// functions as the UI so that its audit trail is real.
import { createCheckpoint } from "../audit/checkpoints.server";
import { sql } from "drizzle-orm";
import { db, queryRows } from "../../db/client";
import { cases } from "../../db/schema";
import { type Actor, systemActor } from "../audit/audit.server";
import { addBackupJob, addBackupSet } from "../cases/backups.server";
import { createCase } from "../cases/cases.server";
import { addContact } from "../cases/contacts.server";
import { addHardwareItem } from "../cases/hardware.server";
import type { BackupJobInput, BackupSetInput, HardwareItemInput, SubscriptionInput } from "../cases/schemas";
import { addSubscription } from "../cases/subscriptions.server";
import { updateMspProfile } from "../msp/profile.server";
import { inviteContact } from "../portal/magic-link.server";
import { createStaffUser } from "../staff/users.server";
import { seedBackupTransitionDemo } from "./backups.server";
import { seedHandoverDemo } from "./handover.server";
import { seedListsDemo } from "./lists.server";
import { seedVaultDemo } from "./vault.server";
import { seedWaiverDemo } from "./waiver.server";

export const DEMO_ADMIN_EMAIL = "admin@northwind-it.example";

/** A date `days` from today (UTC), as YYYY-MM-DD. */
const day = (days: number, now: Date) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

export interface DemoResult {
  adminEmail: string;
  setupUrl: string;
  caseIds: string[];
}

async function createStaff(actor: Actor, email: string, name: string, role: "admin" | "engineer" | "legal") {
  const created = await createStaffUser({ actor, email, name, role });
  return { id: created.userId, setupUrl: created.setupUrl, name };
}

const staffActorOf = (user: { id: string; name: string }, email: string): Actor => ({
  type: "staff",
  id: user.id,
  label: `${user.name} <${email}>`,
});

/** Seeds the demo into an empty database. Refuses when cases already exist. */
export async function seedDemo({ now = new Date() }: { now?: Date } = {}): Promise<DemoResult> {
  const [existing] = await db().select({ count: sql<number>`count(*)::int` }).from(cases);
  if ((existing?.count ?? 0) > 0) throw new Error("The database already holds cases; the demo is only seeded into an empty one.");

  const seeder = systemActor("demo seed");
  const admin = await createStaff(seeder, DEMO_ADMIN_EMAIL, "Alex Morgan", "admin");
  const adminActor = staffActorOf(admin, DEMO_ADMIN_EMAIL);
  await updateMspProfile({
    actor: adminActor,
    input: {
      legalName: "Northwind Managed IT Ltd",
      address: "4 Wharf Road, Bristol BS1 4RN, United Kingdom",
      contactEmail: "support@northwind-it.example",
      contactPhone: "+44 117 496 0000",
      accentColor: "#0f5c8a",
    },
  });
  const priya = await createStaff(adminActor, "priya.raman@northwind-it.example", "Priya Raman", "engineer");
  await createStaff(adminActor, "legal@northwind-it.example", "Jordan Ellis", "legal");
  const priyaActor = staffActorOf(priya, "priya.raman@northwind-it.example");

  const transition = await seedHarbourDental({ actor: priyaActor, engineerId: priya.id, now });
  await seedBackupTransitionDemo({ caseId: transition, reviewer: priyaActor, now });
  await seedWaiverDemo({ actor: priyaActor, caseId: transition });
  const intake = await seedQuaysideLegal({ actor: adminActor, engineerId: admin.id, now });
  // The demo's record ends vouched for: a signed checkpoint of its last event.
  await createCheckpoint({ reason: "demo_seed" });
  return { adminEmail: DEMO_ADMIN_EMAIL, setupUrl: admin.setupUrl, caseIds: [transition, intake] };
}

/** Seeds the demo only when the database holds no staff and no cases (a fresh embedded start). */
export async function seedDemoIfEmpty(): Promise<DemoResult | null> {
  const [row] = await queryRows<{ empty: boolean }>(
    db(),
    sql`select not exists (select 1 from staff_users) and not exists (select 1 from cases) as empty`,
  );
  if (!row?.empty) return null;
  return seedDemo();
}

/** A case in transition: intake complete, contacts invited, cutover in three weeks. */
async function seedHarbourDental({ actor, engineerId, now }: { actor: Actor; engineerId: string; now: Date }) {
  const { id } = await createCase({
    actor,
    now,
    input: {
      customerLegalName: "Harbour Dental Group Ltd",
      customerAddress: "12 Quay Street, Bristol BS1 4DJ",
      incomingProviderName: "BlueHarbor IT Services",
      noticeReceivedOn: day(-18, now),
      cutoverOn: day(21, now),
      supportTransferPlannedOn: day(21, now),
      portalAccessEndsOn: day(90, now),
      timeZone: "Europe/London",
      responsibleEngineerId: engineerId,
    },
  });
  const signer = await addContact({
    actor,
    caseId: id,
    input: { role: "customer_signer", name: "Dr. Helen Carter", email: "helen.carter@harbourdental.example", jobTitle: "Managing Partner", phone: "+44 117 496 0123" },
  });
  await addContact({
    actor,
    caseId: id,
    input: { role: "customer_viewer", name: "Tom Reyes", email: "tom.reyes@harbourdental.example", jobTitle: "Practice Manager" },
  });
  const provider = await addContact({
    actor,
    caseId: id,
    input: { role: "provider", name: "Sofia Lindqvist", email: "sofia@blueharbor-it.example", jobTitle: "Onboarding Lead" },
  });

  const cutover = day(21, now);
  const hardware: HardwareItemInput[] = [
    { category: "firewall", makeModel: "Fortinet FortiGate 60F", serialNumber: "FGT60FTK21001234", assetTag: "NW-0412", location: "Comms cabinet, ground floor", owner: "msp", retrievalPlan: "Engineer visit after the new firewall is live; configuration exported to the incoming provider first.", retrievalWindowStartsOn: day(22, now), retrievalWindowEndsOn: day(35, now) },
    { category: "switch", makeModel: "Aruba Instant On 1930 24G PoE", serialNumber: "CN12KP0456", assetTag: "NW-0413", location: "Comms cabinet, ground floor", owner: "msp", retrievalPlan: "Collected with the firewall once replacement switching is in place.", retrievalWindowStartsOn: day(22, now), retrievalWindowEndsOn: day(35, now) },
    { category: "access_point", makeModel: "Aruba Instant On AP22", serialNumber: "CNR4KSP0A1", assetTag: "NW-0414", location: "Reception ceiling", owner: "msp", retrievalPlan: "Collected after cutover when the new Wi-Fi is live.", retrievalWindowStartsOn: day(22, now), retrievalWindowEndsOn: day(35, now) },
    { category: "server", makeModel: "Dell PowerEdge T350", serialNumber: "7XK2LM3", assetTag: "HD-SRV01", location: "Comms cabinet, ground floor", owner: "customer" },
    { category: "storage", makeModel: "Synology DS920+", serialNumber: "2040PDN123456", assetTag: "NW-0420", location: "Comms cabinet, ground floor", owner: "msp", retrievalPlan: "Wiped with certificate after the historical backup hand-over.", retrievalWindowStartsOn: day(40, now), retrievalWindowEndsOn: day(50, now) },
    { category: "printer", makeModel: "Canon imageRUNNER ADVANCE C3826i", serialNumber: "3CE01234", location: "First floor", owner: "third_party_lessor", lessorName: "Southwest Office Leasing Ltd" },
    { category: "laptop", makeModel: "Lenovo ThinkPad T14 Gen 4", serialNumber: "PF4ABC12", assetTag: "HD-LT07", location: "Practice manager", owner: "customer" },
    { category: "ups", makeModel: "APC Smart-UPS 1500", serialNumber: "AS2212345678", assetTag: "NW-0415", location: "Comms cabinet, ground floor", owner: "msp", retrievalPlan: "Collected with the network gear.", retrievalWindowStartsOn: day(22, now), retrievalWindowEndsOn: day(35, now) },
  ];
  for (const input of hardware) await addHardwareItem({ actor, caseId: id, input });

  const subs: SubscriptionInput[] = [
    { vendor: "Microsoft", product: "Microsoft 365 Business Premium", quantity: 24, billingParty: "msp", termEndsOn: day(160, now), plan: "transfer_to_incoming_provider", monthlyCost: "528.00", currency: "GBP", notes: "CSP tenant transfer to BlueHarbor's partner ID." },
    { vendor: "Datto", product: "SaaS Protection for M365", quantity: 24, billingParty: "msp", plan: "continue_until_date", planDate: day(35, now), monthlyCost: "72.00", currency: "GBP", notes: "Kept running until the new provider's backup is verified." },
    { vendor: "SentinelOne", product: "Singularity Core", quantity: 26, billingParty: "msp", plan: "terminate_on_date", planDate: cutover, monthlyCost: "104.00", currency: "GBP" },
    { vendor: "GoDaddy", product: "harbourdental.co.uk domain", quantity: 1, billingParty: "customer", termEndsOn: day(240, now), plan: "transfer_to_customer", monthlyCost: "1.50", currency: "GBP" },
  ];
  for (const input of subs) await addSubscription({ actor, caseId: id, input });

  const jobs: BackupJobInput[] = [
    { system: "Datto SIRIS — HD-SRV01", scope: "Practice management server (image + SQL database), hourly snapshots", schedule: "Hourly, 07:00–20:00", retention: "30 daily, 12 monthly" },
    { system: "Datto SaaS Protection", scope: "Microsoft 365 mailboxes, OneDrive and SharePoint", schedule: "3× daily", retention: "Infinite while subscribed" },
  ];
  for (const input of jobs) await addBackupJob({ actor, caseId: id, input });
  const sets: BackupSetInput[] = [
    { description: "Monthly server images 2019–2025", location: "Datto cloud (UK)", sizeGb: "1840", proposedDisposition: "hand_over", dispositionOn: day(40, now), handOverMethod: "Encrypted USB disk by courier, key sent separately" },
    { description: "Legacy NAS archive (pre-2019 X-ray images)", location: "Synology DS920+ on site", sizeGb: "620", proposedDisposition: "retain_until", dispositionOn: day(365, now) },
  ];
  for (const input of sets) await addBackupSet({ actor, caseId: id, input });

  await inviteContact({ actor, caseId: id, contactId: signer.id });
  await inviteContact({ actor, caseId: id, contactId: provider.id });
  await seedVaultDemo({ actor, caseId: id, revealedBy: { contactId: provider.id }, now });
  await seedListsDemo({ actor, caseId: id });
  await seedHandoverDemo({ actor, caseId: id });
  return id;
}

/** A case at intake: notice just received, inventory still being entered. */
async function seedQuaysideLegal({ actor, engineerId, now }: { actor: Actor; engineerId: string; now: Date }) {
  const { id } = await createCase({
    actor,
    now,
    input: {
      customerLegalName: "Quayside Legal LLP",
      customerAddress: "88 Corn Street, Bristol BS1 1JA",
      incomingProviderName: "Meridian Tech Partners",
      noticeReceivedOn: day(-3, now),
      cutoverOn: day(45, now),
      portalAccessEndsOn: day(120, now),
      timeZone: "Europe/London",
      responsibleEngineerId: engineerId,
    },
  });
  await addContact({
    actor,
    caseId: id,
    input: { role: "customer_signer", name: "Marcus Bell", email: "m.bell@quaysidelegal.example", jobTitle: "Partner" },
  });
  const hardware: HardwareItemInput[] = [
    { category: "firewall", makeModel: "SonicWall TZ470", serialNumber: "2CB8ED123456", assetTag: "NW-0655", location: "Server room", owner: "msp" },
    { category: "router", makeModel: "DrayTek Vigor 2865", serialNumber: "2865LAC0099", location: "Server room", owner: "customer" },
    { category: "workstation", makeModel: "HP EliteDesk 800 G6 (×12)", location: "Open-plan office", owner: "customer" },
  ];
  for (const input of hardware) await addHardwareItem({ actor, caseId: id, input });
  await addSubscription({
    actor,
    caseId: id,
    input: { vendor: "Microsoft", product: "Microsoft 365 Business Standard", quantity: 15, billingParty: "msp", monthlyCost: "165.00", currency: "GBP" },
  });
  await addBackupJob({
    actor,
    caseId: id,
    input: { system: "Veeam Backup & Replication — QL-FS01", scope: "File server and document management database", schedule: "Nightly at 01:00", retention: "14 daily, 8 weekly, 12 monthly" },
  });
  return id;
}
