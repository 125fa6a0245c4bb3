import type { ErrorClass } from "../engines/types";

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-minute 429s wait for the quota rather than for a fix, so they get their own budget. */
  maxRateLimited: number;
  random?: () => number;
}

export const defaultRetryPolicy = (maxRetries: number): RetryPolicy => ({
  maxRetries,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRateLimited: 10,
});

export type Decision = { retry: true; delayMs: number } | { retry: false };

/** Exponential backoff with full jitter: spreads retries of many images over the window. */
export function backoffDelay(policy: RetryPolicy, retryNumber: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round((policy.random ?? Math.random)() * ceiling);
}

/**
 * Whether a failed attempt is tried again, and when. `attemptNumber` counts every attempt of
 * the image, `rateLimited` those that ended in a per-minute 429 (this one excluded).
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: { errorClass: ErrorClass; retryAfterMs?: number | null },
  attemptNumber: number,
  rateLimited: number,
): Decision {
  const spent = attemptNumber - rateLimited;
  switch (failure.errorClass) {
    case "rateLimited": {
      if (rateLimited + 1 > policy.maxRateLimited) return { retry: false };
      const wait = failure.retryAfterMs ?? backoffDelay(policy, rateLimited + 1);
      return { retry: true, delayMs: wait + backoffDelay({ ...policy, maxDelayMs: 1_000 }, 1) };
    }
    case "invalidOutput":
      return spent <= 1 && policy.maxRetries > 0 ? { retry: true, delayMs: backoffDelay(policy, spent) } : { retry: false };
    case "retryable":
    case "timeout":
      return spent <= policy.maxRetries ? { retry: true, delayMs: backoffDelay(policy, spent) } : { retry: false };
    default:
      return { retry: false };
  }
}
