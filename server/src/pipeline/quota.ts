import type { RateLimiterRes } from "rate-limiter-flexible";
import type { LimiterByPoints } from "../settings/limiter";

/** Paces calls to the engine within the key's quota, shared by every batch of the process. */
export interface QuotaGate {
  /**
   * Resolves when one call may go out now: true when that meant waiting. `rpm` is the budget
   * the call's batch was submitted under (null: unlimited).
   */
  acquire(signal: AbortSignal, rpm?: number | null): Promise<boolean>;
  /** Holds every call back for `ms` (the key got a per-minute 429). */
  pauseFor(ms: number): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * `limiterFor` counts requests per minute in Postgres (the geminiRpm setting), so several
 * processes on one key stay within it together; batches submitted under different budgets share
 * the one count, each checked against its own number. The pause after a 429 is local, since
 * each process hears its own 429s and the shared limiter already keeps them rare. Without
 * `limiterFor` (an engine with no key quota) only the pauses apply.
 */
export function createQuotaGate(limiterFor?: LimiterByPoints, key = "gemini"): QuotaGate {
  let pausedUntil = 0;
  return {
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    async acquire(signal, rpm = null) {
      for (let waited = false; ; waited = true) {
        const paused = pausedUntil - Date.now();
        if (paused > 0) {
          await sleep(paused, signal);
          continue;
        }
        if (!limiterFor || rpm === null) return waited;
        try {
          await limiterFor(rpm).consume(key, 1);
          return waited;
        } catch (rejection) {
          if (rejection instanceof Error) throw rejection;
          await sleep(Math.max(50, (rejection as RateLimiterRes).msBeforeNext), signal);
        }
      }
    },
  };
}
