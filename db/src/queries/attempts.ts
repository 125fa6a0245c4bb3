import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { onlyRow } from "./rows";
import { attempts, batches, type AttemptOutcome, type BatchRow } from "../schema";

export interface AttemptEnd {
  attemptId: number;
  outcome: Exclude<AttemptOutcome, "running">;
  latencyMs: number;
  errorClass?: string | null;
  errorMessage?: string | null;
  httpStatus?: number | null;
  model?: string | null;
  promptTokens?: number | null;
  outputTokens?: number | null;
}

export async function finishAttempt(db: Executor, end: AttemptEnd) {
  await db
    .update(attempts)
    .set({
      outcome: end.outcome,
      finishedAt: sql`now()`,
      latencyMs: end.latencyMs,
      errorClass: end.errorClass ?? null,
      errorMessage: end.errorMessage ?? null,
      httpStatus: end.httpStatus ?? null,
      model: end.model ?? null,
      promptTokens: end.promptTokens ?? null,
      outputTokens: end.outputTokens ?? null,
    })
    .where(eq(attempts.id, end.attemptId));
}

/** Whether an attempt has its end recorded (by its own process, or closed when its image was taken over). */
export async function attemptFinished(db: Executor, attemptId: number): Promise<boolean> {
  const [row] = await db.select({ outcome: attempts.outcome }).from(attempts).where(eq(attempts.id, attemptId));
  return row !== undefined && row.outcome !== "running";
}

export async function listAttempts(db: Executor, batchId: string) {
  return db.select().from(attempts).where(eq(attempts.batchId, batchId)).orderBy(attempts.id);
}

/**
 * Adds finished images to the batch counters. When every image
 * is final the batch ends: completed if any image succeeded, failed if none did.
 * A pause for the daily quota whose time has passed is cleared.
 */
export async function advanceBatch(db: Executor, batchId: string, delta: { succeeded: number; failed: number }): Promise<BatchRow> {
  const rows = await db
    .update(batches)
    .set({
      succeededImages: sql`${batches.succeededImages} + ${delta.succeeded}`,
      failedImages: sql`${batches.failedImages} + ${delta.failed}`,
      status: sql`case
        when ${batches.status} in ('completed', 'failed', 'cancelled') then ${batches.status}
        when ${batches.succeededImages} + ${batches.failedImages} + ${delta.succeeded + delta.failed} >= ${batches.totalImages}
          then (case when ${batches.succeededImages} + ${delta.succeeded} > 0 then 'completed' else 'failed' end)
        else ${batches.status} end`,
      finishedAt: sql`case
        when ${batches.finishedAt} is null and ${batches.succeededImages} + ${batches.failedImages} + ${delta.succeeded + delta.failed} >= ${batches.totalImages}
          then now() else ${batches.finishedAt} end`,
      // An attempt recorded after the spent daily quota's reset time: the batch runs again. One
      // recorded during the pause (it was on its way already) leaves the pause standing.
      resumesAt: sql`case when ${batches.resumesAt} <= now() then null else ${batches.resumesAt} end`,
    })
    .where(eq(batches.id, batchId))
    .returning();
  return onlyRow(rows, `advanceBatch ${batchId}`);
}

/** Ends a batch early with a reason that the whole batch shares (bad key, cancelled). */
export async function stopBatch(
  db: Executor,
  batchId: string,
  args: { status: "failed" | "cancelled"; error: string; failed: number },
): Promise<BatchRow | undefined> {
  const [row] = await db
    .update(batches)
    .set({
      status: args.status,
      error: args.error,
      failedImages: sql`${batches.failedImages} + ${args.status === "failed" ? args.failed : 0}`,
      finishedAt: sql`now()`,
      resumesAt: null,
    })
    .where(sql`${batches.id} = ${batchId} and ${batches.status} in ('queued', 'running')`)
    .returning();
  return row;
}
