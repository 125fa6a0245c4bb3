import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
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
    workers: integer("workers").notNull(),
    engine: text("engine").notNull(),
    /** The Gemini model and requests-per-minute budget the settings named at submit (null: the engine's own, unlimited). */
    model: text("model"),
    geminiRpm: integer("gemini_rpm"),
    /** The batch this one runs again with the same images (batch.rerun). */
    rerunOf: uuid("rerun_of").references((): AnyPgColumn => batches.id, { onDelete: "set null" }),
    sourceUrl: text("source_url"),
    description: text("description"),
    idempotencyKey: text("idempotency_key"),
    /** Admin option: analyse every image afresh instead of reusing earlier answers. */
    skipCache: boolean("skip_cache").notNull().default(false),
    totalImages: integer("total_images").notNull(),
    succeededImages: integer("succeeded_images").notNull().default(0),
    failedImages: integer("failed_images").notNull().default(0),
    /** Bumped by every recorded change; the progress stream's event id. */
    progressSeq: bigint("progress_seq", { mode: "number" }).notNull().default(0),
    error: text("error"),
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
    phash: text("phash"),
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
