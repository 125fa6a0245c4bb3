import {
  batchTimings,
  noteBatchError,
  saveBatchMetrics,
  saveMergedItems,
  type BatchMetricsInput,
  type BatchRow,
  type Executor,
} from "@showscan/db";
import { mergeBatch } from "../results/merge-batch";
import { mean, percentile, speedup } from "./measure";
import type { MemoryPeak } from "./memory-peaks";

/**
 * What a batch's end stores: its merged results and its measured figures. The merge runs in a
 * savepoint: should it fail (a reading it cannot handle), the batch still ends with its images'
 * outcomes and figures, and says why its results are missing, rather than its last attempt
 * failing to record and being retried forever.
 */
export async function finalizeBatch(tx: Executor, batch: BatchRow, memory: MemoryPeak | null = null): Promise<BatchMetricsInput> {
  try {
    await tx.transaction(async (savepoint) => saveMergedItems(savepoint, batch.id, await mergeBatch(savepoint, batch)));
  } catch (error) {
    await noteBatchError(tx, batch.id, `the results could not be merged: ${error instanceof Error ? error.message : String(error)}`);
  }
  return storeBatchMetrics(tx, batch, memory);
}

/** The measured figures of a finished batch, all from its recorded rows. */
async function storeBatchMetrics(tx: Executor, batch: BatchRow, memory: MemoryPeak | null): Promise<BatchMetricsInput> {
  const t = await batchTimings(tx, batch.id);
  const wallMs = batch.startedAt && batch.finishedAt ? batch.finishedAt.getTime() - batch.startedAt.getTime() : 0;
  const sumImageMs = t.imageMs.reduce((a, b) => a + b, 0);
  const metrics: BatchMetricsInput = {
    batchId: batch.id,
    wallMs,
    sumImageMs,
    speedup: speedup(sumImageMs, wallMs),
    successRate: batch.totalImages ? batch.succeededImages / batch.totalImages : 0,
    meanImageMs: mean(t.imageMs),
    p50ImageMs: percentile(t.imageMs, 50),
    p95ImageMs: percentile(t.imageMs, 95),
    attempts: t.attempts,
    retries: t.retries,
    rateLimited: t.rateLimited,
    promptTokens: t.promptTokens,
    outputTokens: t.outputTokens,
    // Share of the window's slot time that attempts actually used.
    workerUtilisation: wallMs > 0 ? Math.min(1, t.busyMs / (wallMs * batch.workers)) : 0,
    cachedImages: t.cachedImages,
    peakRssBytes: memory?.rssBytes ?? null,
    peakWorkerHeapBytes: memory?.workerHeapBytes ?? null,
  };
  await saveBatchMetrics(tx, metrics);
  return metrics;
}
