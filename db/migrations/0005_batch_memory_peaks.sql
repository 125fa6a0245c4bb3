ALTER TABLE "batch_metrics" ADD COLUMN "peak_rss_bytes" bigint;--> statement-breakpoint
ALTER TABLE "batch_metrics" ADD COLUMN "peak_worker_heap_bytes" bigint;