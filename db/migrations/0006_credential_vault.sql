CREATE TYPE "public"."credential_audience" AS ENUM('customer', 'incoming_provider', 'both');--> statement-breakpoint
CREATE TABLE "case_vaults" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"wrapped_data_key" "bytea",
	"master_key_id" text,
	"keys_received_at" timestamp with time zone,
	"keys_received_by_contact_id" uuid,
	"keys_received_by_label" text,
	"last_keys_reminder_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_vaults_key_consistent" CHECK (("case_vaults"."wrapped_data_key" is null) = ("case_vaults"."master_key_id" is null)),
	CONSTRAINT "case_vaults_purged_has_no_key" CHECK (("case_vaults"."purged_at" is null) = ("case_vaults"."wrapped_data_key" is not null)),
	CONSTRAINT "case_vaults_keys_received_consistent" CHECK (("case_vaults"."keys_received_at" is null) = ("case_vaults"."keys_received_by_label" is null))
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"secret_ciphertext" "bytea",
	"totp_ciphertext" "bytea",
	"notes_ciphertext" "bytea",
	"release_to" "credential_audience",
	"rotated_on" date,
	"rotation_method" text,
	"rotated_by_id" uuid,
	"rotated_by_label" text,
	"rotation_recorded_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credentials_named" CHECK (btrim("credentials"."name") <> ''),
	CONSTRAINT "credentials_secret_until_purged" CHECK (("credentials"."purged_at" is null) = ("credentials"."secret_ciphertext" is not null)),
	CONSTRAINT "credentials_purged_empty" CHECK ("credentials"."purged_at" is null or ("credentials"."totp_ciphertext" is null and "credentials"."notes_ciphertext" is null)),
	CONSTRAINT "credentials_rotation_complete" CHECK (("credentials"."rotated_on" is null) = ("credentials"."rotation_method" is null) and ("credentials"."rotated_on" is null) = ("credentials"."rotated_by_label" is null) and ("credentials"."rotated_on" is null) = ("credentials"."rotation_recorded_at" is null))
);
--> statement-breakpoint
ALTER TABLE "case_vaults" ADD CONSTRAINT "case_vaults_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_vaults" ADD CONSTRAINT "case_vaults_keys_received_by_contact_id_case_contacts_id_fk" FOREIGN KEY ("keys_received_by_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_case_id_case_vaults_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_vaults"("case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_rotated_by_id_staff_users_id_fk" FOREIGN KEY ("rotated_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credentials_case_idx" ON "credentials" USING btree ("case_id");