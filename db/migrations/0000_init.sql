CREATE TABLE "attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"image_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"attempt_number" integer NOT NULL,
	"worker" text NOT NULL,
	"engine" text NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"latency_ms" integer,
	"outcome" text DEFAULT 'running' NOT NULL,
	"error_class" text,
	"error_message" text,
	"http_status" integer,
	"model" text,
	"prompt_tokens" integer,
	"output_tokens" integer
);
--> statement-breakpoint
CREATE TABLE "batch_metrics" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"wall_ms" integer NOT NULL,
	"sum_image_ms" integer NOT NULL,
	"speedup" double precision NOT NULL,
	"success_rate" double precision NOT NULL,
	"mean_image_ms" double precision,
	"p50_image_ms" double precision,
	"p95_image_ms" double precision,
	"attempts" integer NOT NULL,
	"retries" integer NOT NULL,
	"rate_limited" integer NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"output_tokens" integer NOT NULL,
	"worker_utilisation" double precision NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_results" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"mode" text DEFAULT 'parallel' NOT NULL,
	"workers" integer NOT NULL,
	"engine" text NOT NULL,
	"source_url" text,
	"description" text,
	"idempotency_key" text,
	"total_images" integer NOT NULL,
	"succeeded_images" integer DEFAULT 0 NOT NULL,
	"failed_images" integer DEFAULT 0 NOT NULL,
	"progress_seq" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"phash" text,
	"width" integer,
	"height" integer,
	"duplicate_of" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"rate_limited_count" integer DEFAULT 0 NOT NULL,
	"retry_base" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp (3) with time zone,
	"extraction" jsonb,
	"error_class" text,
	"error" text,
	"duration_ms" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "progress_events" (
	"batch_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_events_batch_id_seq_pk" PRIMARY KEY("batch_id","seq")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "shows" (
	"batch_id" uuid NOT NULL,
	"key" text NOT NULL,
	"venue_name" text NOT NULL,
	"day_of_week" text NOT NULL,
	"start_time" text,
	"end_time" text,
	"date" text,
	"dj_name" text,
	"vendor" text,
	"description" text,
	"address" text,
	"city" text,
	"state" text,
	"zip" text,
	"phone" text,
	"confidence" double precision NOT NULL,
	"source_image_ids" uuid[] NOT NULL,
	"has_conflicts" boolean DEFAULT false NOT NULL,
	CONSTRAINT "shows_batch_id_key_pk" PRIMARY KEY("batch_id","key")
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_metrics" ADD CONSTRAINT "batch_metrics_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_results" ADD CONSTRAINT "batch_results_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "images" ADD CONSTRAINT "images_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_events" ADD CONSTRAINT "progress_events_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shows" ADD CONSTRAINT "shows_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attempts_batch" ON "attempts" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "attempts_image" ON "attempts" USING btree ("image_id","attempt_number");--> statement-breakpoint
CREATE UNIQUE INDEX "batches_owner_idempotency_key" ON "batches" USING btree ("owner","idempotency_key");--> statement-breakpoint
CREATE INDEX "batches_owner_created" ON "batches" USING btree ("owner","created_at");--> statement-breakpoint
CREATE INDEX "batches_active" ON "batches" USING btree ("status") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "images_batch_position" ON "images" USING btree ("batch_id","position");--> statement-breakpoint
CREATE INDEX "images_runnable" ON "images" USING btree ("batch_id","next_attempt_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "images_duplicate_of" ON "images" USING btree ("duplicate_of");