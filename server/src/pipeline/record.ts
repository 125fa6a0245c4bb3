import {
  advanceBatch,
  applyImageOutcome,
  endOpenImages,
  finishAttempt,
  lockBatch,
  pauseBatchUntil,
  stopBatch,
  FINAL_BATCH_STATUSES,
  type BatchMetricsInput,
  type BatchRow,
  type Database,
  type ImageOutcome,
} from "@showscan/db";
import type { AttemptResult, HeldClaim } from "./attempt";
import { dailyQuotaResumesAt } from "./daily-quota";
import { finalizeBatch } from "./finalize";
import type { MemoryPeak } from "./memory-peaks";
import { publishProgress } from "./progress";
import { decideRetry, type RetryPolicy } from "./retry-policy";

export interface Recorded {
  /** The batch after this attempt, or null when the attempt had lost its lease. */
  batch: BatchRow | null;
  processedBefore: number;
  /** Set when this attempt ended the batch. */
  metrics: BatchMetricsInput | null;
  retryInMs: number | null;
  /** The whole batch was stopped (bad key). */
  stopped: boolean;
}

/**
 * Records one attempt in a single transaction: the attempt row, the image's new state, the
 * batch counters and progress sequence, the merged results when the batch ends, and the
 * NOTIFY that subscribers wait for, which Postgres delivers only if all of it commits.
 */
export async function recordAttempt(
  db: Database,
  claim: HeldClaim,
  owner: string,
  attempt: AttemptResult,
  policy: RetryPolicy,
  /** This process's memory peak for the batch, stored with its figures if this attempt ends it. */
  memoryPeak: (() => MemoryPeak) | null = null,
): Promise<Recorded> {
  return db.transaction(async (tx) => {
    // An answer from the cache made no request: no status, no model, no tokens.
    const usage = attempt.ok ? (attempt.source === "engine" ? attempt.result.usage : null) : attempt.error.details.usage;
    const attemptRow = {
      attemptId: claim.attemptId,
      latencyMs: attempt.latencyMs,
      httpStatus: attempt.ok ? (usage?.httpStatus ?? null) : (attempt.error.details.httpStatus ?? null),
      model: usage?.model ?? null,
      promptTokens: usage?.promptTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      errorClass: attempt.ok ? null : attempt.error.errorClass,
      errorMessage: attempt.ok ? null : attempt.error.message,
    };
    const result: Recorded = { batch: null, processedBefore: 0, metrics: null, retryInMs: null, stopped: false };

    // The batch row first, like every transaction on a batch's images (see lockBatch). It goes
    // out pipelined with the statements below, so it adds no round trip.
    const locked = lockBatch(tx, claim.batchId);
    let batch: BatchRow | undefined;
    if (!attempt.ok && attempt.error.errorClass === "quotaExhausted") {
      // The key's daily quota is spent: the batch waits for the reset instead of failing its images.
      const resumesAt = dailyQuotaResumesAt(attempt.error.details.retryAfterMs);
      const [, paused] = await Promise.all([
        locked,
        pauseBatchUntil(tx, {
          batchId: claim.batchId,
          imageId: claim.imageId,
          owner,
          attemptNumber: claim.attemptNumber,
          resumesAt,
          errorClass: attempt.error.errorClass,
          error: attempt.error.message,
        }),
      ]);
      await finishAttempt(tx, { ...attemptRow, outcome: paused.requeued ? "retry" : "lease_expired" });
      if (!paused.batch) return result;
      batch = paused.batch;
      result.processedBefore = batch.succeededImages + batch.failedImages;
      result.retryInMs = Math.max(0, resumesAt.getTime() - Date.now());
    } else if (!attempt.ok && attempt.error.errorClass === "config") {
      await locked;
      await finishAttempt(tx, { ...attemptRow, outcome: "failed" });
      const ended = await endOpenImages(tx, {
        batchId: claim.batchId,
        status: "failed",
        errorClass: attempt.error.errorClass,
        error: attempt.error.message,
      });
      batch = await stopBatch(tx, claim.batchId, { status: "failed", error: attempt.error.message, failed: ended });
      result.stopped = true;
      if (!batch) return result;
      result.processedBefore = batch.succeededImages + batch.failedImages - ended;
    } else {
      const outcome = toOutcome(claim, attempt, policy);
      // Sent together (postgres.js pipelines them on the transaction's connection): fewer
      // round trips, so the batch row is held for less time.
      const [, applied] = await Promise.all([
        locked,
        applyImageOutcome(tx, { imageId: claim.imageId, owner, attemptNumber: claim.attemptNumber, hasCopies: claim.hasCopies, outcome }),
        finishAttempt(tx, { ...attemptRow, outcome: attemptOutcome(attempt, outcome) }),
      ]);
      if (!applied) {
        // Someone else holds the image now (lease expired and taken over, or batch stopped).
        await finishAttempt(tx, {
          ...attemptRow,
          outcome: attempt.ok || attempt.error.errorClass !== "cancelled" ? "lease_expired" : "cancelled",
        });
        return result;
      }
      batch = await advanceBatch(tx, claim.batchId, applied);
      result.processedBefore = batch.succeededImages + batch.failedImages - applied.succeeded - applied.failed;
      result.retryInMs = outcome.kind === "retry" ? outcome.retryInMs : null;
    }

    const endedNow = FINAL_BATCH_STATUSES.includes(batch.status) && (result.stopped || result.processedBefore < batch.totalImages);
    if (endedNow) {
      result.metrics = await finalizeBatch(tx, batch, memoryPeak?.() ?? null);
    }
    await publishProgress(tx, batch.id);
    result.batch = batch;
    return result;
  });
}

/** The attempt row's outcome: `cached` for an answer from the cache, else the image's. */
function attemptOutcome(attempt: AttemptResult, outcome: ImageOutcome) {
  if (attempt.ok && attempt.source === "cache") return "cached";
  return outcome.kind;
}

function toOutcome(claim: HeldClaim, attempt: AttemptResult, policy: RetryPolicy): ImageOutcome {
  if (attempt.ok) {
    const { prepared } = attempt;
    const common = {
      kind: "succeeded",
      width: prepared.width,
      height: prepared.height,
      phash: prepared.phash,
      fingerprint: prepared.fingerprint,
      analysisKey: attempt.analysisKey,
    } as const;
    // A cached answer has no measured time: it would pull the batch's timing figures down.
    if (attempt.source === "cache")
      return { ...common, extraction: attempt.hit.extraction, durationMs: null, cachedFrom: attempt.hit.imageId };
    return { ...common, extraction: attempt.result.extraction, durationMs: attempt.latencyMs, cachedFrom: null };
  }
  const { error } = attempt;
  // Still holding the lease after a cancel means this process is shutting down: hand it back.
  if (error.errorClass === "cancelled")
    return { kind: "retry", retryInMs: 0, errorClass: error.errorClass, error: error.message, rateLimited: false };
  const decision = decideRetry(
    policy,
    { errorClass: error.errorClass, retryAfterMs: error.details.retryAfterMs },
    claim.attemptNumber - claim.retryBase,
    claim.rateLimitedCount,
  );
  if (decision.retry) {
    return {
      kind: "retry",
      retryInMs: decision.delayMs,
      errorClass: error.errorClass,
      error: error.message,
      rateLimited: error.errorClass === "rateLimited",
    };
  }
  return { kind: "failed", errorClass: error.errorClass, error: error.message, durationMs: attempt.latencyMs || null };
}
