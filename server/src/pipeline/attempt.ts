import type { ClaimedImage } from "@showscan/db";
import { EngineError, type Engine, type EngineResult } from "../engines/types";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import type { QuotaGate } from "./quota";

export type AttemptResult =
  | { ok: true; latencyMs: number; result: EngineResult; prepared: PreparedBytes }
  | { ok: false; latencyMs: number; error: EngineError };

export interface AttemptDeps {
  engine: Engine;
  pool: WorkerPool;
  quota: QuotaGate;
  timeoutMs: number;
  /** Pushes the image's lease forward; false when the lease is no longer this attempt's. */
  renewLease(): Promise<boolean>;
  leaseMs: number;
}

/**
 * One attempt at one image: wait for the key's quota, then prepare and analyse under the
 * per-attempt timeout. Only the timed part counts as the image's measured time.
 */
export async function runAttempt(claim: ClaimedImage, deps: AttemptDeps, cancel: AbortSignal): Promise<AttemptResult> {
  const waiting = await waitForQuota(deps, claim.geminiRpm, cancel);
  if (waiting) return { ok: false, latencyMs: 0, error: waiting };
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const signal = AbortSignal.any([cancel, timeout]);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const prepared = await deps.pool.prepare({ bytes: new Uint8Array(claim.content) }, signal);
    if (!prepared.ok) return { ok: false, latencyMs: elapsed(), error: new EngineError(prepared.reason, "permanent") };
    const result = await deps.engine.analyze(
      { bytes: prepared.bytes, mimeType: prepared.mimeType, fileName: claim.fileName, model: claim.model },
      signal,
    );
    return { ok: true, latencyMs: elapsed(), result, prepared };
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
