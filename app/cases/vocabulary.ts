// The words of an offboarding case: enum values and their labels for people. The values come from
// db/enums.ts, the lists the schema's enums are made of; this module only labels them. Browser-safe,
// so forms and tables use the same lists the server validates against.
import {
  BACKUP_JOB_STATES,
  BACKUP_SET_DISPOSITIONS,
  BILLING_PARTIES,
  CONTACT_ROLES,
  HARDWARE_CATEGORIES,
  HARDWARE_OWNERS,
  SUBSCRIPTION_PLANS,
} from "../../db/enums";

export { BACKUP_JOB_STATES, BACKUP_SET_DISPOSITIONS, BILLING_PARTIES, CONTACT_ROLES, HARDWARE_CATEGORIES, HARDWARE_OWNERS, SUBSCRIPTION_PLANS };

export type ContactRole = (typeof CONTACT_ROLES)[number];
export const contactRoleLabels: Record<ContactRole, string> = {
  customer_signer: "Customer signer",
  customer_viewer: "Customer viewer",
  provider: "Incoming provider contact",
};

export type HardwareCategory = (typeof HARDWARE_CATEGORIES)[number];
export const hardwareCategoryLabels: Record<HardwareCategory, string> = {
  firewall: "Firewall",
  router: "Router",
  switch: "Switch",
  access_point: "Access point",
  server: "Server",
  storage: "Storage / NAS",
  workstation: "Workstation",
  laptop: "Laptop",
  printer: "Printer",
  phone: "Phone",
  ups: "UPS",
  other: "Other",
};

export type HardwareOwner = (typeof HARDWARE_OWNERS)[number];
export const hardwareOwnerLabels: Record<HardwareOwner, string> = {
  msp: "MSP",
  customer: "Customer",
  third_party_lessor: "Third-party lessor",
};

export type BillingParty = (typeof BILLING_PARTIES)[number];
export const billingPartyLabels: Record<BillingParty, string> = {
  msp: "MSP",
  customer: "Customer",
  incoming_provider: "Incoming provider",
};

export type SubscriptionPlan = (typeof SUBSCRIPTION_PLANS)[number];
export const subscriptionPlanLabels: Record<SubscriptionPlan, string> = {
  transfer_to_customer: "Transfer to customer",
  transfer_to_incoming_provider: "Transfer to incoming provider",
  terminate_on_date: "Terminate on date",
  continue_until_date: "Continue until date",
};
/** Plans that only make sense with a date. */
export const DATED_PLANS: readonly SubscriptionPlan[] = ["terminate_on_date", "continue_until_date"];

export type BackupJobState = (typeof BACKUP_JOB_STATES)[number];
/**
 * What staff may set by hand. "stopped" is reserved: stopping a job goes through the backup
 * interlock (a verified new backup or a signed release), never through an edit form.
 */
export const EDITABLE_BACKUP_JOB_STATES = ["running", "paused"] as const;
export const backupJobStateLabels: Record<BackupJobState, string> = {
  running: "Running",
  paused: "Paused",
  stopped: "Stopped",
};

export type BackupSetDisposition = (typeof BACKUP_SET_DISPOSITIONS)[number];
export const backupSetDispositionLabels: Record<BackupSetDisposition, string> = {
  hand_over: "Hand over",
  retain_until: "Retain until",
  destroy_on: "Destroy on",
};

export const CASE_STAGES = ["intake", "transition", "post_cutover", "closed"] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const caseStageLabels: Record<CaseStage, string> = {
  intake: "Intake",
  transition: "Transition",
  post_cutover: "Post-cutover",
  closed: "Closed",
};

export const CHECKLIST_STATES = ["done", "pending", "blocked", "not_applicable"] as const;
export type ChecklistState = (typeof CHECKLIST_STATES)[number];
export const checklistStateLabels: Record<ChecklistState, string> = {
  done: "Done",
  pending: "Pending",
  blocked: "Blocked",
  not_applicable: "Not applicable",
};

export const NEXT_STEP_OWNERS = ["msp", "customer", "incoming_provider"] as const;
export type NextStepOwner = (typeof NEXT_STEP_OWNERS)[number];
export const nextStepOwnerLabels: Record<NextStepOwner, string> = {
  msp: "MSP staff",
  customer: "Customer",
  incoming_provider: "Incoming provider",
};

export const asOptions = <K extends string>(labels: Record<K, string>, keys: readonly K[]) =>
  keys.map((value) => ({ value, label: labels[value] }));
