import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
// Millisecond precision, as JavaScript dates have: a timestamp read back compares equal (cursors).
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const BATCH_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const FINAL_BATCH_STATUSES: readonly BatchStatus[] = ["completed", "failed", "cancelled"];

/** `duplicate` images share the outcome of the identical image they copy. */
export const IMAGE_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "duplicate"] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const BATCH_MODES = ["parallel", "sequential"] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** `cached`: the answer came from an earlier analysis of the same image; no request was made. */
export const ATTEMPT_OUTCOMES = ["running", "succeeded", "cached", "retry", "failed", "cancelled", "lease_expired"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const batches = pgTable(
  "batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    owner: text("owner").notNull(),
    status: text("status", { enum: BATCH_STATUSES }).notNull().default("queued"),
    mode: text("mode", { enum: BATCH_MODES }).notNull().default("parallel"),
    /** Requests of this batch at the API at once, over all processes; with `workersAuto`, the number chosen last. */
    workers: integer("workers").notNull(),
    /** `workers: 'auto'`: the window is chosen from the measured latency and the rate limit. */
    workersAuto: boolean("workers_auto").notNull().default(false),
    /** Higher runs first; interactive submissions get 1, admin batches 0 unless raised. */
    priority: integer("priority").notNull().default(0),
    /** Set while the key's daily quota is spent: the batch waits until then and resumes by itself. */
    resumesAt: tstz("resumes_at"),
    engine: text("engine").notNull(),
    /** The Gemini model and requests-per-minute budget the settings named at submit (null: the engine's own, unlimited). */
    model: text("model"),
    geminiRpm: integer("gemini_rpm"),
    /** The batch this one runs again with the same images (batch.rerun). */
    rerunOf: uuid("rerun_of").references((): AnyPgColumn => batches.id, { onDelete: "set null" }),
    sourceUrl: text("source_url"),
    description: text("description"),
    /** The karaoke company the sender named for the whole upload: the company of a show whose image names none. */
    vendor: text("vendor"),
    idempotencyKey: text("idempotency_key"),
    /** Admin option: analyse every image afresh instead of reusing earlier answers. */
    skipCache: boolean("skip_cache").notNull().default(false),
    totalImages: integer("total_images").notNull(),
    succeededImages: integer("succeeded_images").notNull().default(0),
    failedImages: integer("failed_images").notNull().default(0),
    /** Bumped by every recorded change; the progress stream's event id. */
    progressSeq: bigint("progress_seq", { mode: "number" }).notNull().default(0),
    error: text("error"),
    /** Something the owner should know that is not a failure, e.g. a process preparing one image at a time after its worker threads kept dying. */
    notice: text("notice"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    uniqueIndex("batches_owner_idempotency_key").on(t.owner, t.idempotencyKey),
    index("batches_owner_created").on(t.owner, t.createdAt),
    index("batches_active").on(t.status).where(sql`status in ('queued', 'running')`),
  ],
);

export const images = pgTable(
  "images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    fileName: text("file_name").notNull(),
    mimeType: text("mime_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    content: bytea("content").notNull(),
    /** A small JPEG of the original, made on its first request. */
    thumbnail: bytea("thumbnail"),
    sha256: text("sha256").notNull(),
    /** 64-bit DCT perceptual hash as 16 hex digits: the cache's prefilter for near duplicates. */
    phash: text("phash"),
    /** The cache's finer check of a near duplicate (grey and colour thumbnails, hex; see server/src/pool/fingerprint.ts). */
    fingerprint: text("fingerprint"),
    width: integer("width"),
    height: integer("height"),
    duplicateOf: uuid("duplicate_of"),
    /** The earlier image whose analysis this one reused (same bytes or near-identical picture). */
    cachedFrom: uuid("cached_from"),
    /** Engine, model and prompt version of the analysis that succeeded: what the cache matches on. */
    analysisKey: text("analysis_key"),
    status: text("status", { enum: IMAGE_STATUSES }).notNull().default("queued"),
    attemptCount: integer("attempt_count").notNull().default(0),
    /** Attempts that ended in a per-minute 429: they wait for the quota, not for a fix. */
    rateLimitedCount: integer("rate_limited_count").notNull().default(0),
    /** attempt_count when the image was last queued again by hand: the retry budget starts there. */
    retryBase: integer("retry_base").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: tstz("lease_expires_at"),
    /**
     * Set while the lease holder has the image's request at the API: what the batch's window
     * counts. A leased image without it is claimed ahead (being prepared or waiting for a slot).
     */
    callingSince: tstz("calling_since"),
    extraction: jsonb("extraction"),
    errorClass: text("error_class"),
    error: text("error"),
    /** Measured time of the successful attempt (or the last one), in ms. */
    durationMs: integer("duration_ms"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    uniqueIndex("images_batch_position").on(t.batchId, t.position),
    index("images_runnable").on(t.batchId, t.nextAttemptAt).where(sql`status in ('queued', 'running')`),
    index("images_duplicate_of").on(t.duplicateOf),
    index("images_cache").on(t.analysisKey, t.sha256).where(sql`status = 'succeeded'`),
  ],
);

export const attempts = pgTable(
  "attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    imageId: uuid("image_id")
      .notNull()
      .references(() => images.id, { onDelete: "cascade" }),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    attemptNumber: integer("attempt_number").notNull(),
    worker: text("worker").notNull(),
    engine: text("engine").notNull(),
    startedAt: tstz("started_at").notNull().defaultNow(),
    finishedAt: tstz("finished_at"),
    latencyMs: integer("latency_ms"),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }).notNull().default("running"),
    errorClass: text("error_class"),
    errorMessage: text("error_message"),
    httpStatus: integer("http_status"),
    model: text("model"),
    promptTokens: integer("prompt_tokens"),
    outputTokens: integer("output_tokens"),
  },
  (t) => [index("attempts_batch").on(t.batchId), index("attempts_image").on(t.imageId, t.attemptNumber)],
);

