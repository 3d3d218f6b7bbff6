// The one source of truth for Handover's data. Migrations in db/migrations are generated from this
// file by drizzle-kit; triggers and functions live in custom migrations beside them.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  ACTOR_TYPES,
  BACKUP_JOB_STATES,
  BACKUP_REMINDER_KINDS,
  BACKUP_REPORT_STATUSES,
  BACKUP_SET_DISPOSITIONS,
  BILLING_PARTIES,
  CASE_STATUSES,
  CHECKPOINT_REASONS,
  CONTACT_ROLES,
  CREDENTIAL_AUDIENCES,
  HARDWARE_CATEGORIES,
  HARDWARE_OWNERS,
  LIST_KINDS,
  MSP_ACCESS_CONFIRMATIONS,
  MSP_ACCESS_KINDS,
  OUTBOX_STATUSES,
  SIGNATURE_METHODS,
  SIGN_IN_LINK_KINDS,
  STAFF_ROLES,
  SUBSCRIPTION_PLANS,
  WAIVER_STATUSES,
  WAIVER_TEXT_KINDS,
} from "./enums";

// drizzle-orm has no bytea builder; PGlite returns Uint8Array and postgres.js a Buffer.
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
  toDriver: (value) => Buffer.from(value),
});

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

// ---------------------------------------------------------------------------------------------
// MSP profile: one row (id = 1) used for branding the portal, PDFs and emails.

