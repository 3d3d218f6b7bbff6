CREATE TYPE "public"."waiver_status" AS ENUM('draft', 'sent', 'signed', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TABLE "waiver_backup_jobs" (
	"waiver_id" uuid NOT NULL,
	"backup_job_id" uuid NOT NULL,
	CONSTRAINT "waiver_backup_jobs_waiver_id_backup_job_id_pk" PRIMARY KEY("waiver_id","backup_job_id")
);
--> statement-breakpoint
CREATE TABLE "waivers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"status" "waiver_status" DEFAULT 'draft' NOT NULL,
	"backups_stop_after" date NOT NULL,
	"prepared_by_id" uuid NOT NULL,
	"sent_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waivers_signed_has_time" CHECK (("waivers"."status" = 'signed') = ("waivers"."signed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "waiver_backup_jobs" ADD CONSTRAINT "waiver_backup_jobs_waiver_id_waivers_id_fk" FOREIGN KEY ("waiver_id") REFERENCES "public"."waivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_backup_jobs" ADD CONSTRAINT "waiver_backup_jobs_backup_job_id_backup_jobs_id_fk" FOREIGN KEY ("backup_job_id") REFERENCES "public"."backup_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_prepared_by_id_staff_users_id_fk" FOREIGN KEY ("prepared_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "waiver_backup_jobs_job_idx" ON "waiver_backup_jobs" USING btree ("backup_job_id");--> statement-breakpoint
CREATE INDEX "waivers_case_idx" ON "waivers" USING btree ("case_id");