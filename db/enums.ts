// The values of every enum in the schema: the one list of each, which db/schema.ts turns into
// PostgreSQL enums and the vocabulary modules label for people. Plain data with no imports, so
// browser code may read it: the one file of db/ that is not server-only.

export const STAFF_ROLES = ["admin", "engineer", "legal"] as const;
export const CASE_STATUSES = ["open", "closed"] as const;
export const CONTACT_ROLES = ["customer_signer", "customer_viewer", "provider"] as const;
export const HARDWARE_CATEGORIES = [
  "firewall",
  "router",
  "switch",
  "access_point",
  "server",
  "storage",
  "workstation",
  "laptop",
  "printer",
  "phone",
  "ups",
  "other",
] as const;
export const HARDWARE_OWNERS = ["msp", "customer", "third_party_lessor"] as const;
export const BILLING_PARTIES = ["msp", "customer", "incoming_provider"] as const;
export const SUBSCRIPTION_PLANS = [
  "transfer_to_customer",
  "transfer_to_incoming_provider",
  "terminate_on_date",
  "continue_until_date",
] as const;
export const BACKUP_JOB_STATES = ["running", "paused", "stopped"] as const;
export const BACKUP_SET_DISPOSITIONS = ["hand_over", "retain_until", "destroy_on"] as const;
export const SIGN_IN_LINK_KINDS = ["invitation", "requested"] as const;
export const ACTOR_TYPES = ["staff", "contact", "system"] as const;
export const CHECKPOINT_REASONS = ["waiver_sealed", "case_closed", "scheduled", "on_demand", "demo_seed"] as const;
// undecryptable: the sealed body did not open under the database's master key; kept for an operator.
export const OUTBOX_STATUSES = ["pending", "sent", "failed", "undecryptable"] as const;
export const WAIVER_STATUSES = ["draft", "sent", "signed", "declined", "withdrawn"] as const;
export const WAIVER_TEXT_KINDS = ["waiver_template", "esign_disclosure"] as const;
export const SIGNATURE_METHODS = ["drawn", "typed"] as const;
export const CREDENTIAL_AUDIENCES = ["customer", "incoming_provider", "both"] as const;
export const BACKUP_REPORT_STATUSES = ["submitted", "verified", "rejected"] as const;
export const BACKUP_REMINDER_KINDS = ["waiver_signer", "cutover_warning"] as const;
export const LIST_KINDS = ["hardware", "subscriptions"] as const;
export const MSP_ACCESS_KINDS = [
  "rmm_agent",
  "security_agent",
  "technician_account",
  "admin_account",
  "partner_relationship",
  "vpn_account",
  "api_key",
  "remote_support_tool",
  "other",
] as const;
export const MSP_ACCESS_CONFIRMATIONS = ["confirmed", "disputed"] as const;