export const mspProfile = pgTable(
  "msp_profile",
  {
    id: integer("id").primaryKey().default(1),
    legalName: text("legal_name").notNull(),
    address: text("address").notNull().default(""),
    contactEmail: text("contact_email").notNull().default(""),
    contactPhone: text("contact_phone").notNull().default(""),
    accentColor: text("accent_color").notNull().default("#1d4ed8"),
    logo: bytea("logo"),
    logoContentType: text("logo_content_type"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("msp_profile_singleton", sql`${t.id} = 1`),
    check("msp_profile_accent_hex", sql`${t.accentColor} ~ '^#[0-9a-fA-F]{6}$'`),
    check(
      "msp_profile_logo_type",
      sql`(${t.logo} is null) = (${t.logoContentType} is null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Staff

export const staffRole = pgEnum("staff_role", STAFF_ROLES);

export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: staffRole("role").notNull(),
    passwordHash: text("password_hash"),
    // TOTP seed, AES-256-GCM encrypted under a key derived from the master key (never plain text).
    totpSecretCiphertext: bytea("totp_secret_ciphertext"),
    totpEnabledAt: instant("totp_enabled_at"),
    totpLastUsedStep: bigint("totp_last_used_step", { mode: "number" }),
    deactivatedAt: instant("deactivated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("staff_users_email_unique").on(sql`lower(${t.email})`),
    check("staff_users_email_shape", sql`${t.email} ~ '^[^@\\s]+@[^@\\s]+$'`),
    check(
      "staff_users_totp_enabled_needs_secret",
      sql`${t.totpEnabledAt} is null or ${t.totpSecretCiphertext} is not null`,
    ),
  ],
);

/** One-time links that let a new staff member set a password (and then enrol TOTP). */
export const staffSetupTokens = pgTable(
  "staff_setup_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    expiresAt: instant("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("staff_setup_tokens_user_idx").on(t.userId)],
);

export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    usedAt: instant("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_recovery_codes_user_idx").on(t.userId)],
);

/**
 * Staff sessions are rows so that "sign out everywhere" and deactivation revoke at once.
 * The cookie carries a random token; only its SHA-256 is stored as the id.
 */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    // false while the password was accepted but the second factor is still due.
    secondFactorDone: boolean("second_factor_done").notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    steppedUpAt: instant("stepped_up_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("staff_sessions_user_idx").on(t.userId)],
);

/**
 * Fixed-window counters for throttling, kept in the database so that they hold across app instances.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStartedAt: instant("window_started_at").notNull(),
  hits: integer("hits").notNull(),
  blockedUntil: instant("blocked_until"),
});

// ---------------------------------------------------------------------------------------------
// Offboarding cases

export const caseStatus = pgEnum("case_status", CASE_STATUSES);

/** Per-year counters behind human case references (HO-2026-0001); the row lock makes numbers unique. */
export const caseReferenceCounters = pgTable(
  "case_reference_counters",
  {
    year: integer("year").primaryKey(),
    lastNumber: integer("last_number").notNull(),
  },
  (t) => [check("case_reference_counters_positive", sql`${t.lastNumber} > 0`)],
);

export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    customerLegalName: text("customer_legal_name").notNull(),
    customerAddress: text("customer_address").notNull().default(""),
    incomingProviderName: text("incoming_provider_name").notNull(),
    noticeReceivedOn: date("notice_received_on", { mode: "string" }).notNull(),
    cutoverOn: date("cutover_on", { mode: "string" }).notNull(),
    supportTransferPlannedOn: date("support_transfer_planned_on", { mode: "string" }),
    portalAccessEndsOn: date("portal_access_ends_on", { mode: "string" }).notNull(),
    timeZone: text("time_zone").notNull(),
    responsibleEngineerId: uuid("responsible_engineer_id")
      .notNull()
      .references(() => staffUsers.id),
    status: caseStatus("status").notNull().default("open"),
    closedAt: instant("closed_at"),
    closedById: uuid("closed_by_id").references(() => staffUsers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cases_reference_unique").on(t.reference),
    check("cases_reference_shape", sql`${t.reference} ~ '^HO-[0-9]{4}-[0-9]{4,}$'`),
    check("cases_customer_named", sql`btrim(${t.customerLegalName}) <> ''`),
    check("cases_provider_named", sql`btrim(${t.incomingProviderName}) <> ''`),
    check("cases_time_zone_given", sql`btrim(${t.timeZone}) <> ''`),
    check("cases_cutover_after_notice", sql`${t.cutoverOn} >= ${t.noticeReceivedOn}`),
    check("cases_access_end_after_cutover", sql`${t.portalAccessEndsOn} >= ${t.cutoverOn}`),
    check(
      "cases_support_transfer_after_notice",
      sql`${t.supportTransferPlannedOn} is null or ${t.supportTransferPlannedOn} >= ${t.noticeReceivedOn}`,
    ),
    check(
      "cases_closed_consistent",
      sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.closedById} is not null)`,
    ),
    index("cases_status_idx").on(t.status, t.cutoverOn),
  ],
);

export const contactRole = pgEnum("contact_role", CONTACT_ROLES);

/** People outside the MSP who take part in a case: the departing customer's and the incoming provider's. */
export const caseContacts = pgTable(
  "case_contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    role: contactRole("role").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone").notNull().default(""),
    jobTitle: text("job_title").notNull().default(""),
    removedAt: instant("removed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("case_contacts_email_unique")
      .on(t.caseId, sql`lower(${t.email})`)
      .where(sql`${t.removedAt} is null`),
    index("case_contacts_email_idx").on(sql`lower(${t.email})`),
    index("case_contacts_case_idx").on(t.caseId),
    check("case_contacts_email_shape", sql`${t.email} ~ '^[^@\\s]+@[^@\\s]+$'`),
    check("case_contacts_named", sql`btrim(${t.name}) <> ''`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Inventory

export const hardwareCategory = pgEnum("hardware_category", HARDWARE_CATEGORIES);
export const hardwareOwner = pgEnum("hardware_owner", HARDWARE_OWNERS);

export const hardwareItems = pgTable(
  "hardware_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    category: hardwareCategory("category").notNull(),
    makeModel: text("make_model").notNull(),
    serialNumber: text("serial_number").notNull().default(""),
    assetTag: text("asset_tag").notNull().default(""),
    location: text("location").notNull().default(""),
    // Null while the owner is not yet confirmed; the checklist asks for it.
    owner: hardwareOwner("owner"),
    lessorName: text("lessor_name"),
    // Retrieval applies to MSP-owned items only: the window in which the MSP collects them, and how.
    retrievalPlan: text("retrieval_plan"),
    retrievalWindowStartsOn: date("retrieval_window_starts_on", { mode: "string" }),
    retrievalWindowEndsOn: date("retrieval_window_ends_on", { mode: "string" }),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("hardware_items_case_idx").on(t.caseId),
    check("hardware_items_make_model_given", sql`btrim(${t.makeModel}) <> ''`),
    // coalesce: an unknown owner (null) must count as "not a lessor" / "not the MSP", not as unknown.
    check(
      "hardware_items_lessor_named",
      sql`coalesce(${t.owner} = 'third_party_lessor', false) = (${t.lessorName} is not null and btrim(${t.lessorName}) <> '')`,
    ),
    check(
      "hardware_items_retrieval_only_msp",
      sql`coalesce(${t.owner} = 'msp', false) or (${t.retrievalPlan} is null and ${t.retrievalWindowStartsOn} is null and ${t.retrievalWindowEndsOn} is null)`,
    ),
    check(
      "hardware_items_retrieval_window_complete",
      sql`(${t.retrievalWindowStartsOn} is null) = (${t.retrievalWindowEndsOn} is null)`,
    ),
    check(
      "hardware_items_retrieval_window_order",
      sql`${t.retrievalWindowEndsOn} is null or ${t.retrievalWindowStartsOn} is null or ${t.retrievalWindowEndsOn} >= ${t.retrievalWindowStartsOn}`,
    ),
  ],
);

export const billingParty = pgEnum("billing_party", BILLING_PARTIES);
export const subscriptionPlan = pgEnum("subscription_plan", SUBSCRIPTION_PLANS);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    vendor: text("vendor").notNull(),
    product: text("product").notNull(),
    quantity: integer("quantity").notNull(),
    billingParty: billingParty("billing_party").notNull(),
    termEndsOn: date("term_ends_on", { mode: "string" }),
    // Null while the transition is not decided; the checklist asks for it.
    plan: subscriptionPlan("plan"),
    // The date the plan takes effect: required for "terminate on" and "continue until".
    planDate: date("plan_date", { mode: "string" }),
    monthlyCostCents: integer("monthly_cost_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_case_idx").on(t.caseId),
    check("subscriptions_vendor_given", sql`btrim(${t.vendor}) <> ''`),
    check("subscriptions_product_given", sql`btrim(${t.product}) <> ''`),
    check("subscriptions_quantity_positive", sql`${t.quantity} > 0`),
    check("subscriptions_cost_not_negative", sql`${t.monthlyCostCents} >= 0`),
    check("subscriptions_currency_code", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      "subscriptions_plan_date_required",
      sql`${t.plan} is null or ${t.plan} in ('transfer_to_customer', 'transfer_to_incoming_provider') or ${t.planDate} is not null`,
    ),
    check(
      "subscriptions_plan_date_needs_plan",
      sql`${t.plan} is not null or ${t.planDate} is null`,
    ),
  ],
);

export const backupJobState = pgEnum("backup_job_state", BACKUP_JOB_STATES);

export const backupJobs = pgTable(
  "backup_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    system: text("system").notNull(),
    scope: text("scope").notNull(),
    schedule: text("schedule").notNull(),
    retention: text("retention").notNull(),
    state: backupJobState("state").notNull().default("running"),
    stoppedAt: instant("stopped_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("backup_jobs_case_idx").on(t.caseId),
    check("backup_jobs_system_given", sql`btrim(${t.system}) <> ''`),
    check("backup_jobs_scope_given", sql`btrim(${t.scope}) <> ''`),
    check("backup_jobs_stopped_consistent", sql`(${t.state} = 'stopped') = (${t.stoppedAt} is not null)`),
  ],
);

