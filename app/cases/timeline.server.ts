// A case's audit events as a timeline for people: one sentence per event plus what changed.
// Built on the server so pages receive text, not raw payloads.
import { inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { type caseContacts, type cases, staffUsers } from "../../db/schema";
import { listCaseEvents } from "../audit/audit.server";
import type { AuditAction } from "../audit/events";
import { assertId } from "../http/params.server";
import { backupJobInventory, backupSetInventory } from "../inventory/backups";
import { historyLabels } from "../inventory/describe";
import { hardwareInventory } from "../inventory/hardware";
import { subscriptionInventory } from "../inventory/subscriptions";

type CaseRow = typeof cases.$inferSelect;
type ContactRow = typeof caseContacts.$inferSelect;

export interface TimelineEntry {
  seq: number;
  occurredAt: string;
  actor: string;
  summary: string;
  details: string[];
}

// The case's own fields, typed over its columns: a new column without words fails the typecheck.
const CASE_FIELD_LABELS: Record<keyof Omit<CaseRow, "id" | "reference" | "status" | "createdAt" | "updatedAt" | "closedAt" | "closedById">, string> = {
  customerLegalName: "customer legal name",
  customerAddress: "customer address",
  incomingProviderName: "incoming provider",
  noticeReceivedOn: "notice received",
  cutoverOn: "cutover",
  supportTransferPlannedOn: "planned support transfer",
  portalAccessEndsOn: "portal access end",
  timeZone: "time zone",
  responsibleEngineerId: "responsible engineer",
};

const CONTACT_FIELD_LABELS: Record<keyof Omit<ContactRow, "id" | "caseId" | "createdAt" | "updatedAt">, string> = {
  role: "role",
  name: "name",
  email: "email",
  phone: "phone",
  jobTitle: "job title",
  removedAt: "removed",
};

// Inventory changes use the words of each kind's description (app/inventory/).
const FIELD_LABELS: Record<string, string> = {
  ...CASE_FIELD_LABELS,
  ...CONTACT_FIELD_LABELS,
  ...historyLabels(hardwareInventory),
  ...historyLabels(subscriptionInventory),
  ...historyLabels(backupJobInventory),
  ...historyLabels(backupSetInventory),
};

// One sentence per action; typed over every audit event, so a new event cannot go unlabelled.
const SUMMARIES: Record<AuditAction, string> = {
  "case.created": "Opened the case",
  "case.updated": "Edited the case details",
  "case.closed": "Closed the case",
  "evidence.exported": "Exported the evidence bundle",
  "contact.added": "Added a contact",
  "contact.updated": "Edited a contact",
  "contact.removed": "Removed a contact",
  "contact.invited": "Sent an invitation",
  "contact.sign_in_link_requested": "Asked for a sign-in link",
  "contact.signed_in": "Signed in to the portal",
  "contact.signed_out": "Signed out of the portal",
  "contact.step_up_code_sent": "Was sent a confirmation code",
  "contact.step_up_failed": "Entered a wrong confirmation code",
  "contact.stepped_up": "Confirmed with an emailed code",
  "hardware.added": "Added a hardware item",
  "hardware.updated": "Edited a hardware item",
  "hardware.removed": "Removed a hardware item",
  "subscription.added": "Added a subscription",
  "subscription.updated": "Edited a subscription",
  "subscription.removed": "Removed a subscription",
  "backup_job.added": "Added a backup job",
  "backup_job.updated": "Edited a backup job",
  "backup_job.state_changed": "Changed a backup job's state",
  "backup_job.stop_authorised": "Stop of a backup job allowed",
  "backup_job.stop_refused": "Stop of a backup job refused",
  "backup_job.removed": "Removed a backup job",
  "backup_set.added": "Added a historical backup set",
  "backup_set.updated": "Edited a historical backup set",
  "backup_set.removed": "Removed a historical backup set",
  "backup_report.submitted": "Reported a first successful backup",
  "backup_report.verified": "Verified the new provider's backup report",
  "backup_report.rejected": "Rejected the new provider's backup report",
  "backup_report.evidence_downloaded": "Downloaded the evidence of a backup report",
  "backup_reminder.signer_reminded": "Reminded the customer signer of the backup release",
  "backup_reminder.cutover_warning_sent": "Warned that cutover nears with backups not transitioned",
  "credential.added": "Added a credential",
  "credential.updated": "Edited a credential",
  "credential.removed": "Removed a credential",
  "credential.rotation_recorded": "Recorded a credential's rotation",
  "credential.revealed": "Revealed a credential",
  "credential.reveal_refused": "Reveal of a credential refused",
  "credentials.imported": "Imported credentials",
  "credentials.exported": "Exported credentials",
  "credentials.page_opened": "Opened the credentials page",
  "credentials.keys_received": "Confirmed receipt of the keys",
  "credentials.keys_reminder_sent": "Reminded the incoming provider to confirm receipt of the keys",
  "credentials.purged": "Purged the credentials",
  "vault.master_key_rotated": "Rotated the master key",
  "list.published": "Published a list version",
  "list.acknowledged": "Acknowledged a list version",
  "list.disputed": "Disputed a list item",
  "list.dispute_answered": "Answered a dispute",
  "list.receipt_downloaded": "Downloaded an acknowledgement receipt",
  "list.early_retrieval_proposed": "Proposed an early retrieval",
  "list.early_retrieval_withdrawn": "Withdrew an early retrieval",
  "list.imported": "Imported items from a CSV file",
  "list.import_mapping_saved": "Saved a CSV column mapping",
  "list.import_mapping_deleted": "Deleted a CSV column mapping",
  "waiver_text.published": "Published a waiver text",
  "waiver.draft_saved": "Saved the backup release draft",
  "waiver.sent": "Sent the backup release for signature",
  "waiver.withdrawn": "Withdrew the backup release",
  "waiver.viewed": "Opened the backup release",
  "waiver.consent_given": "Agreed to sign electronically",
  "waiver.consent_withdrawn": "Withdrew consent to sign electronically",
  "waiver.signing_started": "Started signing the backup release",
  "waiver.signing_failed": "Signing the backup release failed",
  "waiver.signed": "Signed the backup release",
  "waiver.declined": "Declined the backup release",
  "waiver.downloaded": "Downloaded the signed backup release",
  "waiver.preview_downloaded": "Downloaded the unsigned backup release",
  "msp.profile_updated": "Edited the MSP profile",
  "support.responsibility_accepted": "Accepted support responsibility",
  "support.overdue_reminder_sent": "Reminded staff that the planned support transfer date passed without acceptance",
  "msp_access.added": "Listed an MSP access point",
  "msp_access.removed": "Marked an MSP access point removed",
  "msp_access.confirmed": "Confirmed an MSP access point removed",
  "msp_access.disputed": "Disputed the removal of an MSP access point",
  "packet.customer_access_changed": "Changed whether the customer may download the handover packet",
  "document.downloaded": "Downloaded a document",
  "audit.verified": "Verified the audit trail",
  "staff.user_created": "Created a staff account",
  "staff.setup_link_issued": "Issued a set-up link",
  "staff.password_set": "Set a password",
  "staff.totp_enrolled": "Enrolled an authenticator",
  "staff.signed_in": "Signed in",
  "staff.signed_out": "Signed out",
  "staff.sign_in_failed": "Failed to sign in",
  "staff.stepped_up": "Confirmed with an authenticator code",
  "staff.recovery_code_used": "Used a recovery code",
  "staff.recovery_codes_regenerated": "Made new recovery codes",
  "staff.role_changed": "Changed a staff role",
  "staff.deactivated": "Deactivated a staff account",
  "staff.reactivated": "Reactivated a staff account",
};

const show = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : String(value));
// Fields of records not described above (credentials) read as words of their names.
const label = (field: string) => FIELD_LABELS[field] ?? field.replace(/([A-Z])/g, " $1").toLowerCase();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short name for the thing an event is about, from its payload. */
function subject(payload: Record<string, unknown>): string | null {
  for (const key of ["item", "subscription", "job", "set"]) {
    const thing = payload[key];
    if (isRecord(thing)) {
      const name = thing.makeModel ?? (thing.vendor ? `${String(thing.vendor)} ${show(thing.product)}` : null) ?? thing.system ?? thing.description;
      if (name) return String(name);
    }
  }
  if (typeof payload.name === "string") return `${payload.name}${typeof payload.email === "string" ? ` <${payload.email}>` : ""}`;
  if (typeof payload.system === "string") return payload.system;
  return null;
}

