// Audit events of offboarding cases. Payloads record what changed (from → to) and never a secret.
import type { Changes } from "./changes";

type Fields = Record<string, unknown>;

export type CaseAuditEvent =
  | { action: "case.created"; payload: { reference: string; customerLegalName: string; details: Fields } }
  | { action: "case.updated"; payload: { changes: Changes } }
  | { action: "case.closed"; payload: { reference: string } }
  | { action: "contact.added"; payload: { contactId: string; name: string; email: string; role: string } }
  | { action: "contact.updated"; payload: { contactId: string; changes: Changes } }
  | { action: "contact.removed"; payload: { contactId: string; name: string; email: string; role: string } }
  | { action: "hardware.added"; payload: { itemId: string; item: Fields } }
  | { action: "hardware.updated"; payload: { itemId: string; changes: Changes } }
  | { action: "hardware.removed"; payload: { itemId: string; item: Fields } }
  | { action: "subscription.added"; payload: { subscriptionId: string; subscription: Fields } }
  | { action: "subscription.updated"; payload: { subscriptionId: string; changes: Changes } }
  | { action: "subscription.removed"; payload: { subscriptionId: string; subscription: Fields } }
  | { action: "backup_job.added"; payload: { jobId: string; job: Fields } }
  | { action: "backup_job.updated"; payload: { jobId: string; changes: Changes } }
  | { action: "backup_job.state_changed"; payload: { jobId: string; system: string; from: string; to: string } }
  | { action: "backup_job.removed"; payload: { jobId: string; job: Fields } }
  | { action: "backup_set.added"; payload: { setId: string; set: Fields } }
  | { action: "backup_set.updated"; payload: { setId: string; changes: Changes } }
  | { action: "backup_set.removed"; payload: { setId: string; set: Fields } };
