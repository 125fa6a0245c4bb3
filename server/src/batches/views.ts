import {
  countCachedImages,
  getBatchMetrics,
  listAttempts,
  listBatches,
  listMergedItems,
  listImages,
  progressFigures,
  type BatchRow,
  type Database,
} from "@showscan/db";
import { mergeBatch } from "../results/merge-batch";
import { type BatchResults, toBatchResults } from "../results/results";
import { toProgress } from "../pipeline/progress";

/** Plain words for each error class, for people reading a batch's images. */
const PLAIN: Record<string, string> = {
  retryable: "a temporary problem (network, server error or a crashed worker)",
  timeout: "the analysis took too long",
  invalidOutput: "the model's answer was not usable",
  rateLimited: "the key's per-minute quota was exhausted",
  permanent: "this image cannot be analysed",
  config: "the service's Gemini configuration is wrong",
  quotaExhausted: "the key's daily quota is used up",
  cancelled: "the batch was cancelled",
  lease: "the server handling it stopped; another one took over",
};

export async function batchDetail(db: Database, batch: BatchRow) {
  const [figures, metrics, cachedImages] = await Promise.all([
    progressFigures(db, batch.id),
    getBatchMetrics(db, batch.id),
    countCachedImages(db, batch.id),
  ]);
  const progress = toProgress(batch, figures);
  return {
    id: batch.id,
    owner: batch.owner,
    status: batch.status,
    mode: batch.mode,
    workers: batch.workers,
    workersAuto: batch.workersAuto,
    priority: batch.priority,
    engine: batch.engine,
    model: batch.model,
    rerunOf: batch.rerunOf,
    skipCache: batch.skipCache,
    sourceUrl: batch.sourceUrl,
    description: batch.description,
    error: batch.error,
    /** While the key's daily quota is spent: when the batch resumes by itself (null: not paused). */
    resumesAt: progress.resumesAt,
    createdAt: batch.createdAt,
    startedAt: batch.startedAt,
    finishedAt: batch.finishedAt,
    progress,
    /** Images answered so far from earlier analyses (no request, no tokens); counted in succeeded. */
    cachedImages,
    metrics,
  };
}

export async function batchImages(db: Database, batchId: string) {
  const [images, attempts] = await Promise.all([listImages(db, batchId), listAttempts(db, batchId)]);
  return images.map((image) => ({
    id: image.id,
    position: image.position,
    fileName: image.fileName,
    mimeType: image.mimeType,
    byteSize: image.byteSize,
    status: image.status,
    /** A running image is prepared (decoded, resized) ahead of its call: it is at the API only from then. */
    callingSince: image.status === "running" ? image.callingSince : null,
    duplicateOf: image.duplicateOf,
    /** Answered from an earlier analysis of the same picture: `cachedFrom` is the image analysed. */
    cached: image.cachedFrom !== null,
    cachedFrom: image.cachedFrom,
    durationMs: image.durationMs,
    error: image.error,
    errorExplained: image.errorClass ? (PLAIN[image.errorClass] ?? image.errorClass) : null,
    finishedAt: image.finishedAt,
    attempts: attempts
      .filter((a) => a.imageId === image.id)
      .map((a) => ({
        number: a.attemptNumber,
        outcome: a.outcome,
        startedAt: a.startedAt,
        latencyMs: a.latencyMs,
        errorClass: a.errorClass,
        error: a.errorMessage,
        httpStatus: a.httpStatus,
        model: a.model,
        promptTokens: a.promptTokens,
        outputTokens: a.outputTokens,
      })),
  }));
}

/**
 * The merged data: stored once the batch ended, merged from what is in so far while it runs. A
 * batch that ended before merged items were stored is merged now.
 */
export async function batchResults(db: Database, batch: BatchRow): Promise<BatchResults> {
  const stored = batch.finishedAt ? await listMergedItems(db, batch.id) : [];
  if (stored.length) return toBatchResults(stored, true);
  return toBatchResults(await mergeBatch(db, batch), batch.finishedAt !== null);
}

export async function batchPage(db: Database, filter: Parameters<typeof listBatches>[1]) {
  const rows = await listBatches(db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map((b) => ({
      id: b.id,
      owner: b.owner,
      status: b.status,
      mode: b.mode,
      engine: b.engine,
      totalImages: b.totalImages,
      succeededImages: b.succeededImages,
      failedImages: b.failedImages,
      workers: b.workers,
      description: b.description,
      rerunOf: b.rerunOf,
      createdAt: b.createdAt,
      finishedAt: b.finishedAt,
      // Measured when the batch ended (batch_metrics); null until then.
      wallMs: b.wallMs,
      speedup: b.speedup,
      successRate: b.successRate,
    })),
    nextCursor: rows.length > filter.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null,
  };
}
