CREATE TYPE "public"."msp_access_confirmation" AS ENUM('confirmed', 'disputed');--> statement-breakpoint
CREATE TYPE "public"."msp_access_kind" AS ENUM('rmm_agent', 'security_agent', 'technician_account', 'admin_account', 'partner_relationship', 'vpn_account', 'api_key', 'remote_support_tool', 'other');--> statement-breakpoint
CREATE TABLE "handover_packet_settings" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"customer_may_download" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handover_packet_versions" (
	"case_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handover_packet_versions_case_id_version_pk" PRIMARY KEY("case_id","version"),
	CONSTRAINT "handover_packet_versions_positive" CHECK ("handover_packet_versions"."version" > 0),
	CONSTRAINT "handover_packet_versions_hash_shape" CHECK ("handover_packet_versions"."content_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "msp_access_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "msp_access_kind" NOT NULL,
	"name" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"removed_on" date,
	"removed_by_id" uuid,
	"removed_by_label" text,
	"removal_method" text,
	"confirmation" "msp_access_confirmation",
	"confirmed_at" timestamp with time zone,
	"confirmed_by_contact_id" uuid,
	"confirmed_by_label" text,
	"dispute_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "msp_access_points_named" CHECK (btrim("msp_access_points"."name") <> ''),
	CONSTRAINT "msp_access_points_removal_consistent" CHECK (("msp_access_points"."removed_on" is null) = ("msp_access_points"."removed_by_label" is null) and ("msp_access_points"."removed_on" is null) = ("msp_access_points"."removal_method" is null) and ("msp_access_points"."removal_method" is null or btrim("msp_access_points"."removal_method") <> '')),
	CONSTRAINT "msp_access_points_confirmed_after_removal" CHECK ("msp_access_points"."confirmation" is null or "msp_access_points"."removed_on" is not null),
	CONSTRAINT "msp_access_points_confirmation_consistent" CHECK (("msp_access_points"."confirmation" is null) = ("msp_access_points"."confirmed_at" is null) and ("msp_access_points"."confirmation" is null) = ("msp_access_points"."confirmed_by_label" is null)),
	CONSTRAINT "msp_access_points_dispute_has_reason" CHECK (("msp_access_points"."confirmation" = 'disputed') = ("msp_access_points"."dispute_reason" is not null and btrim("msp_access_points"."dispute_reason") <> ''))
);
--> statement-breakpoint
CREATE TABLE "support_responsibility" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"accepted_from" date,
	"accepted_at" timestamp with time zone,
	"accepted_by_contact_id" uuid,
	"accepted_by_label" text,
	"overdue_reminder_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_responsibility_acceptance_consistent" CHECK (("support_responsibility"."accepted_at" is null) = ("support_responsibility"."accepted_from" is null) and ("support_responsibility"."accepted_at" is null) = ("support_responsibility"."accepted_by_contact_id" is null) and ("support_responsibility"."accepted_at" is null) = ("support_responsibility"."accepted_by_label" is null)),
	CONSTRAINT "support_responsibility_not_backdated" CHECK ("support_responsibility"."accepted_from" is null or "support_responsibility"."accepted_from" >= (("support_responsibility"."accepted_at" at time zone 'UTC')::date - 1))
);
--> statement-breakpoint
ALTER TABLE "handover_packet_settings" ADD CONSTRAINT "handover_packet_settings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_packet_versions" ADD CONSTRAINT "handover_packet_versions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "msp_access_points" ADD CONSTRAINT "msp_access_points_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "msp_access_points" ADD CONSTRAINT "msp_access_points_removed_by_id_staff_users_id_fk" FOREIGN KEY ("removed_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "msp_access_points" ADD CONSTRAINT "msp_access_points_confirmed_by_contact_id_case_contacts_id_fk" FOREIGN KEY ("confirmed_by_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_responsibility" ADD CONSTRAINT "support_responsibility_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_responsibility" ADD CONSTRAINT "support_responsibility_accepted_by_contact_id_case_contacts_id_fk" FOREIGN KEY ("accepted_by_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "msp_access_points_case_idx" ON "msp_access_points" USING btree ("case_id","created_at");