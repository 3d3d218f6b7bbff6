type Changes = Record<string, { from: unknown; to: unknown }>;

export type CaseAuditEvent =
  | { action: "case.created"; payload: { reference: string; customerLegalName: string } }
  | { action: "case.updated"; payload: { changes: Changes } }
  | { action: "case.closed"; payload: { reference: string } }
  | { action: "contact.added"; payload: { contactId: string; name: string; email: string; role: string } }
  | { action: "contact.updated"; payload: { contactId: string; changes: Changes } }
  | { action: "contact.removed"; payload: { contactId: string; email: string } }
  | { action: "hardware.added"; payload: { itemId: string; item: Record<string, unknown> } }
  | { action: "hardware.updated"; payload: { itemId: string; changes: Changes } }
  | { action: "hardware.removed"; payload: { itemId: string; item: Record<string, unknown> } }
  | { action: "subscription.added"; payload: { subscriptionId: string; subscription: Record<string, unknown> } }
  | { action: "subscription.updated"; payload: { subscriptionId: string; changes: Changes } }
  | { action: "subscription.removed"; payload: { subscriptionId: string; subscription: Record<string, unknown> } }
  | { action: "backup_job.added"; payload: { jobId: string; job: Record<string, unknown> } }
  | { action: "backup_job.updated"; payload: { jobId: string; changes: Changes } }
  | { action: "backup_job.removed"; payload: { jobId: string; job: Record<string, unknown> } }
  | { action: "backup_set.added"; payload: { setId: string; set: Record<string, unknown> } }
  | { action: "backup_set.updated"; payload: { setId: string; changes: Changes } }
  | { action: "backup_set.removed"; payload: { setId: string; set: Record<string, unknown> } };
