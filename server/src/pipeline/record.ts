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
  type Executor,
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
    const attemptRow = attemptRowOf(claim, attempt);
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
      const [answered] = await recordAnswersIn(tx, claim.batchId, [{ claim, attempt }], owner, policy, memoryPeak, locked);
      return answered as Recorded;
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

export interface Answer {
  claim: HeldClaim;
  attempt: AttemptResult;
}

/**
 * Records several answers of one batch (none of them a spent quota or a bad key) in one
 * transaction: each image's state and attempt row, then the batch counters, the merge if they end
 * the batch, and one progress snapshot for all of them. Under load the answers of a batch queue
 * behind the batch row's lock; taking them together turns a commit, a counter update and a
 * snapshot per image into one per group (see recorder.ts). The results come in `answers`' order.
 */
export async function recordAnswers(
  db: Database,
  batchId: string,
  answers: Answer[],
  owner: string,
  policy: RetryPolicy,
  memoryPeak: (() => MemoryPeak) | null = null,
): Promise<Recorded[]> {
  return db.transaction(async (tx) => {
    return recordAnswersIn(tx, batchId, answers, owner, policy, memoryPeak, lockBatch(tx, batchId));
  });
}

/**
 * recordAnswers inside a transaction; `locked` is its lockBatch, still on its way: the statements
 * below go out pipelined behind it, so the lock adds no round trip.
 */
async function recordAnswersIn(
  tx: Executor,
  batchId: string,
  answers: Answer[],
  owner: string,
  policy: RetryPolicy,
  memoryPeak: (() => MemoryPeak) | null,
  locked: Promise<unknown>,
): Promise<Recorded[]> {
  const outcomes = answers.map(({ claim, attempt }) => toOutcome(claim, attempt, policy));
  // Sent together (postgres.js pipelines them on the transaction's connection): a round trip for
  // the group, not two per image, so the batch row is held for less time.
  const [, ...applied] = await Promise.all([
    locked,
    ...answers.map(async ({ claim, attempt }, i) => {
      const outcome = outcomes[i] as ImageOutcome;
      const row = attemptRowOf(claim, attempt);
      const [done] = await Promise.all([
        applyImageOutcome(tx, { imageId: claim.imageId, owner, attemptNumber: claim.attemptNumber, hasCopies: claim.hasCopies, outcome }),
        finishAttempt(tx, { ...row, outcome: attemptOutcome(attempt, outcome) }),
      ]);
      // Someone else holds the image now (lease expired and taken over, or batch stopped).
      if (!done)
        await finishAttempt(tx, {
          ...row,
          outcome: attempt.ok || attempt.error.errorClass !== "cancelled" ? "lease_expired" : "cancelled",
        });
      return done;
    }),
  ]);
  const results: Recorded[] = answers.map(() => ({ batch: null, processedBefore: 0, metrics: null, retryInMs: null, stopped: false }));
  const counted = applied.flatMap((a) => (a ? [a] : []));
  if (counted.length === 0) return results;
  const delta = { succeeded: 0, failed: 0 };
  for (const a of counted) {
    delta.succeeded += a.succeeded;
    delta.failed += a.failed;
  }
  const batch = await advanceBatch(tx, batchId, delta);
  const after = batch.succeededImages + batch.failedImages;
  const before = after - delta.succeeded - delta.failed;
  const last = applied.findLastIndex((a) => a !== null);
  const endedNow = FINAL_BATCH_STATUSES.includes(batch.status) && before < batch.totalImages;
  const metrics = endedNow ? await finalizeBatch(tx, batch, memoryPeak?.() ?? null) : null;
  await publishProgress(tx, batch.id);
  for (const [i, result] of results.entries()) {
    if (!applied[i]) continue;
    const outcome = outcomes[i] as ImageOutcome;
    result.batch = batch;
    // The group moved the batch once: its last answer carries the move (the log's progress line,
    // the end of the batch), the others none.
    result.processedBefore = i === last ? before : after;
    result.metrics = i === last ? metrics : null;
    result.retryInMs = outcome.kind === "retry" ? outcome.retryInMs : null;
  }
  return results;
}

/** The attempt row's fields, as the answer gives them. */
function attemptRowOf(claim: HeldClaim, attempt: AttemptResult) {
  // An answer from the cache made no request: no status, no model, no tokens.
  const usage = attempt.ok ? (attempt.source === "engine" ? attempt.result.usage : null) : attempt.error.details.usage;
  return {
    attemptId: claim.attemptId,
    latencyMs: attempt.latencyMs,
    httpStatus: attempt.ok ? (usage?.httpStatus ?? null) : (attempt.error.details.httpStatus ?? null),
    model: usage?.model ?? null,
    promptTokens: usage?.promptTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    errorClass: attempt.ok ? null : attempt.error.errorClass,
    errorMessage: attempt.ok ? null : attempt.error.message,
  };
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
