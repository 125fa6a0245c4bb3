import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { batches, images, type BatchRow } from "../schema";
import { batchValues, type NewBatch, type NewImage } from "./batches";

/**
 * A batch whose images are stored one by one as an upload streams in, all in the caller's
 * transaction: nothing is visible (or claimable) before it commits, and a refused upload rolls
 * back with nothing left behind. The options a form sends after its files are set at the end.
 */
export type BatchOptions = Omit<NewBatch, "images" | "owner">;

export async function insertBatch(tx: Executor, owner: string, options: BatchOptions): Promise<BatchRow> {
  const [batch] = await tx
    .insert(batches)
    .values({ ...batchValues(options), owner, totalImages: 0 })
    .returning();
  if (!batch) throw new Error("insertBatch: no row returned");
  return batch;
}

export interface NewBatchImage extends NewImage {
  id: string;
  batchId: string;
  position: number;
  /** The image of the same batch with the same bytes, or null. */
  duplicateOf: string | null;
}

/** Stores uploads' bytes in one statement; a copy of an earlier image of the batch is a duplicate of it. */
export async function insertBatchImages(tx: Executor, rows: NewBatchImage[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(images).values(
    rows.map((image) => ({
      id: image.id,
      batchId: image.batchId,
      position: image.position,
      fileName: image.fileName,
      mimeType: image.mimeType,
      byteSize: image.content.byteLength,
      // As base64 text, decoded by Postgres: the driver would send a Buffer as hex, twice its
      // size, and an upload stores hundreds of these one after another.
      content: sql`decode(${image.content.toString("base64")}, 'base64')`,
      sha256: image.sha256,
      duplicateOf: image.duplicateOf,
      status: image.duplicateOf ? ("duplicate" as const) : ("queued" as const),
    })),
  );
}

/** Sets the options read with the upload and its image count, once every file is stored. */
export async function settleBatch(tx: Executor, batchId: string, options: BatchOptions, totalImages: number): Promise<BatchRow> {
  const [batch] = await tx
    .update(batches)
    .set({ ...batchValues(options), totalImages })
    .where(eq(batches.id, batchId))
    .returning();
  if (!batch) throw new Error(`settleBatch: batch ${batchId} not found`);
  return batch;
}
