import { describe, expect, it } from "vitest";
import { backoffDelay, decideRetry, defaultRetryPolicy } from "./retry-policy";

const policy = { ...defaultRetryPolicy(3), random: () => 1 };

describe("retry policy", () => {
  it("doubles the backoff ceiling up to the cap, and jitters below it", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    expect(backoffDelay({ ...policy, random: () => 0 }, 4)).toBe(0);
  });

  it("retries transient failures MAX_RETRIES times after the first attempt", () => {
    const failure = { errorClass: "retryable" as const };
    expect([1, 2, 3, 4].map((n) => decideRetry(policy, failure, n, 0).retry)).toEqual([true, true, true, false]);
    expect(decideRetry(policy, { errorClass: "timeout" }, 4, 0).retry).toBe(false);
  });

  it("retries invalid output once only", () => {
    expect(decideRetry(policy, { errorClass: "invalidOutput" }, 1, 0).retry).toBe(true);
    expect(decideRetry(policy, { errorClass: "invalidOutput" }, 2, 0).retry).toBe(false);
  });

  it("waits at least the server's RetryInfo on a per-minute 429 without spending the retry budget", () => {
    const decision = decideRetry(policy, { errorClass: "rateLimited", retryAfterMs: 7000 }, 5, 4);
    expect(decision).toEqual({ retry: true, delayMs: 8000 });
    expect(decideRetry(policy, { errorClass: "retryable" }, 5, 4).retry).toBe(true);
  });

  it("never retries permanent, configuration or daily-quota failures", () => {
    for (const errorClass of ["permanent", "config", "quotaExhausted", "cancelled"] as const) {
      expect(decideRetry(policy, { errorClass }, 1, 0).retry).toBe(false);
    }
  });
});
