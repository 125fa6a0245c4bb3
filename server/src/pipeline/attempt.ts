import type { ClaimedImage } from "@showscan/db";
import { EngineError, type Engine, type EngineResult } from "../engines/types";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import type { CacheHit } from "./cache";
import type { QuotaGate } from "./quota";

/** The analysis key rides along with an answer: what it is stored under for later images. */
export type AttemptResult =
  | {
      ok: true;
      source: "engine";
      latencyMs: number;
      /** The part of latencyMs spent preparing in the pool. */
      prepareMs: number;
      result: EngineResult;
      prepared: PreparedBytes;
      analysisKey: string | null;
    }
  | { ok: true; source: "cache"; latencyMs: number; hit: CacheHit; prepared: PreparedBytes; analysisKey: string }
  | { ok: false; latencyMs: number; error: EngineError };

export interface AttemptCache {
  analysisKey: string;
  /** Null when the batch asked for a fresh analysis: nothing is looked up, the answer is still stored. */
  find: ((prepared: PreparedBytes) => Promise<CacheHit | null>) | null;
}

/** A claim with its bytes handed to prepare: what the rest of the attempt carries. */
export type HeldClaim = Omit<ClaimedImage, "content">;

export interface AttemptDeps {
  engine: Engine;
  pool: WorkerPool;
  quota: QuotaGate;
  /** Bounds the timed work of one attempt: prepare and the engine call, not the waits. */
  timeoutMs: number;
  /** Null: this engine's answers are neither stored for reuse nor looked up. */
  cache: AttemptCache | null;
  /**
   * Waits for a place in the batch's window and resolves with its release, which the attempt
   * calls with the answer the moment the engine gives it, so the next prepared image can take
   * the place (or, after an answer that stops the batch, nobody does).
   */
  enterWindow(signal: AbortSignal): Promise<(answer: AttemptResult) => void>;
}

/**
 * One attempt at one image: prepare it, answer from the cache if the same picture was analysed
 * before, else wait for a place in the window and for the key's quota, and analyse it. Prepare
 * runs before the place is taken, so the window's requests follow each other with no prepare
 * between them; the cache comes before both, since a hit spends neither. Prepare and the engine
 * call count as the image's measured time, the waits do not.
 */
export async function runAttempt(claim: HeldClaim, content: Buffer, deps: AttemptDeps, cancel: AbortSignal): Promise<AttemptResult> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const prepareTimeout = AbortSignal.timeout(deps.timeoutMs);
  let prepared: PreparedBytes;
  try {
    const output = await deps.pool.prepare({ bytes: new Uint8Array(content) }, AbortSignal.any([cancel, prepareTimeout]));
    if (!output.ok) return { ok: false, latencyMs: since(), error: new EngineError(output.reason, "permanent") };
    prepared = output;
  } catch (error) {
    return { ok: false, latencyMs: since(), error: explain(error, { timeout: prepareTimeout, cancel, timeoutMs: deps.timeoutMs }) };
  }
  const prepareMs = performance.now() - started;

  const hit = deps.cache?.find ? await deps.cache.find(prepared) : null;
  if (hit && deps.cache) return { ok: true, source: "cache", latencyMs: since(), hit, prepared, analysisKey: deps.cache.analysisKey };

  let leave: (answer: AttemptResult) => void;
  try {
    leave = await deps.enterWindow(cancel);
  } catch {
    return { ok: false, latencyMs: Math.round(prepareMs), error: new EngineError(String(cancel.reason ?? "cancelled"), "cancelled") };
  }
  const answer = await request(claim, prepared, prepareMs, deps, cancel);
  leave(answer);
  return answer;
}

/** The engine call of an attempt that holds a place in the window. Never throws. */
async function request(
  claim: HeldClaim,
  prepared: PreparedBytes,
  prepareMs: number,
  deps: AttemptDeps,
  cancel: AbortSignal,
): Promise<AttemptResult> {
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
    return {
      ok: true,
      source: "engine",
      latencyMs: elapsed(),
      prepareMs: Math.round(prepareMs),
      result,
      prepared,
      analysisKey: deps.cache?.analysisKey ?? null,
    };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: explain(error, { timeout, cancel, timeoutMs: deps.timeoutMs }) };
  }
}

async function waitForQuota(deps: AttemptDeps, rpm: number | null, cancel: AbortSignal): Promise<EngineError | null> {
  try {
    await deps.quota.acquire(cancel, rpm);
    return null;
  } catch (error) {
    if (cancel.aborted) return new EngineError(String(cancel.reason ?? "cancelled"), "cancelled");
    return new EngineError(`quota check failed: ${(error as Error).message}`, "retryable");
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
