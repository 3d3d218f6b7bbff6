CREATE TYPE "public"."signature_method" AS ENUM('drawn', 'typed');--> statement-breakpoint
CREATE TYPE "public"."waiver_text_kind" AS ENUM('waiver_template', 'esign_disclosure');--> statement-breakpoint
CREATE TABLE "waiver_backup_sets" (
	"waiver_id" uuid NOT NULL,
	"backup_set_id" uuid NOT NULL,
	"disposition" "backup_set_disposition" NOT NULL,
	"disposition_on" date NOT NULL,
	"hand_over_method" text,
	CONSTRAINT "waiver_backup_sets_waiver_id_backup_set_id_pk" PRIMARY KEY("waiver_id","backup_set_id"),
	CONSTRAINT "waiver_backup_sets_hand_over_method" CHECK (("waiver_backup_sets"."disposition" = 'hand_over') = ("waiver_backup_sets"."hand_over_method" is not null and btrim("waiver_backup_sets"."hand_over_method") <> ''))
);
--> statement-breakpoint
CREATE TABLE "waiver_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"waiver_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"disclosure_version_id" uuid NOT NULL,
	"disclosure_sha256" text NOT NULL,
	"consented_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "waiver_consents_sha256_shape" CHECK ("waiver_consents"."disclosure_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "waiver_signatures" (
	"waiver_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"signer_email" text NOT NULL,
	"method" "signature_method" NOT NULL,
	"drawn_signature" "bytea",
	"intent_statement" text NOT NULL,
	"authentication" text NOT NULL,
	"ip" text,
	"user_agent" text,
	"time_zone" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"audit_head_seq" bigint NOT NULL,
	"audit_head_hash" text NOT NULL,
	"unsigned_sha256" text NOT NULL,
	"sealed_pdf" "bytea" NOT NULL,
	"sealed_sha256" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"certificate_fingerprint" text NOT NULL,
	"receipt_jws" text NOT NULL,
	CONSTRAINT "waiver_signatures_sealed_hash" CHECK ("waiver_signatures"."sealed_sha256" = encode(sha256("waiver_signatures"."sealed_pdf"), 'hex')),
	CONSTRAINT "waiver_signatures_unsigned_hash_shape" CHECK ("waiver_signatures"."unsigned_sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "waiver_signatures_drawn_has_image" CHECK (("waiver_signatures"."method" = 'drawn') = ("waiver_signatures"."drawn_signature" is not null)),
	CONSTRAINT "waiver_signatures_named" CHECK (btrim("waiver_signatures"."signer_name") <> '')
);
--> statement-breakpoint
CREATE TABLE "waiver_text_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "waiver_text_kind" NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"sha256" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"published_by_id" uuid,
	"published_by_label" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waiver_text_versions_number_positive" CHECK ("waiver_text_versions"."version" > 0),
	CONSTRAINT "waiver_text_versions_sha256_matches" CHECK ("waiver_text_versions"."sha256" = encode(sha256(convert_to("waiver_text_versions"."body", 'UTF8')), 'hex'))
);
--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "signer_contact_id" uuid;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "template_version_id" uuid;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "disclosure_version_id" uuid;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "terms" jsonb;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "unsigned_pdf" "bytea";--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "unsigned_sha256" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "first_viewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "withdraw_reason" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "signing_token" uuid;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "signing_claimed_until" timestamp with time zone;--> statement-breakpoint
-- Before the composite foreign keys below that reference it.
CREATE UNIQUE INDEX "waivers_id_case_unique" ON "waivers" USING btree ("id","case_id");--> statement-breakpoint
ALTER TABLE "waiver_backup_sets" ADD CONSTRAINT "waiver_backup_sets_waiver_id_waivers_id_fk" FOREIGN KEY ("waiver_id") REFERENCES "public"."waivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_backup_sets" ADD CONSTRAINT "waiver_backup_sets_backup_set_id_backup_sets_id_fk" FOREIGN KEY ("backup_set_id") REFERENCES "public"."backup_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_consents" ADD CONSTRAINT "waiver_consents_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_consents" ADD CONSTRAINT "waiver_consents_disclosure_version_id_waiver_text_versions_id_fk" FOREIGN KEY ("disclosure_version_id") REFERENCES "public"."waiver_text_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_consents" ADD CONSTRAINT "waiver_consents_waiver_fk" FOREIGN KEY ("waiver_id","case_id") REFERENCES "public"."waivers"("id","case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_signatures" ADD CONSTRAINT "waiver_signatures_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_signatures" ADD CONSTRAINT "waiver_signatures_waiver_fk" FOREIGN KEY ("waiver_id","case_id") REFERENCES "public"."waivers"("id","case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiver_text_versions" ADD CONSTRAINT "waiver_text_versions_published_by_id_staff_users_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "waiver_backup_sets_set_idx" ON "waiver_backup_sets" USING btree ("backup_set_id");--> statement-breakpoint
CREATE UNIQUE INDEX "waiver_consents_one_live" ON "waiver_consents" USING btree ("waiver_id","contact_id") WHERE "waiver_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "waiver_signatures_sealed_sha256_unique" ON "waiver_signatures" USING btree ("sealed_sha256");--> statement-breakpoint
CREATE INDEX "waiver_signatures_case_idx" ON "waiver_signatures" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "waiver_text_versions_number_unique" ON "waiver_text_versions" USING btree ("kind","version");--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_signer_contact_id_case_contacts_id_fk" FOREIGN KEY ("signer_contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_template_version_id_waiver_text_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."waiver_text_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_disclosure_version_id_waiver_text_versions_id_fk" FOREIGN KEY ("disclosure_version_id") REFERENCES "public"."waiver_text_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_unsigned_pdf_hash" CHECK (("waivers"."unsigned_pdf" is null) = ("waivers"."unsigned_sha256" is null) and ("waivers"."unsigned_pdf" is null or "waivers"."unsigned_sha256" = encode(sha256("waivers"."unsigned_pdf"), 'hex')));--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_signing_claim_whole" CHECK (("waivers"."signing_token" is null) = ("waivers"."signing_claimed_until" is null));