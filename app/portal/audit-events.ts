export type PortalAuditEvent =
  | { action: "contact.invited"; payload: { contactId: string; email: string; expiresAt: string } }
  | { action: "contact.sign_in_link_requested"; payload: { contactId: string } }
  | { action: "contact.signed_in"; payload: { contactId: string; method: string } }
  | { action: "contact.signed_out"; payload: { contactId: string } }
  | { action: "contact.step_up_code_sent"; payload: { contactId: string } }
  | { action: "contact.step_up_failed"; payload: { contactId: string; attempt: number } }
  | { action: "contact.stepped_up"; payload: { contactId: string; method: string } };
