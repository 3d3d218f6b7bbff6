CREATE TYPE "public"."list_kind" AS ENUM('hardware', 'subscriptions');--> statement-breakpoint
CREATE TABLE "list_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version_sha256" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"contact_label" text NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text,
	"superseded_at" timestamp with time zone,
	"superseded_by_version_id" uuid,
	CONSTRAINT "list_acknowledgements_superseded_consistent" CHECK (("list_acknowledgements"."superseded_at" is null) = ("list_acknowledgements"."superseded_by_version_id" is null))
);
--> statement-breakpoint
CREATE TABLE "list_disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_label" text NOT NULL,
	"comment" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"contact_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_by_id" uuid,
	"answered_by_label" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "list_disputes_comment_given" CHECK (btrim("list_disputes"."comment") <> ''),
	CONSTRAINT "list_disputes_answer_consistent" CHECK (("list_disputes"."answer" is null) = ("list_disputes"."answered_at" is null) and ("list_disputes"."answer" is null) = ("list_disputes"."answered_by_label" is null) and ("list_disputes"."answer" is null or btrim("list_disputes"."answer") <> ''))
);
--> statement-breakpoint
CREATE TABLE "list_early_retrieval_proposals" (
	"hardware_item_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"proposed_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_import_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "list_kind" NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_import_mappings_named" CHECK (btrim("list_import_mappings"."name") <> '')
);
--> statement-breakpoint
CREATE TABLE "list_retrieval_consents" (
	"acknowledgement_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"hardware_item_id" uuid NOT NULL,
	"earliest_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_retrieval_consents_acknowledgement_id_hardware_item_id_pk" PRIMARY KEY("acknowledgement_id","hardware_item_id")
);
--> statement-breakpoint
CREATE TABLE "list_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "list_kind" NOT NULL,
	"version" integer NOT NULL,
	"canonical_json" text NOT NULL,
	"sha256" text NOT NULL,
	"item_count" integer NOT NULL,
	"published_by_id" uuid,
	"published_by_label" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_versions_number_positive" CHECK ("list_versions"."version" > 0),
	CONSTRAINT "list_versions_item_count" CHECK ("list_versions"."item_count" >= 0),
	CONSTRAINT "list_versions_sha256_matches" CHECK ("list_versions"."sha256" = encode(sha256(convert_to("list_versions"."canonical_json", 'UTF8')), 'hex'))
);
--> statement-breakpoint
-- Created before the foreign keys: list_acknowledgements_version_fk references it.
CREATE UNIQUE INDEX "list_versions_identity_unique" ON "list_versions" USING btree ("id","case_id","sha256");--> statement-breakpoint
ALTER TABLE "list_acknowledgements" ADD CONSTRAINT "list_acknowledgements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_acknowledgements" ADD CONSTRAINT "list_acknowledgements_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_acknowledgements" ADD CONSTRAINT "list_acknowledgements_superseded_by_version_id_list_versions_id_fk" FOREIGN KEY ("superseded_by_version_id") REFERENCES "public"."list_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_acknowledgements" ADD CONSTRAINT "list_acknowledgements_version_fk" FOREIGN KEY ("version_id","case_id","version_sha256") REFERENCES "public"."list_versions"("id","case_id","sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disputes" ADD CONSTRAINT "list_disputes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disputes" ADD CONSTRAINT "list_disputes_version_id_list_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."list_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disputes" ADD CONSTRAINT "list_disputes_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disputes" ADD CONSTRAINT "list_disputes_answered_by_id_staff_users_id_fk" FOREIGN KEY ("answered_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_early_retrieval_proposals" ADD CONSTRAINT "list_early_retrieval_proposals_hardware_item_id_hardware_items_id_fk" FOREIGN KEY ("hardware_item_id") REFERENCES "public"."hardware_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_early_retrieval_proposals" ADD CONSTRAINT "list_early_retrieval_proposals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_import_mappings" ADD CONSTRAINT "list_import_mappings_created_by_id_staff_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_retrieval_consents" ADD CONSTRAINT "list_retrieval_consents_acknowledgement_id_list_acknowledgements_id_fk" FOREIGN KEY ("acknowledgement_id") REFERENCES "public"."list_acknowledgements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_retrieval_consents" ADD CONSTRAINT "list_retrieval_consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_versions" ADD CONSTRAINT "list_versions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_versions" ADD CONSTRAINT "list_versions_published_by_id_staff_users_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "list_acknowledgements_once_per_version" ON "list_acknowledgements" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "list_acknowledgements_case_idx" ON "list_acknowledgements" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "list_disputes_case_idx" ON "list_disputes" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "list_early_retrieval_proposals_case_idx" ON "list_early_retrieval_proposals" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "list_import_mappings_name_unique" ON "list_import_mappings" USING btree ("kind",lower("name"));--> statement-breakpoint
CREATE INDEX "list_retrieval_consents_item_idx" ON "list_retrieval_consents" USING btree ("case_id","hardware_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "list_versions_number_unique" ON "list_versions" USING btree ("case_id","kind","version");