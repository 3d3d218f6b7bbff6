ALTER TABLE "waivers" ADD COLUMN "signing_claim_pid" integer;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "signing_claim_session_start" timestamp with time zone;