export const ITEM_KINDS = ["show", "venue", "dj", "vendor"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Against the catalog: never approved before, the same as an approved item, or approved but now different. */
export const ITEM_MATCHES = ["new", "known", "changed"] as const;
export type ItemMatch = (typeof ITEM_MATCHES)[number];

export const REVIEW_STATES = ["pending", "approved", "rejected"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** The catalog: approved shows, venues, hosts and companies, one row each across all batches. */
export const catalogItems = pgTable(
  "catalog_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ITEM_KINDS }).notNull(),
    /** The item's own fields (the extraction's field names), as last approved. */
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull(),
    /** The merged items approved into this one, oldest first. */
    approvedItemIds: uuid("approved_item_ids").array().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("catalog_items_kind").on(t.kind)],
);

/**
 * The merged results of a batch, one row per show, venue, host and company: the API's
 * `batch.results` once the batch ended, and what review works on.
 */
export const mergedItems = pgTable(
  "merged_items",
  {
    /** Derived from the batch and the key, so the live merge of a running batch names items the same. */
    id: uuid("id").primaryKey(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ITEM_KINDS }).notNull(),
    /** The normalised identity the merge gave the item within its batch. */
    key: text("key").notNull(),
    position: integer("position").notNull(),
    /** The item's own fields (the extraction's field names), reviewers' edits applied. */
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull(),
    confidence: doublePrecision("confidence").notNull(),
    /** Provenance: the images and their succeeded attempts that said it. */
    sourceImageIds: uuid("source_image_ids").array().notNull(),
    sourceAttemptIds: bigint("source_attempt_ids", { mode: "number" }).array().notNull(),
    /** Per field, every distinct value the images gave, the kept one first. */
    conflicts: jsonb("conflicts").$type<Record<string, unknown[]>>().notNull(),
    match: text("match", { enum: ITEM_MATCHES }).notNull().default("new"),
    catalogItemId: uuid("catalog_item_id").references(() => catalogItems.id, { onDelete: "set null" }),
    /** For `changed`: the catalog's values of the fields that differ. */
    previous: jsonb("previous").$type<Record<string, unknown>>(),
    review: text("review", { enum: REVIEW_STATES }).notNull().default("pending"),
    reviewedBy: text("reviewed_by"),
    reviewedAt: tstz("reviewed_at"),
  },
  (t) => [
    uniqueIndex("merged_items_batch_kind_key").on(t.batchId, t.kind, t.key),
    index("merged_items_batch_position").on(t.batchId, t.kind, t.position),
    index("merged_items_catalog").on(t.catalogItemId),
  ],
);

