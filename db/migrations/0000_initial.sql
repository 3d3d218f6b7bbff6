CREATE TYPE "public"."actor_type" AS ENUM('staff', 'contact', 'system');--> statement-breakpoint
CREATE TYPE "public"."backup_job_state" AS ENUM('running', 'paused', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."backup_set_disposition" AS ENUM('hand_over', 'retain_until', 'destroy_on');--> statement-breakpoint
CREATE TYPE "public"."billing_party" AS ENUM('msp', 'customer', 'incoming_provider');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."contact_role" AS ENUM('customer_signer', 'customer_viewer', 'provider');--> statement-breakpoint
CREATE TYPE "public"."hardware_category" AS ENUM('firewall', 'router', 'switch', 'access_point', 'server', 'storage', 'workstation', 'laptop', 'printer', 'phone', 'ups', 'other');--> statement-breakpoint
CREATE TYPE "public"."hardware_owner" AS ENUM('msp', 'customer', 'third_party_lessor');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('admin', 'engineer', 'legal');--> statement-breakpoint
CREATE TYPE "public"."subscription_plan" AS ENUM('transfer_to_customer', 'transfer_to_incoming_provider', 'terminate_on_date', 'continue_until_date');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"case_id" uuid,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_seq_positive" CHECK ("audit_events"."seq" > 0),
	CONSTRAINT "audit_events_hash_shape" CHECK ("audit_events"."hash" ~ '^[0-9a-f]{64}$' and "audit_events"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "backup_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"system" text NOT NULL,
	"scope" text NOT NULL,
	"schedule" text NOT NULL,
	"retention" text NOT NULL,
	"state" "backup_job_state" DEFAULT 'running' NOT NULL,
	"stopped_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_jobs_stopped_consistent" CHECK (("backup_jobs"."state" = 'stopped') = ("backup_jobs"."stopped_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "backup_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"description" text NOT NULL,
	"location" text NOT NULL,
	"size_gb" numeric(12, 2) NOT NULL,
	"proposed_disposition" "backup_set_disposition" NOT NULL,
	"disposition_on" date NOT NULL,
	"hand_over_method" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_sets_size_not_negative" CHECK ("backup_sets"."size_gb" >= 0),
	CONSTRAINT "backup_sets_hand_over_method" CHECK (("backup_sets"."proposed_disposition" = 'hand_over') = ("backup_sets"."hand_over_method" is not null and "backup_sets"."hand_over_method" <> ''))
);
--> statement-breakpoint
CREATE TABLE "case_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"role" "contact_role" NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"job_title" text DEFAULT '' NOT NULL,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_contacts_email_shape" CHECK ("case_contacts"."email" ~ '^[^@\s]+@[^@\s]+$')
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"customer_legal_name" text NOT NULL,
	"customer_address" text DEFAULT '' NOT NULL,
	"incoming_provider_name" text NOT NULL,
	"notice_received_on" date NOT NULL,
	"cutover_on" date NOT NULL,
	"support_transfer_planned_on" date,
	"portal_access_ends_on" date NOT NULL,
	"time_zone" text NOT NULL,
	"responsible_engineer_id" uuid NOT NULL,
	"status" "case_status" DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_cutover_after_notice" CHECK ("cases"."cutover_on" >= "cases"."notice_received_on"),
	CONSTRAINT "cases_access_end_after_cutover" CHECK ("cases"."portal_access_ends_on" >= "cases"."cutover_on"),
	CONSTRAINT "cases_support_transfer_after_notice" CHECK ("cases"."support_transfer_planned_on" is null or "cases"."support_transfer_planned_on" >= "cases"."notice_received_on"),
	CONSTRAINT "cases_closed_consistent" CHECK (("cases"."status" = 'closed') = ("cases"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "hardware_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"category" "hardware_category" NOT NULL,
	"make_model" text NOT NULL,
	"serial_number" text DEFAULT '' NOT NULL,
	"asset_tag" text DEFAULT '' NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"owner" "hardware_owner" NOT NULL,
	"lessor_name" text,
	"retrieval_plan" text,
	"retrieval_window_starts_on" date,
	"retrieval_window_ends_on" date,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hardware_items_lessor_named" CHECK (("hardware_items"."owner" = 'third_party_lessor') = ("hardware_items"."lessor_name" is not null and "hardware_items"."lessor_name" <> '')),
	CONSTRAINT "hardware_items_retrieval_only_msp" CHECK ("hardware_items"."owner" = 'msp' or ("hardware_items"."retrieval_plan" is null and "hardware_items"."retrieval_window_starts_on" is null and "hardware_items"."retrieval_window_ends_on" is null)),
	CONSTRAINT "hardware_items_retrieval_window_order" CHECK ("hardware_items"."retrieval_window_ends_on" is null or "hardware_items"."retrieval_window_starts_on" is null or "hardware_items"."retrieval_window_ends_on" >= "hardware_items"."retrieval_window_starts_on")
);
--> statement-breakpoint
CREATE TABLE "msp_profile" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"legal_name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"contact_email" text DEFAULT '' NOT NULL,
	"contact_phone" text DEFAULT '' NOT NULL,
	"accent_color" text DEFAULT '#1d4ed8' NOT NULL,
	"logo" "bytea",
	"logo_content_type" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "msp_profile_singleton" CHECK ("msp_profile"."id" = 1),
	CONSTRAINT "msp_profile_accent_hex" CHECK ("msp_profile"."accent_color" ~ '^#[0-9a-fA-F]{6}$'),
	CONSTRAINT "msp_profile_logo_type" CHECK (("msp_profile"."logo" is null) = ("msp_profile"."logo_content_type" is null))
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "staff_recovery_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"second_factor_done" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"stepped_up_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "staff_setup_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "staff_role" NOT NULL,
	"password_hash" text,
	"totp_secret_ciphertext" "bytea",
	"totp_enabled_at" timestamp with time zone,
	"totp_last_used_step" bigint,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_email_shape" CHECK ("staff_users"."email" ~ '^[^@\s]+@[^@\s]+$'),
	CONSTRAINT "staff_users_totp_enabled_needs_secret" CHECK ("staff_users"."totp_enabled_at" is null or "staff_users"."totp_secret_ciphertext" is not null)
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"vendor" text NOT NULL,
	"product" text NOT NULL,
	"quantity" integer NOT NULL,
	"billing_party" "billing_party" NOT NULL,
	"term_ends_on" date,
	"plan" "subscription_plan" NOT NULL,
	"plan_date" date,
	"monthly_cost_cents" integer NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_quantity_positive" CHECK ("subscriptions"."quantity" > 0),
	CONSTRAINT "subscriptions_cost_not_negative" CHECK ("subscriptions"."monthly_cost_cents" >= 0),
	CONSTRAINT "subscriptions_currency_code" CHECK ("subscriptions"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "subscriptions_plan_date_required" CHECK ("subscriptions"."plan" in ('transfer_to_customer', 'transfer_to_incoming_provider') or "subscriptions"."plan_date" is not null)
);
--> statement-breakpoint
ALTER TABLE "backup_jobs" ADD CONSTRAINT "backup_jobs_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_sets" ADD CONSTRAINT "backup_sets_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contacts" ADD CONSTRAINT "case_contacts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_responsible_engineer_id_staff_users_id_fk" FOREIGN KEY ("responsible_engineer_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closed_by_id_staff_users_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardware_items" ADD CONSTRAINT "hardware_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_recovery_codes" ADD CONSTRAINT "staff_recovery_codes_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_setup_tokens" ADD CONSTRAINT "staff_setup_tokens_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_case_idx" ON "audit_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_hash_unique" ON "audit_events" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "backup_jobs_case_idx" ON "backup_jobs" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "backup_sets_case_idx" ON "backup_sets" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_contacts_email_unique" ON "case_contacts" USING btree ("case_id",lower("email")) WHERE "case_contacts"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "case_contacts_email_idx" ON "case_contacts" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "cases_reference_unique" ON "cases" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "hardware_items_case_idx" ON "hardware_items" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "staff_recovery_codes_user_idx" ON "staff_recovery_codes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "staff_sessions_user_idx" ON "staff_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "staff_setup_tokens_user_idx" ON "staff_setup_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_email_unique" ON "staff_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "subscriptions_case_idx" ON "subscriptions" USING btree ("case_id");