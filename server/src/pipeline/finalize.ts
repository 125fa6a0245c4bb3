import {
  batchTimings,
  listExtractions,
  saveBatchMetrics,
  saveBatchResults,
  type BatchMetricsInput,
  type BatchRow,
  type Executor,
} from "@showscan/db";
import { mergeExtractions, type MergedResults } from "../extraction/merge";
import { extractionSchema } from "../extraction/schema";
import { mean, percentile, speedup } from "./measure";

/** Merges the batch's extractions and stores the results and the reporting rows. */
async function storeMergedResults(tx: Executor, batchId: string): Promise<MergedResults> {
  const rows = await listExtractions(tx, batchId);
  const merged = mergeExtractions(rows.map((r) => ({ imageId: r.imageId, extraction: extractionSchema.parse(r.extraction) })));
  await saveBatchResults(
    tx,
    batchId,
    merged,
    merged.shows.map((s) => ({
      key: s.key,
      venueName: s.venueName,
      dayOfWeek: s.dayOfWeek,
      startTime: s.startTime,
      endTime: s.endTime,
      date: s.date,
      djName: s.djName,
      vendor: s.vendor,
      description: s.description,
      address: s.address,
      city: s.city,
      state: s.state,
      zip: s.zip,
      phone: s.phone,
      confidence: s.confidence,
      sourceImageIds: s.sources,
      hasConflicts: Object.keys(s.conflicts).length > 0,
    })),
  );
  return merged;
}

/** What a batch's end stores: its merged results and its measured figures. */
export async function finalizeBatch(tx: Executor, batch: BatchRow): Promise<BatchMetricsInput> {
  await storeMergedResults(tx, batch.id);
  return storeBatchMetrics(tx, batch);
}

/** The measured figures of a finished batch, all from its recorded rows. */
async function storeBatchMetrics(tx: Executor, batch: BatchRow): Promise<BatchMetricsInput> {
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
  };
  await saveBatchMetrics(tx, metrics);
  return metrics;
}
