import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { attempts, batches, images, type ImageRow, type ImageStatus } from "../schema";
import { lockBatch } from "./batches";

/** An image is runnable when it waits for its (re)try or when its holder's lease expired. */
const runnable = sql`(
  (${images.status} = 'queued' and ${images.nextAttemptAt} <= now())
  or (${images.status} = 'running' and ${images.leaseExpiresAt} < now())
)`;

export interface RunnableBatch {
  batchId: string;
  workers: number;
  workersAuto: boolean;
  priority: number;
}

/**
 * Batches with work to hand out: the highest priority first, then the least served, so a
 * 3-image submission is offered a slot before the next image of a 400-image batch that already
 * has its window full.
 */
export async function listRunnableBatches(db: Executor, limit = 50): Promise<RunnableBatch[]> {
  const rows = await db.execute<{ batch_id: string; workers: number; workers_auto: boolean; priority: number; calling: number }>(sql`
    select b.id as batch_id, b.workers, b.workers_auto, b.priority,
      (select count(*)::int from ${images} r where r.batch_id = b.id and ${atTheApi("r")}) as calling
    from ${batches} b
    where b.status in ('queued', 'running')
      and exists (select 1 from ${images} where ${images.batchId} = b.id and ${runnable})
    order by b.priority desc, calling asc, b.created_at asc
    limit ${limit}`);
  return rows.map((r) => ({
    batchId: r.batch_id,
    workers: r.workers,
    workersAuto: r.workers_auto,
    priority: r.priority,
  }));
}

/** An image whose request is at the API under a live lease: what a batch's window counts. */
export const atTheApi = (alias: string) =>
  sql.raw(`(${alias}.status = 'running' and ${alias}.calling_since is not null and ${alias}.lease_expires_at >= now())`);

export interface ClaimedImage {
  imageId: string;
  batchId: string;
  attemptId: number;
  /** Counts every attempt the image ever had: with the owner, it names the lease. */
  attemptNumber: number;
  /** Attempts before the image was last queued again by hand; the retry budget starts after them. */
  retryBase: number;
  rateLimitedCount: number;
  /** Identical uploads wait on this image and take its outcome. */
  hasCopies: boolean;
  fileName: string;
  mimeType: string;
  content: Buffer;
  /** The batch's model and requests-per-minute budget, as its settings were at submit. */
  model: string | null;
  geminiRpm: number | null;
  /** The batch asked for a fresh analysis: no answer is reused from the cache. */
  skipCache: boolean;
}

/**
 * Claims up to `max` runnable images of one batch for `owner`, to prepare ahead of their
 * request: a claim does not count in the batch's window, which `takeSlot` guards (see
 * window.ts). The caller bounds `max` by its look-ahead, which bounds the bytes it holds. The
 * batch row is locked first, as by every transaction on a batch's images (one lock order, no
 * deadlocks); SKIP LOCKED keeps two claimers from waiting on each other's rows.
 */
