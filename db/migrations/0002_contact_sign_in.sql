CREATE TYPE "public"."sign_in_link_kind" AS ENUM('invitation', 'requested');--> statement-breakpoint
CREATE TABLE "contact_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"stepped_up_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "contact_sign_in_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "sign_in_link_kind" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_step_up_codes" (
	"session_id_hash" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_step_up_codes_attempts" CHECK ("contact_step_up_codes"."attempts" between 0 and 5)
);
--> statement-breakpoint
ALTER TABLE "contact_sessions" ADD CONSTRAINT "contact_sessions_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sessions" ADD CONSTRAINT "contact_sessions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sign_in_links" ADD CONSTRAINT "contact_sign_in_links_contact_id_case_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."case_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sign_in_links" ADD CONSTRAINT "contact_sign_in_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_step_up_codes" ADD CONSTRAINT "contact_step_up_codes_session_id_hash_contact_sessions_id_hash_fk" FOREIGN KEY ("session_id_hash") REFERENCES "public"."contact_sessions"("id_hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_sessions_contact_idx" ON "contact_sessions" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "contact_sessions_case_idx" ON "contact_sessions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "contact_sign_in_links_contact_idx" ON "contact_sign_in_links" USING btree ("contact_id");