import { TRPCError } from "@trpc/server";
import {
  endOpenImages,
  lockBatch,
  notifyWork,
  reopenBatch,
  requeueFailedImages,
  setBatchPriority,
  stopBatch,
  type Database,
} from "@showscan/db";
import type { Dispatcher } from "../pipeline/dispatcher";
import { finalizeBatch } from "../pipeline/finalize";
import type { PipelineMetrics } from "../pipeline/metrics";
import { publishProgress } from "../pipeline/progress";

/**
 * Stops a batch: images not yet analysed are cancelled, attempts in flight are aborted (here at
 * once, in other processes when they hear the cancelled status), what did finish is merged.
 */
export async function cancelBatch(deps: { db: Database; dispatcher: Dispatcher; metrics: PipelineMetrics }, batchId: string) {
  const batch = await deps.db.transaction(async (tx) => {
    const status = await lockBatch(tx, batchId);
    if (status !== "queued" && status !== "running") return null;
    const cancelled = await endOpenImages(tx, { batchId, status: "cancelled", errorClass: "cancelled", error: "cancelled" });
    const stopped = await stopBatch(tx, batchId, { status: "cancelled", error: "cancelled by request", failed: 0 });
    if (!stopped) return null;
    await finalizeBatch(tx, stopped);
    await publishProgress(tx, batchId);
    return { ...stopped, cancelledImages: cancelled };
  });
  if (!batch) throw new TRPCError({ code: "CONFLICT", message: "the batch has already ended" });
  deps.dispatcher.abortBatch(batchId, "batch cancelled");
  deps.metrics.batchFinished("cancelled");
  return { batchId, status: batch.status, cancelledImages: batch.cancelledImages };
}

/** Queues a batch's failed images again, each with a fresh retry budget. */
export async function retryFailedImages(deps: { db: Database; dispatcher: Dispatcher }, batchId: string) {
  const requeued = await deps.db.transaction(async (tx) => {
    // Checked under the lock: a cancel committing in between would otherwise be undone.
    if ((await lockBatch(tx, batchId)) === "cancelled")
      throw new TRPCError({ code: "CONFLICT", message: "a cancelled batch cannot be resumed" });
    const count = await requeueFailedImages(tx, batchId);
    if (count === 0) return 0;
    await reopenBatch(tx, batchId, count);
    await publishProgress(tx, batchId);
    await notifyWork(tx);
    return count;
  });
  deps.dispatcher.kick();
  return { batchId, requeued };
}

/** Moves a batch ahead of others; the next claim round, here and in every process, follows it. */
export async function prioritizeBatch(deps: { db: Database; dispatcher: Dispatcher }, batchId: string, priority: number) {
  await setBatchPriority(deps.db, batchId, priority);
  deps.dispatcher.kick();
  return { batchId, priority };
}
