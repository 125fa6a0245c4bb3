import type { ClaimedImage } from "@showscan/db";
import { EngineError, type Engine, type EngineResult } from "../engines/types";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import type { CacheHit } from "./cache";
import type { QuotaGate } from "./quota";

/** The analysis key rides along with an answer: what it is stored under for later images. */
export type AttemptResult =
  | { ok: true; source: "engine"; latencyMs: number; result: EngineResult; prepared: PreparedBytes; analysisKey: string | null }
  | { ok: true; source: "cache"; latencyMs: number; hit: CacheHit; prepared: PreparedBytes; analysisKey: string }
  | { ok: false; latencyMs: number; error: EngineError };

export interface AttemptCache {
  analysisKey: string;
  /** Null when the batch asked for a fresh analysis: nothing is looked up, the answer is still stored. */
  find: ((prepared: PreparedBytes) => Promise<CacheHit | null>) | null;
}

export interface AttemptDeps {
  engine: Engine;
  pool: WorkerPool;
  quota: QuotaGate;
  /** Bounds the timed work of one attempt: prepare and the engine call, not the quota wait. */
  timeoutMs: number;
  /** Pushes the image's lease forward; false when the lease is no longer this attempt's. */
  renewLease(): Promise<boolean>;
  leaseMs: number;
  /** Null: this engine's answers are neither stored for reuse nor looked up. */
  cache: AttemptCache | null;
}

/**
 * One attempt at one image: prepare it, answer from the cache if the same picture was analysed
 * before, else wait for the key's quota and analyse it. The cache comes before the quota: a hit
 * spends none. Prepare and the engine call count as the image's measured time, the wait does not.
 */
export async function runAttempt(claim: ClaimedImage, deps: AttemptDeps, cancel: AbortSignal): Promise<AttemptResult> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const prepareTimeout = AbortSignal.timeout(deps.timeoutMs);
  let prepared: PreparedBytes;
  try {
    const output = await deps.pool.prepare({ bytes: new Uint8Array(claim.content) }, AbortSignal.any([cancel, prepareTimeout]));
    if (!output.ok) return { ok: false, latencyMs: since(), error: new EngineError(output.reason, "permanent") };
    prepared = output;
  } catch (error) {
    return { ok: false, latencyMs: since(), error: explain(error, { timeout: prepareTimeout, cancel, timeoutMs: deps.timeoutMs }) };
  }
  const prepareMs = performance.now() - started;

  const hit = deps.cache?.find ? await deps.cache.find(prepared) : null;
  if (hit && deps.cache) return { ok: true, source: "cache", latencyMs: since(), hit, prepared, analysisKey: deps.cache.analysisKey };

  const waiting = await waitForQuota(deps, claim.geminiRpm, cancel);
  if (waiting) return { ok: false, latencyMs: Math.round(prepareMs), error: waiting };
  // What prepare left of the attempt's time budget.
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(deps.timeoutMs - prepareMs)));
  const engineStarted = performance.now();
  const elapsed = () => Math.round(prepareMs + performance.now() - engineStarted);
  try {
    const result = await deps.engine.analyze(
      { bytes: prepared.bytes, mimeType: prepared.mimeType, fileName: claim.fileName, model: claim.model },
      AbortSignal.any([cancel, timeout]),
    );
    return { ok: true, source: "engine", latencyMs: elapsed(), result, prepared, analysisKey: deps.cache?.analysisKey ?? null };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: explain(error, { timeout, cancel, timeoutMs: deps.timeoutMs }) };
  }
}

/**
 * Waits for the key's quota, renewing the lease meanwhile: a wait for the per-minute budget can
 * outlast the lease, and another claimer must not take the image over while it waits here.
 */
async function waitForQuota(deps: AttemptDeps, rpm: number | null, cancel: AbortSignal): Promise<EngineError | null> {
  const lost = new AbortController();
  const heartbeat = setInterval(() => {
    deps.renewLease().then(
      (held) => held || lost.abort("lease lost while waiting for quota"),
      () => {},
    );
  }, deps.leaseMs / 3);
  try {
    const waited = await deps.quota.acquire(AbortSignal.any([cancel, lost.signal]), rpm);
    if (waited && !(await deps.renewLease())) return new EngineError("lease lost while waiting for quota", "cancelled");
    return null;
  } catch (error) {
    if (cancel.aborted || lost.signal.aborted)
      return new EngineError(String(cancel.reason ?? lost.signal.reason ?? "cancelled"), "cancelled");
    return new EngineError(`quota check failed: ${(error as Error).message}`, "retryable");
  } finally {
    clearInterval(heartbeat);
  }
}

function explain(error: unknown, signals: { timeout: AbortSignal; cancel: AbortSignal; timeoutMs: number }): EngineError {
  // The abort's cause decides the class, whatever shape the aborted layer gave its error.
  if (signals.cancel.aborted) return new EngineError(String(signals.cancel.reason ?? "cancelled"), "cancelled");
  if (signals.timeout.aborted) return new EngineError(`timed out after ${signals.timeoutMs} ms`, "timeout");
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Tinypool rejects with a plain error when the worker thread running the task dies.
  return new EngineError(`worker failed: ${message}`, "retryable");
}
