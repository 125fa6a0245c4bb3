CREATE TABLE "model_rates" (
	"model" text NOT NULL,
	"prompt_usd_per_million" numeric(12, 6) NOT NULL,
	"output_usd_per_million" numeric(12, 6) NOT NULL,
	"valid_from" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_rates_model_valid_from_pk" PRIMARY KEY("model","valid_from"),
	CONSTRAINT "model_rates_not_negative" CHECK ("model_rates"."prompt_usd_per_million" >= 0 and "model_rates"."output_usd_per_million" >= 0)
);
--> statement-breakpoint
CREATE VIEW "public"."report_attempt_costs" AS (
  select a.id as attempt_id, a.batch_id, a.attempt_number, a.started_at, a.outcome, a.http_status,
    coalesce(a.model, b.model) as model,
    coalesce(a.prompt_tokens, 0) as prompt_tokens, coalesce(a.output_tokens, 0) as output_tokens,
    r.valid_from as rate_valid_from,
    case
      when a.outcome = 'cached' or coalesce(a.prompt_tokens, 0) + coalesce(a.output_tokens, 0) = 0 then 0::numeric
      when r.valid_from is null then null
      else (coalesce(a.prompt_tokens, 0) * r.prompt_usd_per_million + coalesce(a.output_tokens, 0) * r.output_usd_per_million) / 1000000
    end as cost_usd,
    (a.outcome <> 'cached' and coalesce(a.prompt_tokens, 0) + coalesce(a.output_tokens, 0) > 0 and r.valid_from is null) as unpriced
  from attempts a
  join batches b on b.id = a.batch_id
  -- The rate in force when the attempt started (the latest valid_from at or before it). An attempt
  -- older than its model's first rate takes that first rate: prices are usually entered after the
  -- fact, and pricing that history is closer to the truth than calling it unpriced.
  left join lateral (
    select m.valid_from, m.prompt_usd_per_million, m.output_usd_per_million
    from model_rates m
    where m.model = coalesce(a.model, b.model)
    order by m.valid_from <= a.started_at desc, case when m.valid_from <= a.started_at then m.valid_from end desc, m.valid_from
    limit 1
  ) r on true);--> statement-breakpoint
CREATE VIEW "public"."report_batches" AS (
  select b.id as batch_id, b.created_at, b.finished_at, b.status, b.owner, b.source_url, b.mode, b.workers, b.engine, b.model,
    b.total_images as images, b.succeeded_images as succeeded, b.failed_images as failed, i.cached,
    b.succeeded_images::float8 / nullif(b.total_images, 0) as success_rate,
    m.wall_ms, m.sum_image_ms, m.speedup, m.mean_image_ms, m.p50_image_ms, m.p95_image_ms,
    extract(epoch from i.first_result_at - b.created_at)::float8 * 1000 as first_result_ms,
    extract(epoch from b.finished_at - b.created_at)::float8 * 1000 as last_result_ms,
    c.attempts, c.retries, c.rate_limited, c.prompt_tokens, c.output_tokens,
    case when c.unpriced_attempts > 0 then null else c.cost_usd end as cost_usd,
    c.unpriced_attempts
  from batches b
  left join batch_metrics m on m.batch_id = b.id
  -- Lateral, so a report on a few batches (one owner, one week) reads only their rows.
  cross join lateral (
    select count(*) filter (where cached_from is not null)::int as cached,
      min(finished_at) filter (where status in ('succeeded', 'failed')) as first_result_at
    from images where batch_id = b.id
  ) i
  cross join lateral (
    select count(*)::int as attempts,
      count(*) filter (where attempt_number > 1)::int as retries,
      count(*) filter (where http_status = 429)::int as rate_limited,
      coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
      coalesce(sum(output_tokens), 0)::bigint as output_tokens,
      coalesce(sum(cost_usd), 0) as cost_usd,
      count(*) filter (where unpriced)::int as unpriced_attempts
    from report_attempt_costs where batch_id = b.id
  ) c);--> statement-breakpoint
CREATE VIEW "public"."report_daily" AS (
  select (created_at at time zone 'UTC')::date as day, count(*)::int as batches, sum(images)::int as images, sum(succeeded)::int as succeeded,
    sum(succeeded)::float8 / nullif(sum(images), 0) as success_rate,
    avg(speedup) as mean_speedup,
    sum(prompt_tokens)::bigint as prompt_tokens, sum(output_tokens)::bigint as output_tokens,
    case when sum(unpriced_attempts) > 0 then null else sum(cost_usd) end as cost_usd,
    sum(unpriced_attempts)::int as unpriced_attempts
  from report_batches
  group by 1);--> statement-breakpoint
CREATE VIEW "public"."report_errors" AS (
  select day, error_class, attempts, share, sample_message, last_seen_at from (
    select (attempts.started_at at time zone 'UTC')::date as day, attempts.error_class, count(*)::int as attempts,
      -- Grouped with the attempts that have no error, so the share is of every attempt that day.
      count(*)::float8 / (sum(count(*)) over (partition by (attempts.started_at at time zone 'UTC')::date))::float8 as share,
      (array_agg(attempts.error_message order by attempts.started_at desc, attempts.id desc)
        filter (where attempts.error_message is not null))[1] as sample_message,
      max(attempts.started_at) as last_seen_at
    from attempts join batches on batches.id = attempts.batch_id
    group by 1, 2
  ) per_class
  where error_class is not null);--> statement-breakpoint
CREATE VIEW "public"."report_sources" AS (
  select source_url, owner, count(*)::int as batches, sum(images)::int as images, sum(succeeded)::int as succeeded,
    sum(succeeded)::float8 / nullif(sum(images), 0) as success_rate,
    avg(speedup) as mean_speedup,
    sum(prompt_tokens)::bigint as prompt_tokens, sum(output_tokens)::bigint as output_tokens,
    case when sum(unpriced_attempts) > 0 then null else sum(cost_usd) end as cost_usd,
    sum(unpriced_attempts)::int as unpriced_attempts, min(created_at) as first_batch_at, max(created_at) as last_batch_at
  from report_batches
  group by source_url, owner);--> statement-breakpoint
CREATE VIEW "public"."report_waits" AS (
  select (created_at at time zone 'UTC')::date as day, count(*)::int as batches,
    percentile_cont(0.5) within group (order by first_result_ms) as first_result_p50_ms,
    percentile_cont(0.95) within group (order by first_result_ms) as first_result_p95_ms,
    percentile_cont(0.5) within group (order by last_result_ms) as last_result_p50_ms,
    percentile_cont(0.95) within group (order by last_result_ms) as last_result_p95_ms
  from report_batches
  group by 1);--> statement-breakpoint
CREATE VIEW "public"."report_weekly" AS (
  select to_char(created_at at time zone 'UTC', 'IYYY-"W"IW') as week,
    date_trunc('week', created_at at time zone 'UTC')::date as week_start, count(*)::int as batches, sum(images)::int as images, sum(succeeded)::int as succeeded,
    sum(succeeded)::float8 / nullif(sum(images), 0) as success_rate,
    avg(speedup) as mean_speedup,
    sum(prompt_tokens)::bigint as prompt_tokens, sum(output_tokens)::bigint as output_tokens,
    case when sum(unpriced_attempts) > 0 then null else sum(cost_usd) end as cost_usd,
    sum(unpriced_attempts)::int as unpriced_attempts
  from report_batches
  group by 1, 2);