export function describeEvent(
  action: string,
  payload: unknown,
  staffNames: ReadonlyMap<string, string> = new Map(),
): { summary: string; details: string[] } {
  const data = isRecord(payload) ? payload : {};
  const base = SUMMARIES[action as AuditAction] ?? action.replace(/[._]/g, " ").replace(/^\w/, (c) => c.toUpperCase());
  const about = subject(data);
  const details: string[] = [];
  if (isRecord(data.changes)) {
    for (const [field, change] of Object.entries(data.changes)) {
      if (!isRecord(change)) continue;
      // Staff are recorded by id (names change); people read names.
      const name = (value: unknown) => (field === "responsibleEngineerId" ? (staffNames.get(String(value)) ?? value) : value);
      details.push(`${label(field)}: ${show(name(change.from))} → ${show(name(change.to))}`);
    }
  }
  if (action === "backup_job.state_changed") details.push(`${show(data.from)} → ${show(data.to)}`);
  return { summary: about ? `${base}: ${about}` : base, details };
}

/** The case's most recent events, newest first. */
export async function listCaseTimeline({ caseId, limit = 25 }: { caseId: string; limit?: number }): Promise<TimelineEntry[]> {
  const events = await listCaseEvents(db(), { caseId: assertId(caseId, "Case"), limit });
  const staffIds = new Set<string>();
  for (const event of events) {
    const change = isRecord(event.payload) && isRecord(event.payload.changes) ? event.payload.changes.responsibleEngineerId : null;
    if (isRecord(change)) for (const id of [change.from, change.to]) if (typeof id === "string") staffIds.add(id);
  }
  const staffNames = new Map<string, string>();
  if (staffIds.size > 0) {
    const rows = await db()
      .select({ id: staffUsers.id, name: staffUsers.name })
      .from(staffUsers)
      .where(inArray(staffUsers.id, [...staffIds]));
    for (const row of rows) staffNames.set(row.id, row.name);
  }
  return events.map((event) => ({
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actor: event.actorLabel,
    ...describeEvent(event.action, event.payload, staffNames),
  }));
}