export const REVIEW_ACTIONS = ["approve", "reject", "edit"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Who did what to which merged item and when; edits keep each changed field's before and after. */
export const reviewActions = pgTable(
  "review_actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => mergedItems.id, { onDelete: "cascade" }),
    action: text("action", { enum: REVIEW_ACTIONS }).notNull(),
    actor: text("actor").notNull(),
    at: tstz("at").notNull().defaultNow(),
    catalogItemId: uuid("catalog_item_id").references(() => catalogItems.id, { onDelete: "set null" }),
    changes: jsonb("changes").$type<Record<string, { before: unknown; after: unknown }>>(),
  },
  (t) => [index("review_actions_item").on(t.itemId)],
);

/** The merged shows with their fields as columns, for reporting with SQL. */
export const mergedShows = pgView("merged_shows", {
  id: uuid("id").notNull(),
  batchId: uuid("batch_id").notNull(),
  venueName: text("venue_name").notNull(),
  dayOfWeek: text("day_of_week").notNull(),
  startTime: text("start_time"),
  endTime: text("end_time"),
  djName: text("dj_name"),
  vendor: text("vendor"),
  address: text("address"),
  city: text("city"),
  state: text("state"),
  zip: text("zip"),
  phone: text("phone"),
  confidence: doublePrecision("confidence").notNull(),
  sourceImageIds: uuid("source_image_ids").array().notNull(),
  hasConflicts: boolean("has_conflicts").notNull(),
  match: text("match", { enum: ITEM_MATCHES }).notNull(),
  review: text("review", { enum: REVIEW_STATES }).notNull(),
}).as(sql`
  select id, batch_id,
    fields->>'venueName' as venue_name, fields->>'dayOfWeek' as day_of_week,
    fields->>'startTime' as start_time, fields->>'endTime' as end_time,
    fields->>'djName' as dj_name, fields->>'vendor' as vendor,
    fields->>'address' as address, fields->>'city' as city, fields->>'state' as state,
    fields->>'zip' as zip, fields->>'phone' as phone,
    confidence, source_image_ids, conflicts <> '{}'::jsonb as has_conflicts, match, review
  from merged_items where kind = 'show'`);

