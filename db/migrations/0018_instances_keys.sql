ALTER TYPE "public"."outbox_status" ADD VALUE 'undecryptable';--> statement-breakpoint
CREATE TABLE "master_key_check" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"key_id" text NOT NULL,
	"check_value" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "master_key_check_singleton" CHECK ("master_key_check"."id" = 1),
	CONSTRAINT "master_key_check_value_length" CHECK (octet_length("master_key_check"."check_value") = 32)
);
--> statement-breakpoint
CREATE TABLE "receipt_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_undecryptable_kept" CHECK ("outbox_messages"."status"::text <> 'undecryptable' or "outbox_messages"."sealed_body" is not null);