import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

/** Paces calls to the engine within the key's quota, shared by every batch of the process. */
export interface QuotaGate {
  /** Resolves when one call may go out now: true when that meant waiting. */
  acquire(signal: AbortSignal): Promise<boolean>;
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
 * `limiter` counts requests per minute in Postgres (GEMINI_RPM), so several processes on one
 * key stay within it together; the pause after a 429 is local, since each process hears its
 * own 429s and the shared limiter already keeps them rare.
 */
export function createQuotaGate(limiter?: RateLimiterAbstract, key = "gemini"): QuotaGate {
  let pausedUntil = 0;
  return {
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    async acquire(signal) {
      for (let waited = false; ; waited = true) {
        const paused = pausedUntil - Date.now();
        if (paused > 0) {
          await sleep(paused, signal);
          continue;
        }
        if (!limiter) return waited;
        try {
          await limiter.consume(key, 1);
          return waited;
        } catch (rejection) {
          if (rejection instanceof Error) throw rejection;
          await sleep(Math.max(50, (rejection as RateLimiterRes).msBeforeNext), signal);
        }
      }
    },
  };
}
