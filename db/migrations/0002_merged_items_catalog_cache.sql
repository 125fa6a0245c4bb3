CREATE TABLE "catalog_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"approved_item_ids" uuid[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merged_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"fields" jsonb NOT NULL,
	"confidence" double precision NOT NULL,
	"source_image_ids" uuid[] NOT NULL,
	"source_attempt_ids" bigint[] NOT NULL,
	"conflicts" jsonb NOT NULL,
	"match" text DEFAULT 'new' NOT NULL,
	"catalog_item_id" uuid,
	"previous" jsonb,
	"review" text DEFAULT 'pending' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "review_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"catalog_item_id" uuid,
	"changes" jsonb
);
--> statement-breakpoint
ALTER TABLE "batch_results" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "shows" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "batch_results" CASCADE;--> statement-breakpoint
DROP TABLE "shows" CASCADE;--> statement-breakpoint
ALTER TABLE "batch_metrics" ADD COLUMN "cached_images" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "skip_cache" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "images" ADD COLUMN "cached_from" uuid;--> statement-breakpoint
ALTER TABLE "images" ADD COLUMN "analysis_key" text;--> statement-breakpoint
ALTER TABLE "merged_items" ADD CONSTRAINT "merged_items_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merged_items" ADD CONSTRAINT "merged_items_catalog_item_id_catalog_items_id_fk" FOREIGN KEY ("catalog_item_id") REFERENCES "public"."catalog_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_item_id_merged_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."merged_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_catalog_item_id_catalog_items_id_fk" FOREIGN KEY ("catalog_item_id") REFERENCES "public"."catalog_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_items_kind" ON "catalog_items" USING btree ("kind");--> statement-breakpoint
CREATE UNIQUE INDEX "merged_items_batch_kind_key" ON "merged_items" USING btree ("batch_id","kind","key");--> statement-breakpoint
CREATE INDEX "merged_items_batch_position" ON "merged_items" USING btree ("batch_id","kind","position");--> statement-breakpoint
CREATE INDEX "merged_items_catalog" ON "merged_items" USING btree ("catalog_item_id");--> statement-breakpoint
CREATE INDEX "review_actions_item" ON "review_actions" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "images_cache" ON "images" USING btree ("analysis_key","sha256") WHERE status = 'succeeded';--> statement-breakpoint
CREATE VIEW "public"."merged_shows" AS (
  select id, batch_id,
    fields->>'venueName' as venue_name, fields->>'dayOfWeek' as day_of_week,
    fields->>'startTime' as start_time, fields->>'endTime' as end_time,
    fields->>'djName' as dj_name, fields->>'vendor' as vendor,
    fields->>'address' as address, fields->>'city' as city, fields->>'state' as state,
    fields->>'zip' as zip, fields->>'phone' as phone,
    confidence, source_image_ids, conflicts <> '{}'::jsonb as has_conflicts, match, review
  from merged_items where kind = 'show');