/** Measured figures of a finished batch. */
export const batchMetrics = pgTable("batch_metrics", {
  batchId: uuid("batch_id")
    .primaryKey()
    .references(() => batches.id, { onDelete: "cascade" }),
  wallMs: integer("wall_ms").notNull(),
  sumImageMs: integer("sum_image_ms").notNull(),
  speedup: doublePrecision("speedup").notNull(),
  successRate: doublePrecision("success_rate").notNull(),
  meanImageMs: doublePrecision("mean_image_ms"),
  p50ImageMs: doublePrecision("p50_image_ms"),
  p95ImageMs: doublePrecision("p95_image_ms"),
  attempts: integer("attempts").notNull(),
  retries: integer("retries").notNull(),
  rateLimited: integer("rate_limited").notNull(),
  promptTokens: integer("prompt_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  workerUtilisation: doublePrecision("worker_utilisation").notNull(),
  /** Images answered from the cache: no request, no tokens. */
  cachedImages: integer("cached_images").notNull().default(0),
  /**
   * Peak resident memory of the process that finished the batch, and peak V8 heap of its worker
   * threads together, sampled while it ran the batch's images (null: not sampled).
   */
  peakRssBytes: bigint("peak_rss_bytes", { mode: "number" }),
  peakWorkerHeapBytes: bigint("peak_worker_heap_bytes", { mode: "number" }),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export type BatchRow = typeof batches.$inferSelect;
export type ImageRow = typeof images.$inferSelect;
export type AttemptRow = typeof attempts.$inferSelect;
export type MergedItemRow = typeof mergedItems.$inferSelect;
export type CatalogItemRow = typeof catalogItems.$inferSelect;
export type BatchMetricsRow = typeof batchMetrics.$inferSelect;

/** Counters of rate-limiter-flexible's Drizzle store, shared by every process on the database. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: tstz("expire"),
});

/**
 * The key-wide request schedule (GCRA, see queries/rate-cells.ts): the theoretical arrival time
 * of the next request, the rate the key allows itself after 429s, and a pause after one.
 */
export const rateCells = pgTable("rate_cells", {
  key: text("key").primaryKey(),
  tat: tstz("tat").notNull(),
  /** Requests per minute the key allows itself now: lowered by 429s, raised back step by step. Null: the configured limit. */
  allowedRpm: doublePrecision("allowed_rpm"),
  pausedUntil: tstz("paused_until"),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

/**
 * Every progress snapshot of a batch, numbered by its progress sequence: a subscriber that
 * reconnects replays what it missed from here, with no gap and no repeat.
 */
export const progressEvents = pgTable(
  "progress_events",
  {
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    data: jsonb("data").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.seq] })],
);

/** The service's settings: one row, created with defaults on first read, read at every submit. */
export const settings = pgTable(
  "settings",
  {
    id: integer("id").primaryKey().default(1),
    defaultWorkers: integer("default_workers").notNull(),
    defaultMode: text("default_mode", { enum: BATCH_MODES }).notNull(),
    /** Null: unlimited. */
    geminiRpm: integer("gemini_rpm"),
    model: text("model").notNull(),
    userMaxFiles: integer("user_max_files").notNull(),
    userBatchesPerMinute: integer("user_batches_per_minute").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("settings_single_row", sql`${t.id} = 1`)],
);

export type SettingsRow = typeof settings.$inferSelect;
/** The settings themselves, without the row's bookkeeping. */
export type SettingsValues = Omit<SettingsRow, "id" | "updatedAt">;

/**
 * What a model costs, in US dollars per million tokens, from `valid_from` on. Costs are never
 * stored: the reporting views price each attempt's recorded tokens with the rate in force when
 * it started, so adding or correcting a rate re-prices history.
 */
export const modelRates = pgTable(
  "model_rates",
  {
    model: text("model").notNull(),
    promptUsdPerMillion: numeric("prompt_usd_per_million", { precision: 12, scale: 6, mode: "number" }).notNull(),
    outputUsdPerMillion: numeric("output_usd_per_million", { precision: 12, scale: 6, mode: "number" }).notNull(),
    validFrom: tstz("valid_from").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.validFrom] }),
    check("model_rates_not_negative", sql`${t.promptUsdPerMillion} >= 0 and ${t.outputUsdPerMillion} >= 0`),
  ],
);

export type ModelRateRow = typeof modelRates.$inferSelect;

// Reporting views, for SQL users and the report.* procedures. Days and weeks are UTC. Counts are
// cast to int and sums of tokens to bigint so the driver hands back numbers; costs stay numeric
// (exact sums of exact rates). The views that roll batches up are written as functions of an
// optional filter: the view is the unfiltered body, and the named queries (queries/reports.ts)
// run the same body over a filtered set of batches, so a filtered figure cannot drift from the view's.

/** One row per attempt with its price: the rate used and the cost (null when its model has no rate). */
export const reportAttemptCosts = pgView("report_attempt_costs", {
  attemptId: bigint("attempt_id", { mode: "number" }).notNull(),
  batchId: uuid("batch_id").notNull(),
  attemptNumber: integer("attempt_number").notNull(),
  startedAt: tstz("started_at").notNull(),
  outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }).notNull(),
  httpStatus: integer("http_status"),
  /** The model the attempt reported, else the batch's. */
  model: text("model"),
  promptTokens: integer("prompt_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  /** valid_from of the rate applied; null when the model has none. */
  rateValidFrom: tstz("rate_valid_from"),
  /** 0 for an attempt without tokens (no request made, a cached answer); null when unpriced. */
  costUsd: numeric("cost_usd", { mode: "number" }),
  /** Tokens were spent and the model has no rate. */
  unpriced: boolean("unpriced").notNull(),
}).as(sql`
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
  ) r on true`);