export async function claimImages(
  db: Executor,
  args: { batchId: string; owner: string; engine: string; leaseMs: number; max: number },
): Promise<ClaimedImage[]> {
  await lockBatch(db, args.batchId);
  const rows = await db.execute<{
    id: string;
    attempt_count: number;
    retry_base: number;
    rate_limited_count: number;
    file_name: string;
    mime_type: string;
    content: Buffer;
    has_copies: boolean;
    attempt_id: number;
    model: string | null;
    gemini_rpm: number | null;
    skip_cache: boolean;
  }>(sql`
    with quota as (
      select greatest(0, ${args.max})::int as take, b.model, b.gemini_rpm, b.skip_cache
      from ${batches} b where b.id = ${args.batchId} and b.status in ('queued', 'running')
    ),
    picked as (
      select id, status = 'running' as was_running from ${images}
      where batch_id = ${args.batchId} and ${runnable}
      order by next_attempt_at, position
      limit (select coalesce((select take from quota), 0))
      for update skip locked
    ),
    claimed as (
      update ${images} i set
        status = 'running',
        calling_since = null,
        lease_owner = ${args.owner},
        lease_expires_at = now() + ${`${args.leaseMs} milliseconds`}::interval,
        attempt_count = i.attempt_count + 1
      from picked where i.id = picked.id
      returning i.id, i.attempt_count, i.retry_base, i.rate_limited_count, i.file_name, i.mime_type, i.content, picked.was_running,
        exists (select 1 from ${images} d where d.duplicate_of = i.id) as has_copies
    ),
    -- The previous holder's attempt never reported back: close it so every attempt has an end.
    closed as (
      update ${attempts} set outcome = 'lease_expired', finished_at = now(), error_class = 'lease', error_message = 'lease expired; image taken over'
      where outcome = 'running' and image_id in (select id from claimed where was_running)
    ),
    started as (
      update ${batches} set status = 'running', started_at = coalesce(started_at, now())
      where id = ${args.batchId} and status = 'queued' and exists (select 1 from claimed)
    ),
    inserted as (
      insert into ${attempts} (image_id, batch_id, attempt_number, worker, engine)
      select id, ${args.batchId}, attempt_count, ${args.owner}, ${args.engine} from claimed
      returning id, image_id
    )
    select c.id, c.attempt_count, c.retry_base, c.rate_limited_count, c.file_name, c.mime_type, c.content, c.has_copies, a.id as attempt_id,
      q.model, q.gemini_rpm, q.skip_cache
    from claimed c join inserted a on a.image_id = c.id cross join quota q`);
  return rows.map((c) => ({
    imageId: c.id,
    batchId: args.batchId,
    attemptId: Number(c.attempt_id),
    attemptNumber: c.attempt_count,
    retryBase: c.retry_base,
    rateLimitedCount: c.rate_limited_count,
    hasCopies: c.has_copies,
    fileName: c.file_name,
    mimeType: c.mime_type,
    content: c.content,
    model: c.model,
    geminiRpm: c.gemini_rpm,
    skipCache: c.skip_cache,
  }));
}

export type ImageOutcome =
  | {
      kind: "succeeded";
      extraction: unknown;
      /** Null for an answer from the cache: it took no analysis, so it counts in no timing figure. */
      durationMs: number | null;
      width: number | null;
      height: number | null;
      phash: string | null;
      /** The finer check of a near duplicate (see queries/cache.ts). */
      fingerprint?: string | null;
      /** Engine, model and prompt version of the analysis: what later images match on. */
      analysisKey?: string | null;
      /** The earlier image whose analysis this reuses. */
      cachedFrom?: string | null;
    }
  | { kind: "retry"; retryInMs: number; errorClass: string; error: string; rateLimited: boolean }
  | { kind: "failed"; errorClass: string; error: string; durationMs: number | null };

/**
 * Applies an attempt's outcome to the image, if the attempt still holds the image's lease.
 * Returns how many images reached a final state (the image and its duplicates), or null when
 * the lease was lost: another process took the image over, or the batch was stopped.
 */
export async function applyImageOutcome(
  db: Executor,
  args: { imageId: string; owner: string; attemptNumber: number; hasCopies: boolean; outcome: ImageOutcome },
): Promise<{ succeeded: number; failed: number } | null> {
  const { outcome } = args;
  const holdsLease = and(
    eq(images.id, args.imageId),
    eq(images.leaseOwner, args.owner),
    eq(images.attemptCount, args.attemptNumber),
    eq(images.status, "running"),
  );
  const common = { leaseOwner: null, leaseExpiresAt: null, callingSince: null } as const;
  const set =
    outcome.kind === "succeeded"
      ? {
          ...common,
          status: "succeeded" as const,
          extraction: outcome.extraction,
          durationMs: outcome.durationMs,
          width: outcome.width,
          height: outcome.height,
          phash: outcome.phash,
          fingerprint: outcome.fingerprint ?? null,
          analysisKey: outcome.analysisKey ?? null,
          cachedFrom: outcome.cachedFrom ?? null,
          errorClass: null,
          error: null,
          finishedAt: sql`now()`,
        }
      : outcome.kind === "retry"
        ? {
            ...common,
            status: "queued" as const,
            // Never before a paused batch resumes (a spent daily quota): nothing would come of it.
            nextAttemptAt: sql`greatest(now() + ${`${outcome.retryInMs} milliseconds`}::interval,
              coalesce((select b.resumes_at from ${batches} b where b.id = ${images.batchId}), now()))`,
            errorClass: outcome.errorClass,
            error: outcome.error,
            ...(outcome.rateLimited ? { rateLimitedCount: sql`${images.rateLimitedCount} + 1` } : {}),
          }
        : {
            ...common,
            status: "failed" as const,
            errorClass: outcome.errorClass,
            error: outcome.error,
            durationMs: outcome.durationMs,
            finishedAt: sql`now()`,
          };
  const updated = await db.update(images).set(set).where(holdsLease).returning({ id: images.id });
  if (updated.length === 0) return null;
  if (outcome.kind === "retry") return { succeeded: 0, failed: 0 };
  if (!args.hasCopies) return outcome.kind === "succeeded" ? { succeeded: 1, failed: 0 } : { succeeded: 0, failed: 1 };

  const copies = await db
    .update(images)
    .set({ status: outcome.kind, errorClass: set.errorClass, error: set.error, finishedAt: sql`now()` })
    .where(and(eq(images.duplicateOf, args.imageId), eq(images.status, "duplicate")))
    .returning({ id: images.id });
  const finished = 1 + copies.length;
  return outcome.kind === "succeeded" ? { succeeded: finished, failed: 0 } : { succeeded: 0, failed: finished };
}

