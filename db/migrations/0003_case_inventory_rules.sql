CREATE TABLE "case_reference_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "case_reference_counters_positive" CHECK ("case_reference_counters"."last_number" > 0)
);
--> statement-breakpoint
ALTER TABLE "backup_sets" DROP CONSTRAINT "backup_sets_hand_over_method";--> statement-breakpoint
ALTER TABLE "cases" DROP CONSTRAINT "cases_closed_consistent";--> statement-breakpoint
ALTER TABLE "hardware_items" DROP CONSTRAINT "hardware_items_lessor_named";--> statement-breakpoint
ALTER TABLE "hardware_items" DROP CONSTRAINT "hardware_items_retrieval_only_msp";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_plan_date_required";--> statement-breakpoint
ALTER TABLE "backup_sets" ALTER COLUMN "proposed_disposition" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "backup_sets" ALTER COLUMN "disposition_on" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "hardware_items" ALTER COLUMN "owner" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ALTER COLUMN "plan" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "case_contacts_case_idx" ON "case_contacts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","cutover_on");--> statement-breakpoint
ALTER TABLE "backup_jobs" ADD CONSTRAINT "backup_jobs_system_given" CHECK (btrim("backup_jobs"."system") <> '');--> statement-breakpoint
ALTER TABLE "backup_jobs" ADD CONSTRAINT "backup_jobs_scope_given" CHECK (btrim("backup_jobs"."scope") <> '');--> statement-breakpoint
ALTER TABLE "backup_sets" ADD CONSTRAINT "backup_sets_description_given" CHECK (btrim("backup_sets"."description") <> '');--> statement-breakpoint
ALTER TABLE "backup_sets" ADD CONSTRAINT "backup_sets_disposition_dated" CHECK (("backup_sets"."proposed_disposition" is null) = ("backup_sets"."disposition_on" is null));--> statement-breakpoint
ALTER TABLE "backup_sets" ADD CONSTRAINT "backup_sets_hand_over_method" CHECK (coalesce("backup_sets"."proposed_disposition" = 'hand_over', false) = ("backup_sets"."hand_over_method" is not null and btrim("backup_sets"."hand_over_method") <> ''));--> statement-breakpoint
ALTER TABLE "case_contacts" ADD CONSTRAINT "case_contacts_named" CHECK (btrim("case_contacts"."name") <> '');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_reference_shape" CHECK ("cases"."reference" ~ '^HO-[0-9]{4}-[0-9]{4,}$');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_customer_named" CHECK (btrim("cases"."customer_legal_name") <> '');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_provider_named" CHECK (btrim("cases"."incoming_provider_name") <> '');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_time_zone_given" CHECK (btrim("cases"."time_zone") <> '');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closed_consistent" CHECK (("cases"."status" = 'closed') = ("cases"."closed_at" is not null and "cases"."closed_by_id" is not null));--> statement-breakpoint
ALTER TABLE "hardware_items" ADD CONSTRAINT "hardware_items_make_model_given" CHECK (btrim("hardware_items"."make_model") <> '');--> statement-breakpoint
ALTER TABLE "hardware_items" ADD CONSTRAINT "hardware_items_retrieval_window_complete" CHECK (("hardware_items"."retrieval_window_starts_on" is null) = ("hardware_items"."retrieval_window_ends_on" is null));--> statement-breakpoint
ALTER TABLE "hardware_items" ADD CONSTRAINT "hardware_items_lessor_named" CHECK (coalesce("hardware_items"."owner" = 'third_party_lessor', false) = ("hardware_items"."lessor_name" is not null and btrim("hardware_items"."lessor_name") <> ''));--> statement-breakpoint
ALTER TABLE "hardware_items" ADD CONSTRAINT "hardware_items_retrieval_only_msp" CHECK (coalesce("hardware_items"."owner" = 'msp', false) or ("hardware_items"."retrieval_plan" is null and "hardware_items"."retrieval_window_starts_on" is null and "hardware_items"."retrieval_window_ends_on" is null));--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_vendor_given" CHECK (btrim("subscriptions"."vendor") <> '');--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_product_given" CHECK (btrim("subscriptions"."product") <> '');--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_date_needs_plan" CHECK ("subscriptions"."plan" is not null or "subscriptions"."plan_date" is null);--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_date_required" CHECK ("subscriptions"."plan" is null or "subscriptions"."plan" in ('transfer_to_customer', 'transfer_to_incoming_provider') or "subscriptions"."plan_date" is not null);