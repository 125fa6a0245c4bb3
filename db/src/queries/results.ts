import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { onlyRow } from "./rows";
import { attempts, batchMetrics, images } from "../schema";

export interface ImageExtraction {
  imageId: string;
  /** The succeeded attempt that produced it (provenance); null for images answered before attempts were kept. */
  attemptId: number | null;
  position: number;
  fileName: string;
  extraction: unknown;
}

/** The per-image extractions of a batch's analysed images, in upload order. */
export async function listExtractions(db: Executor, batchId: string): Promise<ImageExtraction[]> {
  return db
    .select({
      imageId: images.id,
      // Qualified by hand: inside a select list drizzle renders columns unqualified.
      attemptId: sql<number | null>`(select max(a.id) from ${attempts} a
        where a.image_id = "images"."id" and a.outcome in ('succeeded', 'cached'))`.mapWith(Number),
      position: images.position,
      fileName: images.fileName,
      extraction: images.extraction,
    })
    .from(images)
    .where(and(eq(images.batchId, batchId), eq(images.status, "succeeded"), isNotNull(images.extraction)))
    .orderBy(images.position);
}

/** What the measured figures of a batch are computed from. */
export async function batchTimings(db: Executor, batchId: string) {
  const imageTimes = await db
    .select({ durationMs: images.durationMs })
    .from(images)
    .where(and(eq(images.batchId, batchId), isNotNull(images.durationMs), sql`${images.duplicateOf} is null`));
  const totals = await db
    .select({
      attempts: sql<number>`count(*)::int`,
      retries: sql<number>`count(*) filter (where ${attempts.attemptNumber} > 1)::int`,
      rateLimited: sql<number>`count(*) filter (where ${attempts.httpStatus} = 429)::int`,
      promptTokens: sql<number>`coalesce(sum(${attempts.promptTokens}), 0)::int`,
      outputTokens: sql<number>`coalesce(sum(${attempts.outputTokens}), 0)::int`,
      busyMs: sql<number>`coalesce(sum(${attempts.latencyMs}), 0)::int`,
      firstStart: sql<Date | null>`min(${attempts.startedAt})`,
      lastEnd: sql<Date | null>`max(${attempts.finishedAt})`,
      // Images answered from the cache: their attempts made no request and their images have no time.
      cachedImages: sql<number>`(select count(*)::int from ${images} where ${images.batchId} = ${batchId} and ${images.cachedFrom} is not null)`,
    })
    .from(attempts)
    .where(eq(attempts.batchId, batchId));
  // The where clause keeps only timed images.
  return {
    imageMs: imageTimes.flatMap((r) => (r.durationMs === null ? [] : [r.durationMs])),
    ...onlyRow(totals, `batchTimings ${batchId}`),
  };
}

export type BatchMetricsInput = typeof batchMetrics.$inferInsert;

export async function saveBatchMetrics(db: Executor, metrics: BatchMetricsInput) {
  await db.insert(batchMetrics).values(metrics).onConflictDoUpdate({ target: batchMetrics.batchId, set: metrics });
}

export async function getBatchMetrics(db: Executor, batchId: string) {
  const [row] = await db.select().from(batchMetrics).where(eq(batchMetrics.batchId, batchId));
  return row ?? null;
}
