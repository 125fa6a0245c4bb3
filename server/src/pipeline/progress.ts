import {
  appendProgressEvent,
  bumpProgressSeq,
  getBatch,
  progressFigures,
  type BatchRow,
  type Executor,
  type ProgressFigures,
} from "@showscan/db";
import { speedup } from "./measure";

/** What a client sees of a running batch: the original service's fields and what a UI needs. */
export interface BatchProgress {
  batchId: string;
  status: BatchRow["status"];
  totalImages: number;
  processedImages: number;
  remainingImages: number;
  failedImages: number;
  succeededImages: number;
  currentBatch: number;
  totalBatches: number;
  averageTimePerImage: number;
  estimatedTimeRemaining: number;
  inFlight: number;
  workers: number;
  elapsedMs: number;
  speedup: number;
  error: string | null;
  /** Something to know that is not a failure (the process running it prepares one image at a time). */
  notice: string | null;
  /** Set while the key's daily quota is spent: the batch waits until then (ISO time) and resumes by itself. */
  resumesAt: string | null;
  seq: number;
}

/** Every figure comes from recorded rows; none is estimated from settings. */
export function toProgress(batch: BatchRow, figures: ProgressFigures): BatchProgress {
  const processed = batch.succeededImages + batch.failedImages;
  const remaining = Math.max(0, batch.totalImages - processed);
  const totalBatches = Math.max(1, Math.ceil(batch.totalImages / batch.workers));
  const average = figures.timedImages ? figures.sumImageMs / figures.timedImages : 0;
  const end = batch.finishedAt ?? figures.now;
  const elapsedMs = batch.startedAt ? Math.max(0, end.getTime() - batch.startedAt.getTime()) : 0;
  return {
    batchId: batch.id,
    status: batch.status,
    totalImages: batch.totalImages,
    processedImages: processed,
    remainingImages: remaining,
    failedImages: batch.failedImages,
    succeededImages: batch.succeededImages,
    currentBatch: remaining === 0 ? totalBatches : Math.min(totalBatches, Math.floor(processed / batch.workers) + 1),
    totalBatches,
    averageTimePerImage: Math.round(average),
    // A sliding window finishes `workers` images per average image time.
    estimatedTimeRemaining: Math.round((remaining * average) / batch.workers),
    inFlight: figures.inFlight,
    workers: batch.workers,
    elapsedMs,
    speedup: Number(speedup(figures.sumImageMs, elapsedMs).toFixed(2)),
    error: batch.error,
    notice: batch.notice,
    // Cleared lazily, by the first attempt recorded after it: a time past is no pause.
    resumesAt: batch.resumesAt && batch.resumesAt > figures.now ? batch.resumesAt.toISOString() : null,
    seq: batch.progressSeq,
  };
}

export async function readProgress(db: Executor, batchId: string): Promise<BatchProgress | null> {
  const batch = await getBatch(db, batchId);
  if (!batch) return null;
  return toProgress(batch, await progressFigures(db, batchId));
}

/**
 * Takes the batch's next sequence number, stores the snapshot of its state under it and
 * announces it. Called last in the transaction that changed the batch, so the snapshot is
 * exactly what that transaction commits.
 */
export async function publishProgress(tx: Executor, batchId: string): Promise<BatchProgress | null> {
  const bumped = await bumpProgressSeq(tx, batchId);
  if (!bumped) return null;
  const progress = toProgress(bumped.batch, bumped.figures);
  await appendProgressEvent(tx, { batchId, seq: progress.seq, status: progress.status, data: progress });
  return progress;
}
