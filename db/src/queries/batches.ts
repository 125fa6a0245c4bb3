import { and, desc, eq, getTableColumns, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { batches, batchMetrics, images, type BatchMode, type BatchRow } from "../schema";

export interface NewImage {
  fileName: string;
  mimeType: string;
  content: Buffer;
  sha256: string;
}

export interface NewBatch {
  owner: string;
  mode: BatchMode;
  workers: number;
  /** `workers: 'auto'`: `workers` is where the choice starts. */
  workersAuto?: boolean;
  priority?: number;
  engine: string;
  model?: string | null;
  geminiRpm?: number | null;
  rerunOf?: string | null;
  sourceUrl?: string | null;
  description?: string | null;
  vendor?: string | null;
  idempotencyKey?: string | null;
  /** Analyse every image afresh rather than reuse an earlier answer. */
  skipCache?: boolean;
  images: NewImage[];
}

/** A new batch's columns from its options, with the defaults of those left out: every insert of a batch goes through here. */
export function batchValues(options: Omit<NewBatch, "images" | "owner">) {
  return {
    mode: options.mode,
    workers: options.workers,
    workersAuto: options.workersAuto ?? false,
    priority: options.priority ?? 0,
    engine: options.engine,
    model: options.model ?? null,
    geminiRpm: options.geminiRpm ?? null,
    rerunOf: options.rerunOf ?? null,
    sourceUrl: options.sourceUrl ?? null,
    description: options.description ?? null,
    vendor: options.vendor ?? null,
    idempotencyKey: options.idempotencyKey ?? null,
    skipCache: options.skipCache ?? false,
  };
}

/**
 * Creates a batch and its images in one transaction. An image whose bytes equal an earlier
 * one's in the same batch is stored as a duplicate of it and never analysed on its own.
 * With an idempotency key the same owner gets the existing batch back instead of a new one.
 */
export async function createBatch(
  db: Database,
  input: NewBatch,
  /** Runs in the same transaction once the batch and its images are stored. */
  onCreated?: (tx: Executor, batch: BatchRow) => Promise<unknown>,
): Promise<{ batch: BatchRow; created: boolean }> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(batches)
      .values({ ...batchValues(input), owner: input.owner, totalImages: input.images.length })
      .onConflictDoNothing({ target: [batches.owner, batches.idempotencyKey] })
      .returning();
    if (!batch) {
      // Only the (owner, idempotencyKey) conflict skips the insert, so the earlier batch exists.
      const existing = input.idempotencyKey ? await findBatchByIdempotencyKey(tx, input.owner, input.idempotencyKey) : undefined;
      if (!existing) throw new Error(`createBatch: insert skipped but no batch has key ${input.idempotencyKey}`);
      return { batch: existing, created: false };
    }
    const ids = new Map<string, string>();
    const rows = input.images.map((image, position) => {
      const id = crypto.randomUUID();
      const original = ids.get(image.sha256);
      if (!original) ids.set(image.sha256, id);
      return {
        id,
        batchId: batch.id,
        position,
        fileName: image.fileName,
        mimeType: image.mimeType,
        byteSize: image.content.byteLength,
        content: image.content,
        sha256: image.sha256,
        duplicateOf: original ?? null,
        status: original ? ("duplicate" as const) : ("queued" as const),
      };
    });
    // Chunked so a 400-image upload stays under the protocol's parameter limit.
    for (let i = 0; i < rows.length; i += 200) await tx.insert(images).values(rows.slice(i, i + 200));
    await onCreated?.(tx, batch);
    return { batch, created: true };
  });
}

export async function findBatchByIdempotencyKey(db: Executor, owner: string, key: string) {
  return db.query.batches.findFirst({ where: and(eq(batches.owner, owner), eq(batches.idempotencyKey, key)) });
}

export async function getBatch(db: Executor, id: string) {
  return db.query.batches.findFirst({ where: eq(batches.id, id) });
}

export interface BatchListFilter {
  owner?: string;
  status?: BatchRow["status"][];
  createdAfter?: Date;
  createdBefore?: Date;
  /** Keyset cursor: the createdAt and id of the last row of the previous page. */
  cursor?: { createdAt: Date; id: string };
  limit: number;
}

/** A page of batches with their measured figures (null until the batch ended). */
export async function listBatches(db: Executor, f: BatchListFilter) {
  return db
    .select({
      ...getTableColumns(batches),
      wallMs: batchMetrics.wallMs,
      speedup: batchMetrics.speedup,
      successRate: batchMetrics.successRate,
    })
    .from(batches)
    .leftJoin(batchMetrics, eq(batchMetrics.batchId, batches.id))
    .where(
      and(
        f.owner ? eq(batches.owner, f.owner) : undefined,
        f.status?.length ? inArray(batches.status, f.status) : undefined,
        f.createdAfter ? gte(batches.createdAt, f.createdAfter) : undefined,
        f.createdBefore ? lt(batches.createdAt, f.createdBefore) : undefined,
        f.cursor
          ? sql`(${batches.createdAt}, ${batches.id}) < (${f.cursor.createdAt.toISOString()}::timestamptz, ${f.cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(f.limit);
}

/** Puts a finished batch back to work after `requeued` of its failed images were queued again. */
export async function reopenBatch(db: Executor, batchId: string, requeued: number) {
  const [row] = await db
    .update(batches)
    .set({
      status: "running",
      failedImages: sql`${batches.failedImages} - ${requeued}`,
      error: null,
      finishedAt: null,
    })
    .where(and(eq(batches.id, batchId), sql`${batches.status} <> 'cancelled'`))
    .returning();
  return row;
}

/** Notes on an ended batch what went wrong after its images were done (its results could not be merged). */
export async function noteBatchError(db: Executor, batchId: string, error: string): Promise<void> {
  await db.update(batches).set({ error }).where(eq(batches.id, batchId));
}

/**
 * Notes `notice` on every running batch with an image claimed by `leaseOwner` (one process):
 * what that process's state means for them. Answers the batches noted.
 */
export async function noteNoticeOnLeasedBatches(db: Executor, leaseOwner: string, notice: string): Promise<string[]> {
  const leased = db
    .selectDistinct({ id: images.batchId })
    .from(images)
    .where(and(eq(images.leaseOwner, leaseOwner), eq(images.status, "running")));
  const rows = await db
    .update(batches)
    .set({ notice })
    .where(and(inArray(batches.id, leased), eq(batches.status, "running")))
    .returning({ id: batches.id });
  return rows.map((r) => r.id);
}

/** An admin moves a batch ahead of (or behind) others; every process's next claim round follows. */
export async function setBatchPriority(db: Executor, batchId: string, priority: number): Promise<BatchRow | null> {
  const [row] = await db.update(batches).set({ priority }).where(eq(batches.id, batchId)).returning();
  return row ?? null;
}

/**
 * Locks a batch's row for the rest of the transaction and returns its status. Every transaction
 * that changes a batch's images takes this lock first: one lock order, so no deadlocks.
 */
export async function lockBatch(db: Executor, batchId: string): Promise<BatchRow["status"] | null> {
  const [row] = await db.execute<{ status: BatchRow["status"] }>(sql`select status from ${batches} where id = ${batchId} for update`);
  return row?.status ?? null;
}
