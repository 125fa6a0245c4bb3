import { createRateLimiter, type Database } from "@showscan/db";
import type { RateLimiterAbstract } from "rate-limiter-flexible";

/** A shared limiter for whatever number of points the settings name right now. */
export type LimiterByPoints = (points: number) => RateLimiterAbstract;

/**
 * rate-limiter-flexible fixes a limiter's points when it is built, while the settings may change
 * the number between two batches: the limiter is rebuilt whenever a call asks for a different
 * number. The counts live in Postgres under the same key prefix, so the current window's count
 * carries over to the new limit, and every process rebuilds its own when it reads the change.
 */
export function createLimiterByPoints(db: Database, opts: { keyPrefix: string; durationSeconds: number }): LimiterByPoints {
  let current: { points: number; limiter: RateLimiterAbstract } | undefined;
  return (points) => {
    if (current?.points !== points) current = { points, limiter: createRateLimiter(db, { ...opts, points }) };
    return current.limiter;
  };
}
