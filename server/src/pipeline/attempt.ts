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
  /** Called when the attempt had to wait for quota, to push its lease past its timeout. */
  onQuotaWait(): Promise<void>;
}

/**
 * One attempt at one image: wait for the key's quota, then prepare and analyse under the
 * per-attempt timeout. Only the timed part counts as the image's measured time.
 */
export async function runAttempt(claim: ClaimedImage, deps: AttemptDeps, cancel: AbortSignal): Promise<AttemptResult> {
  let waited: boolean;
  try {
    waited = await deps.quota.acquire(cancel);
  } catch {
    return { ok: false, latencyMs: 0, error: new EngineError(String(cancel.reason ?? "cancelled"), "cancelled") };
  }
  if (waited) await deps.onQuotaWait();
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const signal = AbortSignal.any([cancel, timeout]);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const prepared = await deps.pool.prepare({ bytes: new Uint8Array(claim.content) }, signal);
    if (!prepared.ok) return { ok: false, latencyMs: elapsed(), error: new EngineError(prepared.reason, "permanent") };
    const result = await deps.engine.analyze({ bytes: prepared.bytes, mimeType: prepared.mimeType, fileName: claim.fileName }, signal);
    return { ok: true, latencyMs: elapsed(), result, prepared };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: explain(error, { timeout, cancel, timeoutMs: deps.timeoutMs }) };
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
