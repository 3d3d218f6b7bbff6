CREATE TYPE "public"."checkpoint_reason" AS ENUM('waiver_sealed', 'case_closed', 'scheduled', 'on_demand', 'demo_seed');--> statement-breakpoint
CREATE TABLE "audit_checkpoint_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"number" bigint PRIMARY KEY NOT NULL,
	"audit_seq" bigint NOT NULL,
	"head_hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"kid" text NOT NULL,
	"reason" "checkpoint_reason" NOT NULL,
	"jws" text NOT NULL,
	CONSTRAINT "audit_checkpoints_number_positive" CHECK ("audit_checkpoints"."number" > 0),
	CONSTRAINT "audit_checkpoints_seq_positive" CHECK ("audit_checkpoints"."audit_seq" > 0),
	CONSTRAINT "audit_checkpoints_hash_shape" CHECK ("audit_checkpoints"."head_hash" ~ '^[0-9a-f]{64}$' and "audit_checkpoints"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_checkpoints_seq_unique" ON "audit_checkpoints" USING btree ("audit_seq");