export const backupSetDisposition = pgEnum("backup_set_disposition", BACKUP_SET_DISPOSITIONS);

export const backupSets = pgTable(
  "backup_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    description: text("description").notNull(),
    location: text("location").notNull(),
    sizeGb: numeric("size_gb", { precision: 12, scale: 2, mode: "number" }).notNull(),
    // Null while no disposition is proposed; the checklist asks for it.
    proposedDisposition: backupSetDisposition("proposed_disposition"),
    // hand_over: the date of hand-over; retain_until / destroy_on: that date.
    dispositionOn: date("disposition_on", { mode: "string" }),
    handOverMethod: text("hand_over_method"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("backup_sets_case_idx").on(t.caseId),
    check("backup_sets_description_given", sql`btrim(${t.description}) <> ''`),
    check("backup_sets_size_not_negative", sql`${t.sizeGb} >= 0`),
    check(
      "backup_sets_disposition_dated",
      sql`(${t.proposedDisposition} is null) = (${t.dispositionOn} is null)`,
    ),
    check(
      "backup_sets_hand_over_method",
      sql`coalesce(${t.proposedDisposition} = 'hand_over', false) = (${t.handOverMethod} is not null and btrim(${t.handOverMethod}) <> '')`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// External parties: magic links, sessions and step-up codes for case contacts

export const signInLinkKind = pgEnum("sign_in_link_kind", SIGN_IN_LINK_KINDS);

/** Emailed sign-in links. Only the token's SHA-256 is stored; the row is deleted when used. */
export const contactSignInLinks = pgTable(
  "contact_sign_in_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    kind: signInLinkKind("kind").notNull(),
    expiresAt: instant("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("contact_sign_in_links_contact_idx").on(t.contactId)],
);

/** A contact's session is bound to one contact of one case. */
export const contactSessions = pgTable(
  "contact_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    steppedUpAt: instant("stepped_up_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("contact_sessions_contact_idx").on(t.contactId), index("contact_sessions_case_idx").on(t.caseId)],
);

/** The 6-digit code emailed for a step-up; one live code per session. */
export const contactStepUpCodes = pgTable(
  "contact_step_up_codes",
  {
    sessionIdHash: text("session_id_hash")
      .primaryKey()
      .references(() => contactSessions.idHash, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: instant("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [check("contact_step_up_codes_attempts", sql`${t.attempts} between 0 and 5`)],
);

// ---------------------------------------------------------------------------------------------
// Audit trail: append-only, hash-chained. A custom migration installs triggers that reject
// UPDATE, DELETE and TRUNCATE.

export const actorType = pgEnum("actor_type", ACTOR_TYPES);

export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    occurredAt: instant("occurred_at").notNull(),
    actorType: actorType("actor_type").notNull(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    caseId: uuid("case_id"),
    action: text("action").notNull(),
    payload: jsonb("payload").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_case_idx").on(t.caseId, t.seq),
    uniqueIndex("audit_events_hash_unique").on(t.hash),
    check("audit_events_seq_positive", sql`${t.seq} > 0`),
    check("audit_events_hash_shape", sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Signed checkpoints of the audit chain's head (app/audit/checkpoints.server.ts, decision 010):
 * each is a JWS (ES256) over {number, seq, head, headAt, time, prev}, where prev is the SHA-256 of
 * the previous checkpoint's JWS. Copies are written as files outside the database, so that a
 * rewrite of the chain by someone with database access is caught. Append-only (custom migration).
 */
export const checkpointReason = pgEnum("checkpoint_reason", CHECKPOINT_REASONS);

export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    number: bigint("number", { mode: "number" }).primaryKey(),
    auditSeq: bigint("audit_seq", { mode: "number" }).notNull(),
    headHash: text("head_hash").notNull(),
    signedAt: instant("signed_at").notNull(),
    prevHash: text("prev_hash").notNull(),
    kid: text("kid").notNull(),
    reason: checkpointReason("reason").notNull(),
    jws: text("jws").notNull(),
  },
  (t) => [
    uniqueIndex("audit_checkpoints_seq_unique").on(t.auditSeq),
    check("audit_checkpoints_number_positive", sql`${t.number} > 0`),
    check("audit_checkpoints_seq_positive", sql`${t.auditSeq} > 0`),
    check("audit_checkpoints_hash_shape", sql`${t.headHash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Every public key that ever signed a checkpoint, kept after the key changes so that old
 * checkpoints stay verifiable and /.well-known/jwks.json keeps publishing them. Append-only.
 */
export const auditCheckpointKeys = pgTable("audit_checkpoint_keys", {
  kid: text("kid").primaryKey(),
  publicJwk: jsonb("public_jwk").notNull(),
  firstUsedAt: instant("first_used_at").notNull().defaultNow(),
});

/**
 * Every public key that ever signed a signing receipt (app/signing/receipt.server.ts), kept after
 * the key changes so that receipts issued before keep verifying at /.well-known/jwks.json, on any
 * instance. Append-only, like the checkpoint keys.
 */
export const receiptKeys = pgTable("receipt_keys", {
  kid: text("kid").primaryKey(),
  publicJwk: jsonb("public_jwk").notNull(),
  firstUsedAt: instant("first_used_at").notNull().defaultNow(),
});

/**
 * One row: which master key this database's secrets are sealed under, as a key check value
 * (app/crypto/master-key-check.server.ts). An instance whose configured key gives another value
 * refuses to start instead of sealing with a key the others cannot open. Rotation rewrites it in
 * its transaction.
 */
export const masterKeyCheck = pgTable(
  "master_key_check",
  {
    id: integer("id").primaryKey().default(1),
    keyId: text("key_id").notNull(),
    checkValue: bytea("check_value").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("master_key_check_singleton", sql`${t.id} = 1`),
    check("master_key_check_value_length", sql`octet_length(${t.checkValue}) = 32`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Email outbox and scheduled jobs (app/mail, app/jobs)

export const outboxStatus = pgEnum("outbox_status", OUTBOX_STATUSES);

/**
 * Transactional outbox: an email is written in the transaction of the change that causes it, and a
 * worker delivers it afterwards. The rendered body may hold a sign-in link or a code, so it is
 * sealed (AES-256-GCM, bound to the row id) and removed once the message is delivered or given up;
 * a body that does not open is kept (status undecryptable). Subjects never hold secrets. See docs/decisions/003-email-outbox.md.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").references(() => cases.id),
    template: text("template").notNull(),
    recipientName: text("recipient_name").notNull().default(""),
    recipientAddress: text("recipient_address").notNull(),
    subject: text("subject").notNull(),
    sealedBody: bytea("sealed_body"),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    // A message that is useless after a moment (a 10-minute code) is dropped, not sent late.
    deliverBy: instant("deliver_by"),
    // A worker owns a claimed message until its lease expires; the token proves which claim it holds.
    claimToken: uuid("claim_token"),
    leaseExpiresAt: instant("lease_expires_at"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_messages_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("outbox_messages_case_idx").on(t.caseId),
    index("outbox_messages_created_idx").on(t.createdAt),
    check("outbox_messages_attempts_not_negative", sql`${t.attempts} >= 0`),
    check("outbox_messages_sent_consistent", sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
    check("outbox_messages_pending_has_body", sql`${t.status} <> 'pending' or ${t.sealedBody} is not null`),
    // A body that did not open is kept for an operator, never dropped. Compared as text: a value
    // added to the enum cannot be used in the transaction that adds it (the migration's).
    check("outbox_messages_undecryptable_kept", sql`${t.status}::text <> 'undecryptable' or ${t.sealedBody} is not null`),
  ],
);

/**
 * One row per recurring job named in app/jobs: when it runs next and who runs it now. Instances
 * claim a due row atomically, so each run happens on one instance only.
 */
export const scheduledJobs = pgTable("scheduled_jobs", {
  name: text("name").primaryKey(),
  nextRunAt: instant("next_run_at").notNull(),
  claimToken: uuid("claim_token"),
  leaseExpiresAt: instant("lease_expires_at"),
  lastStartedAt: instant("last_started_at"),
  lastFinishedAt: instant("last_finished_at"),
  lastError: text("last_error"),
  runCount: integer("run_count").notNull().default(0),
});

// ---------------------------------------------------------------------------------------------
// Backup release waiver (app/waiver) — the core the backup interlock relies on. A waiver request
// names the backup jobs it releases; once signed, those jobs may be stopped.

export const waiverStatus = pgEnum("waiver_status", WAIVER_STATUSES);

export const waiverTextKind = pgEnum("waiver_text_kind", WAIVER_TEXT_KINDS);

/**
 * Published versions of the waiver template and of the electronic-records disclosure. A version
 * never changes once published (a custom migration refuses UPDATE and DELETE); a waiver names the
 * versions it was sent and signed under.
 */
export const waiverTextVersions = pgTable(
  "waiver_text_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: waiverTextKind("kind").notNull(),
    version: integer("version").notNull(),
    body: text("body").notNull(),
    sha256: text("sha256").notNull(),
    note: text("note").notNull().default(""),
    // Null for the built-in first versions that ship with Handover.
    publishedById: uuid("published_by_id").references(() => staffUsers.id),
    publishedByLabel: text("published_by_label").notNull(),
    publishedAt: instant("published_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("waiver_text_versions_number_unique").on(t.kind, t.version),
    check("waiver_text_versions_number_positive", sql`${t.version} > 0`),
    check("waiver_text_versions_sha256_matches", sql`${t.sha256} = encode(sha256(convert_to(${t.body}, 'UTF8')), 'hex')`),
  ],
);

export const waivers = pgTable(
  "waivers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    status: waiverStatus("status").notNull().default("draft"),
    /** The date after which the MSP's backups may stop. */
    backupsStopAfter: date("backups_stop_after", { mode: "string" }).notNull(),
    preparedById: uuid("prepared_by_id")
      .notNull()
      .references(() => staffUsers.id),
    sentAt: instant("sent_at"),
    signedAt: instant("signed_at"),
    declinedAt: instant("declined_at"),
    withdrawnAt: instant("withdrawn_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // The signing ceremony (app/waiver). Nullable: a draft is not pinned to anything yet.
    signerContactId: uuid("signer_contact_id").references(() => caseContacts.id),
    templateVersionId: uuid("template_version_id").references(() => waiverTextVersions.id),
    disclosureVersionId: uuid("disclosure_version_id").references(() => waiverTextVersions.id),
    /** What the document says about the case (parties, jobs, dispositions), frozen when it is sent. */
    terms: jsonb("terms"),
    /** The waiver as sent (no signature): what the signer previews, and whose hash the seal cites. */
    unsignedPdf: bytea("unsigned_pdf"),
    unsignedSha256: text("unsigned_sha256"),
    firstViewedAt: instant("first_viewed_at"),
    declineReason: text("decline_reason"),
    withdrawReason: text("withdraw_reason"),
    // A signature being sealed: the request that holds the claim until it expires seals it.
    signingToken: uuid("signing_token"),
    signingClaimedUntil: instant("signing_claimed_until"),
    // The database session of the request sealing it (pg_backend_pid and that session's start, so a
    // reused pid is not mistaken for it): when that session ends, because the process died or lost
    // its connection, the claim is void at once instead of when it expires.
    signingClaimPid: integer("signing_claim_pid"),
    signingClaimSessionStart: instant("signing_claim_session_start"),
  },
  (t) => [
    index("waivers_case_idx").on(t.caseId),
    check("waivers_signed_has_time", sql`(${t.status} = 'signed') = (${t.signedAt} is not null)`),
    // The target of composite foreign keys that keep a signature or consent inside its case.
    uniqueIndex("waivers_id_case_unique").on(t.id, t.caseId),
    check(
      "waivers_unsigned_pdf_hash",
      sql`(${t.unsignedPdf} is null) = (${t.unsignedSha256} is null) and (${t.unsignedPdf} is null or ${t.unsignedSha256} = encode(sha256(${t.unsignedPdf}), 'hex'))`,
    ),
    check("waivers_signing_claim_whole", sql`(${t.signingToken} is null) = (${t.signingClaimedUntil} is null)`),
  ],
);

/** The backup jobs a waiver releases. */
export const waiverBackupJobs = pgTable(
  "waiver_backup_jobs",
  {
    waiverId: uuid("waiver_id")
      .notNull()
      .references(() => waivers.id),
    backupJobId: uuid("backup_job_id")
      .notNull()
      .references(() => backupJobs.id),
  },
  (t) => [primaryKey({ columns: [t.waiverId, t.backupJobId] }), index("waiver_backup_jobs_job_idx").on(t.backupJobId)],
);

/** What the waiver agrees for each historical backup set: hand over (how, when), keep until, or destroy on. */
export const waiverBackupSets = pgTable(
  "waiver_backup_sets",
  {
    waiverId: uuid("waiver_id")
      .notNull()
      .references(() => waivers.id),
    backupSetId: uuid("backup_set_id")
      .notNull()
      .references(() => backupSets.id),
    disposition: backupSetDisposition("disposition").notNull(),
    dispositionOn: date("disposition_on", { mode: "string" }).notNull(),
    handOverMethod: text("hand_over_method"),
  },
  (t) => [
    primaryKey({ columns: [t.waiverId, t.backupSetId] }),
    index("waiver_backup_sets_set_idx").on(t.backupSetId),
    check(
      "waiver_backup_sets_hand_over_method",
      sql`(${t.disposition} = 'hand_over') = (${t.handOverMethod} is not null and btrim(${t.handOverMethod}) <> '')`,
    ),
  ],
);

/** ESIGN/UETA consent to electronic records, given by the signer for one waiver under one disclosure version. */
export const waiverConsents = pgTable(
  "waiver_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    waiverId: uuid("waiver_id").notNull(),
    caseId: uuid("case_id").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    disclosureVersionId: uuid("disclosure_version_id")
      .notNull()
      .references(() => waiverTextVersions.id),
    disclosureSha256: text("disclosure_sha256").notNull(),
    consentedAt: instant("consented_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    withdrawnAt: instant("withdrawn_at"),
  },
  (t) => [
    foreignKey({ name: "waiver_consents_waiver_fk", columns: [t.waiverId, t.caseId], foreignColumns: [waivers.id, waivers.caseId] }),
    uniqueIndex("waiver_consents_one_live").on(t.waiverId, t.contactId).where(sql`${t.withdrawnAt} is null`),
    check("waiver_consents_sha256_shape", sql`${t.disclosureSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

export const signatureMethod = pgEnum("signature_method", SIGNATURE_METHODS);

/**
 * The signature and its seal: one row per waiver (the primary key makes a second seal impossible),
 * written in the transaction that marks the waiver signed. Append-only (custom migration).
 */
export const waiverSignatures = pgTable(
  "waiver_signatures",
  {
    waiverId: uuid("waiver_id").primaryKey(),
    caseId: uuid("case_id").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    signerName: text("signer_name").notNull(),
    signerEmail: text("signer_email").notNull(),
    method: signatureMethod("method").notNull(),
    drawnSignature: bytea("drawn_signature"),
    intentStatement: text("intent_statement").notNull(),
    authentication: text("authentication").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    timeZone: text("time_zone").notNull(),
    signedAt: instant("signed_at").notNull(),
    auditHeadSeq: bigint("audit_head_seq", { mode: "number" }).notNull(),
    auditHeadHash: text("audit_head_hash").notNull(),
    unsignedSha256: text("unsigned_sha256").notNull(),
    sealedPdf: bytea("sealed_pdf").notNull(),
    sealedSha256: text("sealed_sha256").notNull(),
    sealedAt: instant("sealed_at").notNull(),
    certificateFingerprint: text("certificate_fingerprint").notNull(),
    receiptJws: text("receipt_jws").notNull(),
  },
  (t) => [
    foreignKey({ name: "waiver_signatures_waiver_fk", columns: [t.waiverId, t.caseId], foreignColumns: [waivers.id, waivers.caseId] }),
    uniqueIndex("waiver_signatures_sealed_sha256_unique").on(t.sealedSha256),
    index("waiver_signatures_case_idx").on(t.caseId),
    check("waiver_signatures_sealed_hash", sql`${t.sealedSha256} = encode(sha256(${t.sealedPdf}), 'hex')`),
    check("waiver_signatures_unsigned_hash_shape", sql`${t.unsignedSha256} ~ '^[0-9a-f]{64}$'`),
    check("waiver_signatures_drawn_has_image", sql`(${t.method} = 'drawn') = (${t.drawnSignature} is not null)`),
    check("waiver_signatures_named", sql`btrim(${t.signerName}) <> ''`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Credential vault (app/vault): each case has a random data key, stored only wrapped by the
// master key; every secret field is AES-256-GCM under that data key, bound to its case, credential
// and field. See docs/decisions/005-credential-encryption.md.

export const credentialAudience = pgEnum("credential_audience", CREDENTIAL_AUDIENCES);

/** One row per case that holds credentials: its wrapped data key and the hand-over facts. */
export const caseVaults = pgTable(
  "case_vaults",
  {
    caseId: uuid("case_id")
      .primaryKey()
      .references(() => cases.id),
    // Null once destroyed at the end of portal access: the ciphertexts can never be opened again.
    wrappedDataKey: bytea("wrapped_data_key"),
    // Fingerprint of the master key that wrapped it (not secret): `keys:rotate` moves every row on.
    masterKeyId: text("master_key_id"),
    keysReceivedAt: instant("keys_received_at"),
    keysReceivedByContactId: uuid("keys_received_by_contact_id").references(() => caseContacts.id),
    keysReceivedByLabel: text("keys_received_by_label"),
    lastKeysReminderAt: instant("last_keys_reminder_at"),
    purgedAt: instant("purged_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("case_vaults_key_consistent", sql`(${t.wrappedDataKey} is null) = (${t.masterKeyId} is null)`),
    check("case_vaults_purged_has_no_key", sql`(${t.purgedAt} is null) = (${t.wrappedDataKey} is not null)`),
    check(
      "case_vaults_keys_received_consistent",
      sql`(${t.keysReceivedAt} is null) = (${t.keysReceivedByLabel} is null)`,
    ),
  ],
);

/**
 * A credential handed over with the case. Name, category, URL and username are kept in clear (the
 * lists need them); the secret, the TOTP seed (as an otpauth URI) and the notes are ciphertexts.
 */
export const credentials = pgTable(
  "credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => caseVaults.caseId),
    name: text("name").notNull(),
    category: text("category").notNull().default(""),
    url: text("url").notNull().default(""),
    username: text("username").notNull().default(""),
    secretCiphertext: bytea("secret_ciphertext"),
    totpCiphertext: bytea("totp_ciphertext"),
    notesCiphertext: bytea("notes_ciphertext"),
    // Who receives it; null while staff have not decided.
    releaseTo: credentialAudience("release_to"),
    // The rotation record: the scrub gate releases only credentials rotated on or after notice.
    rotatedOn: date("rotated_on", { mode: "string" }),
    rotationMethod: text("rotation_method"),
    rotatedById: uuid("rotated_by_id").references(() => staffUsers.id),
    rotatedByLabel: text("rotated_by_label"),
    rotationRecordedAt: instant("rotation_recorded_at"),
    purgedAt: instant("purged_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("credentials_case_idx").on(t.caseId),
    check("credentials_named", sql`btrim(${t.name}) <> ''`),
    check("credentials_secret_until_purged", sql`(${t.purgedAt} is null) = (${t.secretCiphertext} is not null)`),
    check(
      "credentials_purged_empty",
      sql`${t.purgedAt} is null or (${t.totpCiphertext} is null and ${t.notesCiphertext} is null)`,
    ),
    check(
      "credentials_rotation_complete",
      sql`(${t.rotatedOn} is null) = (${t.rotationMethod} is null) and (${t.rotatedOn} is null) = (${t.rotatedByLabel} is null) and (${t.rotatedOn} is null) = (${t.rotationRecordedAt} is null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Backup transition (app/backups): the incoming provider's first successful backup per job, with
// its evidence, and who verified it. A verified report (or a signed waiver) is what lets the MSP
// stop a job; a trigger in a custom migration enforces that rule on backup_jobs, and another
// keeps reports unchanged once reviewed.

export const backupReportStatus = pgEnum("backup_report_status", BACKUP_REPORT_STATUSES);

export const backupReports = pgTable(
  "backup_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    backupJobId: uuid("backup_job_id")
      .notNull()
      .references(() => backupJobs.id),
    status: backupReportStatus("status").notNull().default("submitted"),
    /** When the incoming provider's backup completed successfully. */
    completedAt: instant("completed_at").notNull(),
    /** The provider's backup system, e.g. "Veeam B&R 12 on BH-VBR01". */
    providerSystem: text("provider_system").notNull(),
    jobReference: text("job_reference").notNull(),
    notes: text("notes").notNull().default(""),
    evidenceFilename: text("evidence_filename").notNull(),
    /** Decided from the file's bytes, never from what the browser claimed. */
    evidenceContentType: text("evidence_content_type").notNull(),
    evidenceSize: integer("evidence_size").notNull(),
    evidenceSha256: text("evidence_sha256").notNull(),
    evidence: bytea("evidence").notNull(),
    reportedByContactId: uuid("reported_by_contact_id").references(() => caseContacts.id),
    reportedByLabel: text("reported_by_label").notNull(),
    reportedAt: instant("reported_at").notNull().defaultNow(),
    reviewedAt: instant("reviewed_at"),
    reviewedByStaffId: uuid("reviewed_by_staff_id").references(() => staffUsers.id),
    reviewedByContactId: uuid("reviewed_by_contact_id").references(() => caseContacts.id),
    reviewedByLabel: text("reviewed_by_label"),
    rejectionReason: text("rejection_reason"),
  },
  (t) => [
    index("backup_reports_case_idx").on(t.caseId, t.reportedAt),
    index("backup_reports_job_idx").on(t.backupJobId),
    // One live report per job: a new report only after the previous one was rejected.
    uniqueIndex("backup_reports_one_live_per_job").on(t.backupJobId).where(sql`${t.status} <> 'rejected'`),
    check("backup_reports_provider_system_given", sql`btrim(${t.providerSystem}) <> ''`),
    check("backup_reports_job_reference_given", sql`btrim(${t.jobReference}) <> ''`),
    check(
      "backup_reports_evidence_type",
      sql`${t.evidenceContentType} in ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')`,
    ),
    check(
      "backup_reports_evidence_size",
      sql`${t.evidenceSize} = octet_length(${t.evidence}) and ${t.evidenceSize} between 1 and 10485760`,
    ),
    check("backup_reports_evidence_hash", sql`${t.evidenceSha256} = encode(sha256(${t.evidence}), 'hex')`),
    check(
      "backup_reports_reviewed_consistent",
      sql`(${t.status} = 'submitted') = (${t.reviewedAt} is null and ${t.reviewedByLabel} is null)`,
    ),
    check(
      "backup_reports_reviewer_one",
      sql`${t.status} = 'submitted' or num_nonnulls(${t.reviewedByStaffId}, ${t.reviewedByContactId}) <= 1`,
    ),
    check(
      "backup_reports_rejection_reason",
      sql`(${t.status} = 'rejected') = (${t.rejectionReason} is not null and btrim(${t.rejectionReason}) <> '')`,
    ),
  ],
);

export const backupReminderKind = pgEnum("backup_reminder_kind", BACKUP_REMINDER_KINDS);

/**
 * Reminders already sent, so that a rerun or a restart of the reminder job never sends one twice:
 * the row and its email are written in one transaction, and the unique key refuses a second row.
 */
export const backupReminders = pgTable(
  "backup_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: backupReminderKind("kind").notNull(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    /** What the reminder is about: the waiver (signer reminders) or the case (cutover warnings). */
    subjectId: uuid("subject_id").notNull(),
    recipientAddress: text("recipient_address").notNull(),
    /** Signer reminders: the reminder's number since the waiver was sent; warnings: the day (YYYY-MM-DD). */
    occasion: text("occasion").notNull(),
    sentAt: instant("sent_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("backup_reminders_once").on(t.kind, t.subjectId, sql`lower(${t.recipientAddress})`, t.occasion),
    index("backup_reminders_case_idx").on(t.caseId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Hardware and subscription lists (app/lists). The live hardware_items and subscriptions rows are
// the draft; publishing freezes them into a version: canonical JSON and its SHA-256, never changed
// again. The customer signer acknowledges a version (naming its hash) or disputes items of it. A
// custom migration makes versions, acknowledgements, consents and disputes append-only (only the
// supersede and answer columns may be filled in later) and enforces the retrieval rule.

export const listKind = pgEnum("list_kind", LIST_KINDS);

export const listVersions = pgTable(
  "list_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    kind: listKind("kind").notNull(),
    version: integer("version").notNull(),
    // Text, not jsonb: jsonb would reorder keys and drop the exact bytes the hash was taken over.
    canonicalJson: text("canonical_json").notNull(),
    sha256: text("sha256").notNull(),
    itemCount: integer("item_count").notNull(),
    publishedById: uuid("published_by_id").references(() => staffUsers.id),
    publishedByLabel: text("published_by_label").notNull(),
    publishedAt: instant("published_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("list_versions_number_unique").on(t.caseId, t.kind, t.version),
    // The target of the acknowledgements' foreign key: an acknowledgement names case, version and hash.
    uniqueIndex("list_versions_identity_unique").on(t.id, t.caseId, t.sha256),
    check("list_versions_number_positive", sql`${t.version} > 0`),
    check("list_versions_item_count", sql`${t.itemCount} >= 0`),
    check("list_versions_sha256_matches", sql`${t.sha256} = encode(sha256(convert_to(${t.canonicalJson}, 'UTF8')), 'hex')`),
  ],
);

/** A customer signer's acknowledgement of one exact version; superseded when a newer version is published. */
export const listAcknowledgements = pgTable(
  "list_acknowledgements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    versionId: uuid("version_id").notNull(),
    versionSha256: text("version_sha256").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    contactLabel: text("contact_label").notNull(),
    acknowledgedAt: instant("acknowledged_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    supersededAt: instant("superseded_at"),
    supersededByVersionId: uuid("superseded_by_version_id").references(() => listVersions.id),
  },
  (t) => [
    foreignKey({
      name: "list_acknowledgements_version_fk",
      columns: [t.versionId, t.caseId, t.versionSha256],
      foreignColumns: [listVersions.id, listVersions.caseId, listVersions.sha256],
    }),
    uniqueIndex("list_acknowledgements_once_per_version").on(t.versionId),
    index("list_acknowledgements_case_idx").on(t.caseId),
    check("list_acknowledgements_superseded_consistent", sql`(${t.supersededAt} is null) = (${t.supersededByVersionId} is null)`),
  ],
);

/**
 * The customer's explicit agreement, given in an acknowledgement, that an MSP-owned network item
 * may be collected before cutover from a date on. No foreign key to hardware_items: the consent
 * is a record that outlives the item's row.
 */
export const listRetrievalConsents = pgTable(
  "list_retrieval_consents",
  {
    acknowledgementId: uuid("acknowledgement_id")
      .notNull()
      .references(() => listAcknowledgements.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    hardwareItemId: uuid("hardware_item_id").notNull(),
    earliestOn: date("earliest_on", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.acknowledgementId, t.hardwareItemId] }),
    index("list_retrieval_consents_item_idx").on(t.caseId, t.hardwareItemId),
  ],
);

/** Staff's proposal, part of the draft, to collect an MSP-owned network item before cutover. */
export const listEarlyRetrievalProposals = pgTable(
  "list_early_retrieval_proposals",
  {
    hardwareItemId: uuid("hardware_item_id")
      .primaryKey()
      .references(() => hardwareItems.id, { onDelete: "cascade" }),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    proposedOn: date("proposed_on", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("list_early_retrieval_proposals_case_idx").on(t.caseId)],
);

/** A customer's comment on one item of a version, and staff's answer. */
export const listDisputes = pgTable(
  "list_disputes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    versionId: uuid("version_id")
      .notNull()
      .references(() => listVersions.id),
    itemId: uuid("item_id").notNull(),
    itemLabel: text("item_label").notNull(),
    comment: text("comment").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => caseContacts.id),
    contactLabel: text("contact_label").notNull(),
    createdAt: createdAt(),
    answer: text("answer"),
    answeredById: uuid("answered_by_id").references(() => staffUsers.id),
    answeredByLabel: text("answered_by_label"),
    answeredAt: instant("answered_at"),
  },
  (t) => [
    index("list_disputes_case_idx").on(t.caseId, t.createdAt),
    check("list_disputes_comment_given", sql`btrim(${t.comment}) <> ''`),
    check(
      "list_disputes_answer_consistent",
      sql`(${t.answer} is null) = (${t.answeredAt} is null) and (${t.answer} is null) = (${t.answeredByLabel} is null) and (${t.answer} is null or btrim(${t.answer}) <> '')`,
    ),
  ],
);

/** Saved CSV column mappings (header → field), reused across the MSP's cases. */
export const listImportMappings = pgTable(
  "list_import_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: listKind("kind").notNull(),
    name: text("name").notNull(),
    columns: jsonb("columns").$type<Record<string, string>>().notNull(),
    createdById: uuid("created_by_id").references(() => staffUsers.id),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("list_import_mappings_name_unique").on(t.kind, sql`lower(${t.name})`),
    check("list_import_mappings_named", sql`btrim(${t.name}) <> ''`),
  ],
);

/**
 * Who is responsible for the customer's support. Until the incoming provider's contact accepts
 * (after confirming the keys received), the MSP is; the case's planned transfer date is only the
 * plan. One row per case, created by the acceptance or by the first reminder to staff.
 */
export const supportResponsibility = pgTable(
  "support_responsibility",
  {
    caseId: uuid("case_id")
      .primaryKey()
      .references(() => cases.id),
    acceptedFrom: date("accepted_from", { mode: "string" }),
    acceptedAt: instant("accepted_at"),
    acceptedByContactId: uuid("accepted_by_contact_id").references(() => caseContacts.id),
    acceptedByLabel: text("accepted_by_label"),
    // The last reminder to staff that the planned date passed without an acceptance.
    overdueReminderAt: instant("overdue_reminder_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "support_responsibility_acceptance_consistent",
      sql`(${t.acceptedAt} is null) = (${t.acceptedFrom} is null) and (${t.acceptedAt} is null) = (${t.acceptedByContactId} is null) and (${t.acceptedAt} is null) = (${t.acceptedByLabel} is null)`,
    ),
    // Support cannot pass retroactively: the date is the acceptance day or later (a day of slack
    // for the case's time zone, which the domain checks exactly).
    check(
      "support_responsibility_not_backdated",
      sql`${t.acceptedFrom} is null or ${t.acceptedFrom} >= ((${t.acceptedAt} at time zone 'UTC')::date - 1)`,
    ),
  ],
);

export const mspAccessKind = pgEnum("msp_access_kind", MSP_ACCESS_KINDS);

export const mspAccessConfirmation = pgEnum("msp_access_confirmation", MSP_ACCESS_CONFIRMATIONS);

/**
 * One way the MSP can reach into the customer's systems. Staff mark it removed (when, by whom,
 * how); the incoming provider or the customer confirms the removal or disputes it with a reason.
 */
export const mspAccessPoints = pgTable(
  "msp_access_points",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    kind: mspAccessKind("kind").notNull(),
    name: text("name").notNull(),
    details: text("details").notNull().default(""),
    removedOn: date("removed_on", { mode: "string" }),
    removedById: uuid("removed_by_id").references(() => staffUsers.id),
    removedByLabel: text("removed_by_label"),
    removalMethod: text("removal_method"),
    confirmation: mspAccessConfirmation("confirmation"),
    confirmedAt: instant("confirmed_at"),
    confirmedByContactId: uuid("confirmed_by_contact_id").references(() => caseContacts.id),
    confirmedByLabel: text("confirmed_by_label"),
    disputeReason: text("dispute_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("msp_access_points_case_idx").on(t.caseId, t.createdAt),
    check("msp_access_points_named", sql`btrim(${t.name}) <> ''`),
    check(
      "msp_access_points_removal_consistent",
      sql`(${t.removedOn} is null) = (${t.removedByLabel} is null) and (${t.removedOn} is null) = (${t.removalMethod} is null) and (${t.removalMethod} is null or btrim(${t.removalMethod}) <> '')`,
    ),
    check("msp_access_points_confirmed_after_removal", sql`${t.confirmation} is null or ${t.removedOn} is not null`),
    check(
      "msp_access_points_confirmation_consistent",
      sql`(${t.confirmation} is null) = (${t.confirmedAt} is null) and (${t.confirmation} is null) = (${t.confirmedByLabel} is null)`,
    ),
    check(
      "msp_access_points_dispute_has_reason",
      sql`(${t.confirmation} = 'disputed') = (${t.disputeReason} is not null and btrim(${t.disputeReason}) <> '')`,
    ),
  ],
);

/**
 * The handover packet's versions: a new version whenever the packet's content hash (SHA-256 of
 * its canonical JSON) differs from the case's latest. The canonical JSON is kept, so what a
 * version held can be shown after the data has moved on. Append-only (custom migration). See
 * docs/decisions/015-handover-packet.md.
 */
export const handoverPacketVersions = pgTable(
  "handover_packet_versions",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    version: integer("version").notNull(),
    contentSha256: text("content_sha256").notNull(),
    // Text, not jsonb: jsonb would reorder keys and drop the exact bytes the hash was taken over.
    contentJson: text("content_json").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.version] }),
    check("handover_packet_versions_positive", sql`${t.version} > 0`),
    check("handover_packet_versions_hash_shape", sql`${t.contentSha256} ~ '^[0-9a-f]{64}$'`),
    check("handover_packet_versions_hash_matches", sql`${t.contentSha256} = encode(sha256(convert_to(${t.contentJson}, 'UTF8')), 'hex')`),
  ],
);

/** Whether the customer's contacts may download the handover packet (staff decide per case). */
export const handoverPacketSettings = pgTable("handover_packet_settings", {
  caseId: uuid("case_id")
    .primaryKey()
    .references(() => cases.id),
  customerMayDownload: boolean("customer_may_download").notNull().default(false),
  updatedAt: updatedAt(),
});