/** One row per batch: its counters, measured figures, attempts, tokens and cost. */
export const reportBatches = pgView("report_batches", {
  batchId: uuid("batch_id").notNull(),
  createdAt: tstz("created_at").notNull(),
  finishedAt: tstz("finished_at"),
  status: text("status", { enum: BATCH_STATUSES }).notNull(),
  owner: text("owner").notNull(),
  sourceUrl: text("source_url"),
  mode: text("mode", { enum: BATCH_MODES }).notNull(),
  workers: integer("workers").notNull(),
  engine: text("engine").notNull(),
  model: text("model"),
  images: integer("images").notNull(),
  succeeded: integer("succeeded").notNull(),
  failed: integer("failed").notNull(),
  /** Images answered from the cache (cached_from set). */
  cached: integer("cached").notNull(),
  /** succeeded / images, so far while the batch runs. */
  successRate: doublePrecision("success_rate"),
  /** batch_metrics' figures: null until the batch ended. */
  wallMs: integer("wall_ms"),
  sumImageMs: integer("sum_image_ms"),
  speedup: doublePrecision("speedup"),
  meanImageMs: doublePrecision("mean_image_ms"),
  p50ImageMs: doublePrecision("p50_image_ms"),
  p95ImageMs: doublePrecision("p95_image_ms"),
  /** From upload (created_at) to the first image's result; null before it. */
  firstResultMs: doublePrecision("first_result_ms"),
  /** From upload to the batch's end (finished_at); null until it ended. */
  lastResultMs: doublePrecision("last_result_ms"),
  attempts: integer("attempts").notNull(),
  /** Attempts after an image's first (as batch_metrics counts them). */
  retries: integer("retries").notNull(),
  /** Attempts answered HTTP 429. */
  rateLimited: integer("rate_limited").notNull(),
  promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
  outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
  /** Null when any attempt of the batch is unpriced. */
  costUsd: numeric("cost_usd", { mode: "number" }),
  unpricedAttempts: integer("unpriced_attempts").notNull(),
}).as(sql`
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
  ) c`);

const whereClause = (filter?: SQL) => (filter ? sql` where ${filter}` : sql``);

/** The figures of a set of report_batches rows, shared by the per-day, per-week and per-source views. */
const batchRollup = sql.raw(`count(*)::int as batches, sum(images)::int as images, sum(succeeded)::int as succeeded,
    sum(succeeded)::float8 / nullif(sum(images), 0) as success_rate,
    avg(speedup) as mean_speedup,
    sum(prompt_tokens)::bigint as prompt_tokens, sum(output_tokens)::bigint as output_tokens,
    case when sum(unpriced_attempts) > 0 then null else sum(cost_usd) end as cost_usd,
    sum(unpriced_attempts)::int as unpriced_attempts`);

const rollupColumns = {
  batches: integer("batches").notNull(),
  images: integer("images").notNull(),
  succeeded: integer("succeeded").notNull(),
  /** succeeded / images over the period's batches. */
  successRate: doublePrecision("success_rate"),
  /** Mean of the batches' speedups (batches that ended). */
  meanSpeedup: doublePrecision("mean_speedup"),
  promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
  outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
  /** Null when any attempt in the period is unpriced. */
  costUsd: numeric("cost_usd", { mode: "number" }),
  unpricedAttempts: integer("unpriced_attempts").notNull(),
};

const dayOf = (column: string) => sql.raw(`(${column} at time zone 'UTC')::date`);

