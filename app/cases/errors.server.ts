// What the case domain refuses, as typed errors. Routes turn them into HTTP answers
// (app/cases/http.server.ts); the CLI and the demo see them as ordinary exceptions.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** Input a person can correct: one message per field, shown next to it. Nothing was written. */
export class FieldValidationError extends Error {
  override name = "FieldValidationError";
  constructor(readonly errors: FieldErrors) {
    super(`Invalid input: ${Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("; ")}`);
  }
}

/** The case or item does not exist, or does not belong to the case named in the request. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The actor may not do this (wrong role, or not the responsible engineer). */
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

/** A closed case is a record: it is read-only. */
export class CaseClosedError extends Error {
  override name = "CaseClosedError";
  constructor(readonly reference: string) {
    super(`Case ${reference} is closed and can no longer be changed.`);
  }
}

/** Validates with a schema, or throws the field messages a form would show. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    errors[key] ??= issue.message;
  }
  throw new FieldValidationError(errors);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names nothing: it is "not found", never a database error. */
export function assertId(id: string | undefined, what = "Record"): string {
  if (!id || !UUID.test(id)) throw new NotFoundError(`${what} not found`);
  return id.toLowerCase();
}

export const isUuid = (value: string | undefined): value is string => !!value && UUID.test(value);

// ---------------------------------------------------------------------------------------------
// Database constraints: the last line of defence behind zod. When one fires anyway (a race, a
// caller that skipped validation, a rule zod cannot see such as uniqueness), the person gets a
// field message instead of a 500.

const CONSTRAINT_MESSAGES: Record<string, { field: string; message: string }> = {
  cases_reference_unique: { field: "form", message: "That case reference is taken; please submit again." },
  cases_customer_named: { field: "customerLegalName", message: "Enter the departing customer's legal name" },
  cases_provider_named: { field: "incomingProviderName", message: "Enter the incoming provider's company name" },
  cases_time_zone_given: { field: "timeZone", message: "Choose the case's time zone" },
  cases_cutover_after_notice: { field: "cutoverOn", message: "Cutover cannot be before notice was received" },
  cases_access_end_after_cutover: { field: "portalAccessEndsOn", message: "Portal access cannot end before cutover" },
  cases_support_transfer_after_notice: {
    field: "supportTransferPlannedOn",
    message: "The support transfer cannot be planned before notice was received",
  },
  cases_responsible_engineer_id_staff_users_id_fk: {
    field: "responsibleEngineerId",
    message: "Choose an active admin or engineer",
  },
  case_contacts_email_unique: { field: "email", message: "This email address is already a contact of this case" },
  case_contacts_email_shape: { field: "email", message: "Enter a valid email address" },
  case_contacts_named: { field: "name", message: "Enter the contact's name" },
  hardware_items_make_model_given: { field: "makeModel", message: "Enter the make and model" },
  hardware_items_lessor_named: { field: "lessorName", message: "Name the lessor for leased items only" },
  hardware_items_retrieval_only_msp: { field: "retrievalPlan", message: "Only MSP-owned items are retrieved" },
  hardware_items_retrieval_window_complete: {
    field: "retrievalWindowEndsOn",
    message: "Enter both the start and the end of the retrieval window",
  },
  hardware_items_retrieval_window_order: { field: "retrievalWindowEndsOn", message: "The window cannot end before it starts" },
  hardware_items_network_retrieval_after_cutover: {
    field: "retrievalWindowStartsOn",
    message: "MSP-owned network gear is collected on or after cutover unless the customer agreed to an earlier date",
  },
  cases_cutover_before_network_retrieval: {
    field: "cutoverOn",
    message: "MSP-owned network gear is scheduled for retrieval before this date without the customer's agreement: move its retrieval window first",
  },
  subscriptions_vendor_given: { field: "vendor", message: "Enter the vendor" },
  subscriptions_product_given: { field: "product", message: "Enter the product" },
  subscriptions_quantity_positive: { field: "quantity", message: "The quantity is at least 1" },
  subscriptions_cost_not_negative: { field: "monthlyCost", message: "The cost cannot be negative" },
  subscriptions_currency_code: { field: "currency", message: "Enter a three-letter ISO currency code" },
  subscriptions_plan_date_required: { field: "planDate", message: "This plan needs its date" },
  subscriptions_plan_date_needs_plan: { field: "planDate", message: "Choose a plan for this date, or clear it" },
  backup_jobs_system_given: { field: "system", message: "Enter the system being backed up" },
  backup_jobs_scope_given: { field: "scope", message: "Describe what the job covers" },
  backup_jobs_stopped_consistent: { field: "state", message: "A stopped job needs its stop time" },
  backup_sets_description_given: { field: "description", message: "Describe the backup set" },
  backup_sets_size_not_negative: { field: "sizeGb", message: "The size cannot be negative" },
  backup_sets_disposition_dated: { field: "dispositionOn", message: "A disposition needs its date" },
  backup_sets_hand_over_method: { field: "handOverMethod", message: "A hand-over (and only a hand-over) has a method" },
};

interface PgErrorShape {
  code?: string;
  constraint?: string;
  constraint_name?: string;
}

/** Finds the PostgreSQL error under drizzle's wrapper (postgres.js and PGlite name fields differently). */
function pgError(error: unknown): PgErrorShape | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as PgErrorShape & { cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return null;
}

/**
 * Turns an integrity-constraint violation (SQLSTATE class 23) or malformed value (SQLSTATE class 22) into a
 * FieldValidationError; returns null for anything else, which stays a real error.
 */
export function constraintViolation(error: unknown): FieldValidationError | null {
  const pg = pgError(error);
  if (!pg?.code || !(pg.code.startsWith("23") || pg.code.startsWith("22"))) return null;
  const name = pg.constraint ?? pg.constraint_name;
  const known = name ? CONSTRAINT_MESSAGES[name] : undefined;
  if (known) return new FieldValidationError({ [known.field]: known.message });
  return new FieldValidationError({
    form: name
      ? `This change breaks the rule “${name.replaceAll("_", " ")}”. Check the values and try again.`
      : "Some of the values are not acceptable. Check them and try again.",
  });
}
