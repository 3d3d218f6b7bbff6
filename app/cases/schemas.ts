// Input schemas for cases, contacts and inventory: the one validation path for the staff forms,
// the CLI and the demo seed. Each schema is idempotent (its output parses again to the same
// value), so a route can validate a form for field messages and the domain function can validate
// again on entry, which keeps callers that skip the form (demo, CLI, tests) just as safe.
import { z } from "zod";
import {
  BACKUP_JOB_STATES,
  BILLING_PARTIES,
  BACKUP_SET_DISPOSITIONS,
  CONTACT_ROLES,
  DATED_PLANS,
  EDITABLE_BACKUP_JOB_STATES,
  HARDWARE_CATEGORIES,
  HARDWARE_OWNERS,
  SUBSCRIPTION_PLANS,
} from "./vocabulary";
import { calendarDate, wholeNumber } from "../http/values";

const requiredText = (message: string, max = 200) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Keep this under ${max} characters`);

const optionalText = (max = 200) => z.string().trim().max(max, `Keep this under ${max} characters`).optional();

const requiredDate = (message: string) => calendarDate(message);
const optionalDate = () => calendarDate().optional();

/**
 * Cross-field rules run even when another field is missing, so a person sees every problem in
 * one round instead of fixing the form twice. (zod skips them by default after a missing field.)
 */
const crossFieldRules = {
  when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null,
};

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: message });

// ---------------------------------------------------------------------------------------------
// Time zones

let knownTimeZones: Set<string> | null = null;

/** IANA names the runtime knows, plus UTC, which Intl lists only under its aliases. */
export function supportedTimeZones(): string[] {
  knownTimeZones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  return [...knownTimeZones].sort();
}

export function isSupportedTimeZone(name: string): boolean {
  if (!knownTimeZones) supportedTimeZones();
  if (knownTimeZones!.has(name)) return true;
  // Accept an alias (e.g. Asia/Kolkata) that this runtime's ICU lists under another name.
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return knownTimeZones!.has(resolved);
  } catch {
    return false;
  }
}

const timeZone = z
  .string({ error: "Choose the case's time zone" })
  .trim()
  .min(1, "Choose the case's time zone")
  .refine(isSupportedTimeZone, "Choose a time zone from the list (an IANA name such as Europe/Berlin)");

// ---------------------------------------------------------------------------------------------
// Cases

export const caseInput = z
  .object({
    customerLegalName: requiredText("Enter the departing customer's legal name"),
    customerAddress: optionalText(500),
    incomingProviderName: requiredText("Enter the incoming provider's company name"),
    noticeReceivedOn: requiredDate("Enter the date notice was received"),
    cutoverOn: requiredDate("Enter the cutover date"),
    supportTransferPlannedOn: optionalDate(),
    portalAccessEndsOn: requiredDate("Enter the date portal access ends"),
    timeZone,
    responsibleEngineerId: z.uuid({ error: "Choose the responsible engineer" }),
  })
  .superRefine((value, ctx) => {
    const valid = (field: keyof typeof value) => typeof value[field] === "string" && value[field] !== "";
    if (valid("noticeReceivedOn") && valid("cutoverOn") && value.cutoverOn < value.noticeReceivedOn) {
      ctx.addIssue({ code: "custom", path: ["cutoverOn"], message: "Cutover cannot be before notice was received" });
    }
    if (valid("cutoverOn") && valid("portalAccessEndsOn") && value.portalAccessEndsOn < value.cutoverOn) {
      ctx.addIssue({ code: "custom", path: ["portalAccessEndsOn"], message: "Portal access cannot end before cutover" });
    }
    if (
      valid("noticeReceivedOn") &&
      valid("supportTransferPlannedOn") &&
      value.supportTransferPlannedOn! < value.noticeReceivedOn
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["supportTransferPlannedOn"],
        message: "The support transfer cannot be planned before notice was received",
      });
    }
  }, crossFieldRules);
export type CaseInput = z.input<typeof caseInput>;
export type CaseValues = z.output<typeof caseInput>;

export const caseListFilter = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(["open", "closed", "all"]).default("open").catch("open"),
});
export type CaseListFilter = z.input<typeof caseListFilter>;

// ---------------------------------------------------------------------------------------------
// Contacts

export const contactInput = z.object({
  role: choice(CONTACT_ROLES, "Choose the contact's role"),
  name: requiredText("Enter the contact's name"),
  email: z
    .email({ error: "Enter a valid email address" })
    .trim()
    .max(254, "Keep this under 254 characters"),
  phone: optionalText(50),
  jobTitle: optionalText(),
});
export type ContactInput = z.input<typeof contactInput>;

// ---------------------------------------------------------------------------------------------
// Hardware

export const hardwareItemInput = z
  .object({
    category: choice(HARDWARE_CATEGORIES, "Choose a category"),
    makeModel: requiredText("Enter the make and model"),
    serialNumber: optionalText(),
    assetTag: optionalText(),
    location: optionalText(),
    owner: choice(HARDWARE_OWNERS, "Choose who owns the item").optional(),
    lessorName: optionalText(),
    retrievalPlan: optionalText(1000),
    retrievalWindowStartsOn: optionalDate(),
    retrievalWindowEndsOn: optionalDate(),
    notes: optionalText(2000),
  })
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (value.owner === "third_party_lessor" && !value.lessorName) issue("lessorName", "Name the lessor");
    if (value.owner !== "third_party_lessor" && value.lessorName) {
      issue("lessorName", "Only leased items have a lessor: clear this or choose “Third-party lessor”");
    }
    // The MSP only collects what it owns: "don't rip out their firewall because you own it" cuts both ways.
    if (value.owner !== "msp") {
      const message = "Only MSP-owned items are retrieved: clear this or choose owner “MSP”";
      if (value.retrievalPlan) issue("retrievalPlan", message);
      if (value.retrievalWindowStartsOn) issue("retrievalWindowStartsOn", message);
      if (value.retrievalWindowEndsOn) issue("retrievalWindowEndsOn", message);
      return;
    }
    const { retrievalWindowStartsOn: start, retrievalWindowEndsOn: end } = value;
    if (start && !end) issue("retrievalWindowEndsOn", "Enter the end of the retrieval window");
    if (end && !start) issue("retrievalWindowStartsOn", "Enter the start of the retrieval window");
    if (start && end && end < start) issue("retrievalWindowEndsOn", "The window cannot end before it starts");
  }, crossFieldRules);
export type HardwareItemInput = z.input<typeof hardwareItemInput>;

// ---------------------------------------------------------------------------------------------
// Subscriptions

const MAX_MONTHLY_COST = 9_999_999;

// Amounts travel as decimal strings ("1234.50") so no float ever rounds money; stored in cents.
const money = z.preprocess(
  (v) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(2) : v),
  z
    .string({ error: "Enter the monthly cost, e.g. 120.00" })
    .trim()
    .regex(/^\d+(\.\d{1,2})?$/, "Enter an amount such as 120 or 120.50 (no currency sign)")
    // Stored in cents as a 32-bit integer.
    .refine((amount) => Number(amount.split(".")[0]) <= MAX_MONTHLY_COST, "That amount is too large: at most 9,999,999.99 a month"),
);

const currency = z
  .string({ error: "Enter a currency code" })
  .trim()
  .toUpperCase()
  .refine(
    (code) => /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code),
    "Enter a three-letter ISO currency code such as USD or EUR",
  );

export const subscriptionInput = z
  .object({
    vendor: requiredText("Enter the vendor"),
    product: requiredText("Enter the product"),
    quantity: wholeNumber(
      z
        .number({ error: "Enter the quantity as a whole number, e.g. 25" })
        .int("Enter a whole number")
        .min(1, "The quantity is at least 1")
        .max(1_000_000, "That quantity is too large"),
    ),
    billingParty: choice(BILLING_PARTIES, "Choose who is billed"),
    termEndsOn: optionalDate(),
    plan: choice(SUBSCRIPTION_PLANS, "Choose a plan").optional(),
    planDate: optionalDate(),
    monthlyCost: money,
    currency,
    notes: optionalText(2000),
  })
  .superRefine((value, ctx) => {
    if (value.plan && DATED_PLANS.includes(value.plan) && !value.planDate) {
      ctx.addIssue({ code: "custom", path: ["planDate"], message: "This plan needs its date" });
    }
    if (!value.plan && value.planDate) {
      ctx.addIssue({ code: "custom", path: ["planDate"], message: "Choose a plan for this date, or clear it" });
    }
  }, crossFieldRules);
export type SubscriptionInput = z.input<typeof subscriptionInput>;

/** "120.5" → 12050, exactly, without floating point. */
export function moneyToCents(amount: string): number {
  const [whole, fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

export function centsToMoney(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Backups

/** A job's description. Its state changes only through setBackupJobState (the backup interlock). */
export const backupJobDetailsInput = z.object({
  system: requiredText("Enter the system being backed up"),
  scope: requiredText("Describe what the job covers", 1000),
  schedule: requiredText("Enter the schedule, e.g. nightly at 01:00"),
  retention: requiredText("Enter the retention, e.g. 30 daily, 12 monthly"),
});
export type BackupJobDetailsInput = z.input<typeof backupJobDetailsInput>;

const editableJobState = choice(EDITABLE_BACKUP_JOB_STATES, "Choose running or paused");

/** A new job starts running or paused; "stopped" is reached only through the backup interlock. */
export const backupJobInput = backupJobDetailsInput.extend({ state: editableJobState.default("running") });
export type BackupJobInput = z.input<typeof backupJobInput>;

export const backupJobStateInput = z.object({
  state: choice(BACKUP_JOB_STATES, "Choose a state"),
});

export const backupSetInput = z
  .object({
    description: requiredText("Describe the backup set", 500),
    location: requiredText("Enter where the set is stored", 500),
    sizeGb: z.preprocess(
      (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v),
      z
        .string({ error: "Enter the size in GB" })
        .trim()
        .regex(/^\d{1,10}(\.\d{1,2})?$/, "Enter a size in GB such as 250 or 1.5")
        .transform(Number),
    ),
    proposedDisposition: choice(BACKUP_SET_DISPOSITIONS, "Choose a disposition").optional(),
    dispositionOn: optionalDate(),
    handOverMethod: optionalText(500),
  })
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (value.proposedDisposition && !value.dispositionOn) issue("dispositionOn", "This disposition needs its date");
    if (!value.proposedDisposition && value.dispositionOn) issue("dispositionOn", "Choose a disposition for this date, or clear it");
    if (value.proposedDisposition === "hand_over" && !value.handOverMethod) {
      issue("handOverMethod", "Say how the set is handed over, e.g. encrypted USB disk by courier");
    }
    if (value.proposedDisposition !== "hand_over" && value.handOverMethod) {
      issue("handOverMethod", "Only a hand-over has a method: clear this or choose “Hand over”");
    }
  }, crossFieldRules);
export type BackupSetInput = z.input<typeof backupSetInput>;
