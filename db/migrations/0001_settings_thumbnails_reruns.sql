CREATE TABLE "settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"default_workers" integer NOT NULL,
	"default_mode" text NOT NULL,
	"gemini_rpm" integer,
	"model" text NOT NULL,
	"user_max_files" integer NOT NULL,
	"user_batches_per_minute" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settings_single_row" CHECK ("settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "model" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "gemini_rpm" integer;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "rerun_of" uuid;--> statement-breakpoint
ALTER TABLE "images" ADD COLUMN "thumbnail" "bytea";--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_rerun_of_batches_id_fk" FOREIGN KEY ("rerun_of") REFERENCES "public"."batches"("id") ON DELETE set null ON UPDATE no action;