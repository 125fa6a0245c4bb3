import { RateLimiterDrizzle, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Database } from "../client";
import { rateLimits } from "../schema";

/**
 * A limiter whose counts live in Postgres, so every server process on the database sees the
 * same numbers: `points` per `durationSeconds` for each key.
 */
export function createRateLimiter(db: Database, opts: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterAbstract {
  return new RateLimiterDrizzle({
    storeClient: db,
    schema: rateLimits,
    keyPrefix: opts.keyPrefix,
    points: opts.points,
    duration: opts.durationSeconds,
    clearExpiredByTimeout: false,
  });
}
