import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { batches, images, type BatchRow } from "../schema";

export interface BatchPause {
  batchId: string;
  /** The attempt whose answer was the spent daily quota: its image goes back to the queue. */
  imageId: string;
  owner: string;
  attemptNumber: number;
  resumesAt: Date;
  errorClass: string;
  error: string;
}

/**
 * The key's daily quota is spent: the batch waits until `resumesAt` instead of failing its
 * images. The attempt's image goes back to the queue (if the attempt still holds it) without
 * spending its retry budget, every queued image of the batch waits until then, and the batch
 * keeps running with `resumes_at` set; the dispatcher's poll picks the images up when the time
 * comes. Images other attempts hold stay theirs: an answer already on its way is kept, a
 * second spent-quota answer comes back here. Call with the batch row locked (lockBatch).
 */
export async function pauseBatchUntil(tx: Executor, p: BatchPause): Promise<{ requeued: boolean; batch: BatchRow | undefined }> {
  const until = sql`${p.resumesAt.toISOString()}::timestamptz`;
  const requeued = await tx
    .update(images)
    .set({
      status: "queued",
      leaseOwner: null,
      leaseExpiresAt: null,
      nextAttemptAt: p.resumesAt,
      // Waiting for the quota is no failure of the image: this attempt does not count as a retry.
      retryBase: sql`${images.retryBase} + 1`,
      errorClass: p.errorClass,
      error: p.error,
    })
    .where(
      and(eq(images.id, p.imageId), eq(images.leaseOwner, p.owner), eq(images.attemptCount, p.attemptNumber), eq(images.status, "running")),
    )
    .returning({ id: images.id });
  await tx
    .update(images)
    .set({ nextAttemptAt: sql`greatest(${images.nextAttemptAt}, ${until})` })
    .where(and(eq(images.batchId, p.batchId), inArray(images.status, ["queued"])));
  const [batch] = await tx
    .update(batches)
    .set({ resumesAt: sql`greatest(${batches.resumesAt}, ${until})` })
    .where(and(eq(batches.id, p.batchId), inArray(batches.status, ["queued", "running"])))
    .returning();
  return { requeued: requeued.length > 0, batch };
}