/**
 * Ends every image of a batch that is not final yet (a configuration error, a cancellation).
 * Attempts still running elsewhere will find their lease gone.
 */
export async function endOpenImages(
  db: Executor,
  args: { batchId: string; status: Extract<ImageStatus, "failed" | "cancelled">; errorClass: string; error: string },
) {
  const rows = await db
    .update(images)
    .set({
      status: args.status,
      errorClass: args.errorClass,
      error: args.error,
      leaseOwner: null,
      leaseExpiresAt: null,
      callingSince: null,
      finishedAt: sql`now()`,
    })
    .where(and(eq(images.batchId, args.batchId), inArray(images.status, ["queued", "running", "duplicate"])))
    .returning({ id: images.id });
  return rows.length;
}

export async function listImages(db: Executor, batchId: string): Promise<Omit<ImageRow, "content" | "thumbnail" | "fingerprint">[]> {
  // Neither the bytes nor the 4 kB fingerprint: this is read on every refresh of a batch's page.
  const { content: _bytes, thumbnail: _thumbnail, fingerprint: _fingerprint, ...columns } = getTableColumns(images);
  return db.select(columns).from(images).where(eq(images.batchId, batchId)).orderBy(asc(images.position));
}

/** A batch's images as uploaded, in order: what a re-run submits again. */
export async function listImageUploads(db: Executor, batchId: string) {
  return db
    .select({ fileName: images.fileName, content: images.content })
    .from(images)
    .where(eq(images.batchId, batchId))
    .orderBy(asc(images.position));
}

/** What serving an image needs before its bytes: who may see it and its cache key. */
export async function findImageAccess(db: Executor, imageId: string) {
  const [row] = await db
    .select({ id: images.id, mimeType: images.mimeType, sha256: images.sha256, owner: batches.owner })
    .from(images)
    .innerJoin(batches, eq(batches.id, images.batchId))
    .where(eq(images.id, imageId));
  return row ?? null;
}

export async function getImageContent(db: Executor, imageId: string): Promise<Buffer | null> {
  const [row] = await db.select({ content: images.content }).from(images).where(eq(images.id, imageId));
  return row?.content ?? null;
}

export async function getImageThumbnail(db: Executor, imageId: string): Promise<Buffer | null> {
  const [row] = await db.select({ thumbnail: images.thumbnail }).from(images).where(eq(images.id, imageId));
  return row?.thumbnail ?? null;
}

export async function saveImageThumbnail(db: Executor, imageId: string, thumbnail: Buffer) {
  await db.update(images).set({ thumbnail }).where(eq(images.id, imageId));
}

/** Failed images back in the queue with a fresh retry budget. */
export async function requeueFailedImages(db: Executor, batchId: string): Promise<number> {
  const rows = await db
    .update(images)
    // A copy goes back to waiting on its original, which is requeued beside it.
    .set({
      status: sql`case when ${images.duplicateOf} is null then 'queued' else 'duplicate' end`,
      retryBase: sql`${images.attemptCount}`,
      rateLimitedCount: 0,
      nextAttemptAt: sql`now()`,
      errorClass: null,
      error: null,
      finishedAt: null,
    })
    .where(and(eq(images.batchId, batchId), eq(images.status, "failed")))
    .returning({ id: images.id });
  return rows.length;
}