/** The SQL bodies of the reporting views, each over the batches (or attempts) the filter keeps. */
export const reportViewBodies = {
  /** `filter` on report_batches' columns. */
  daily: (filter?: SQL) => sql`
  select ${dayOf("created_at")} as day, ${batchRollup}
  from report_batches${whereClause(filter)}
  group by 1`,
  weekly: (filter?: SQL) => sql`
  select to_char(created_at at time zone 'UTC', 'IYYY-"W"IW') as week,
    date_trunc('week', created_at at time zone 'UTC')::date as week_start, ${batchRollup}
  from report_batches${whereClause(filter)}
  group by 1, 2`,
  sources: (filter?: SQL) => sql`
  select source_url, owner, ${batchRollup}, min(created_at) as first_batch_at, max(created_at) as last_batch_at
  from report_batches${whereClause(filter)}
  group by source_url, owner`,
  waits: (filter?: SQL) => sql`
  select ${dayOf("created_at")} as day, count(*)::int as batches,
    percentile_cont(0.5) within group (order by first_result_ms) as first_result_p50_ms,
    percentile_cont(0.95) within group (order by first_result_ms) as first_result_p95_ms,
    percentile_cont(0.5) within group (order by last_result_ms) as last_result_p50_ms,
    percentile_cont(0.95) within group (order by last_result_ms) as last_result_p95_ms
  from report_batches${whereClause(filter)}
  group by 1`,
  /** `filter` on the attempts and their batches (unaliased, so drizzle's columns name them). */
  errors: (filter?: SQL) => sql`
  select day, error_class, attempts, share, sample_message, last_seen_at from (
    select ${dayOf("attempts.started_at")} as day, attempts.error_class, count(*)::int as attempts,
      -- Grouped with the attempts that have no error, so the share is of every attempt that day.
      count(*)::float8 / (sum(count(*)) over (partition by ${dayOf("attempts.started_at")}))::float8 as share,
      (array_agg(attempts.error_message order by attempts.started_at desc, attempts.id desc)
        filter (where attempts.error_message is not null))[1] as sample_message,
      max(attempts.started_at) as last_seen_at
    from attempts join batches on batches.id = attempts.batch_id${whereClause(filter)}
    group by 1, 2
  ) per_class
  where error_class is not null`,
};

/** Per UTC day of batch creation. */
export const reportDaily = pgView("report_daily", { day: date("day", { mode: "string" }).notNull(), ...rollupColumns }).as(
  reportViewBodies.daily(),
);

/** Per ISO week of batch creation (UTC). */
export const reportWeekly = pgView("report_weekly", {
  /** ISO week, e.g. 2026-W10. */
  week: text("week").notNull(),
  /** Its Monday. */
  weekStart: date("week_start", { mode: "string" }).notNull(),
  ...rollupColumns,
}).as(reportViewBodies.weekly());

/** Per error class and UTC day of the attempt's start. */
export const reportErrors = pgView("report_errors", {
  day: date("day", { mode: "string" }).notNull(),
  errorClass: text("error_class").notNull(),
  attempts: integer("attempts").notNull(),
  /** Of all attempts started that day (within the filter). */
  share: doublePrecision("share").notNull(),
  /** The most recent message of the class that day. */
  sampleMessage: text("sample_message"),
  lastSeenAt: tstz("last_seen_at").notNull(),
}).as(reportViewBodies.errors());

/** Per source URL (null: none given) and owner. */
export const reportSources = pgView("report_sources", {
  sourceUrl: text("source_url"),
  owner: text("owner").notNull(),
  ...rollupColumns,
  firstBatchAt: tstz("first_batch_at").notNull(),
  lastBatchAt: tstz("last_batch_at").notNull(),
}).as(reportViewBodies.sources());

/** What submitters waited, per UTC day of upload: percentiles over that day's batches (in ms). */
export const reportWaits = pgView("report_waits", {
  day: date("day", { mode: "string" }).notNull(),
  batches: integer("batches").notNull(),
  /** Upload to the first image's result. */
  firstResultP50Ms: doublePrecision("first_result_p50_ms"),
  firstResultP95Ms: doublePrecision("first_result_p95_ms"),
  /** Upload to the batch's end; only batches that ended count. */
  lastResultP50Ms: doublePrecision("last_result_p50_ms"),
  lastResultP95Ms: doublePrecision("last_result_p95_ms"),
}).as(reportViewBodies.waits());
