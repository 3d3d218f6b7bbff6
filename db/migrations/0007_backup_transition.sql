CREATE TYPE "public"."backup_reminder_kind" AS ENUM('waiver_signer', 'cutover_warning');--> statement-breakpoint
CREATE TYPE "public"."backup_report_status" AS ENUM('submitted', 'verified', 'rejected');--> statement-breakpoint
CREATE TABLE "backup_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "backup_reminder_kind" NOT NULL,
	"case_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"recipient_address" text NOT NULL,
	"occasion" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backup_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"backup_job_id" uuid NOT NULL,
	"status" "backup_report_status" DEFAULT 'submitted' NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"provider_system" text NOT NULL,
	"job_reference" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"evidence_filename" text NOT NULL,
	"evidence_content_type" text NOT NULL,
	"evidence_size" integer NOT NULL,
	"evidence_sha256" text NOT NULL,
	"evidence" "bytea" NOT NULL,
	"reported_by_contact_id" uuid,
	"reported_by_label" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by_staff_id" uuid,
	"reviewed_by_contact_id" uuid,
	"reviewed_by_label" text,
	"rejection_reason" text,
	CONSTRAINT "backup_reports_provider_system_given" CHECK (btrim("backup_reports"."provider_system") <> ''),
	CONSTRAINT "backup_reports_job_reference_given" CHECK (btrim("backup_reports"."job_reference") <> ''),
	CONSTRAINT "backup_reports_evidence_type" CHECK ("backup_reports"."evidence_content_type" in ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
	CONSTRAINT "backup_reports_evidence_size" CHECK ("backup_reports"."evidence_size" = octet_length("backup_reports"."evidence") and "backup_reports"."evidence_size" between 1 and 10485760),
	CONSTRAINT "backup_reports_evidence_hash" CHECK ("backup_reports"."evidence_sha256" = encode(sha256("backup_reports"."evidence"), 'hex')),
	CONSTRAINT "backup_reports_reviewed_consistent" CHECK (("backup_reports"."status" = 'submitted') = ("backup_reports"."reviewed_at" is null and "backup_reports"."reviewed_by_label" is null)),
	CONSTRAINT "backup_reports_reviewer_one" CHECK ("backup_reports"."status" = 'submitted' or num_nonnulls("backup_reports"."reviewed_by_staff_id", "backup_reports"."reviewed_by_contact_id") <= 1),
	CONSTRAINT "backup_reports_rejection_reason" CHECK (("backup_reports"."status" = 'rejected') = ("backup_reports"."rejection_reason" is not null and btrim("backup_reports"."rejection_reason") <> ''))
);
--> statement-breakpoint
ALTER TABLE "backup_reminders" ADD CONSTRAINT "backup_reminders_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_reports" ADD CONSTRAINT "backup_reports_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_reports" ADD CONSTRAINT "backup_reports_backup_job_id_backup_jobs_id_fk" FOREIGN KEY ("backup_job_id") REFERENCES "public"."backup_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_reports" ADD CONSTRAINT "backup_reports_reported_by_contact_id_case_contacts_id_fk" FOREIGN KEY ("reported_by_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_reports" ADD CONSTRAINT "backup_reports_reviewed_by_staff_id_staff_users_id_fk" FOREIGN KEY ("reviewed_by_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_reports" ADD CONSTRAINT "backup_reports_reviewed_by_contact_id_case_contacts_id_fk" FOREIGN KEY ("reviewed_by_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backup_reminders_once" ON "backup_reminders" USING btree ("kind","subject_id",lower("recipient_address"),"occasion");--> statement-breakpoint
CREATE INDEX "backup_reminders_case_idx" ON "backup_reminders" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "backup_reports_case_idx" ON "backup_reports" USING btree ("case_id","reported_at");--> statement-breakpoint
CREATE INDEX "backup_reports_job_idx" ON "backup_reports" USING btree ("backup_job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "backup_reports_one_live_per_job" ON "backup_reports" USING btree ("backup_job_id") WHERE "backup_reports"."status" <> 'rejected';