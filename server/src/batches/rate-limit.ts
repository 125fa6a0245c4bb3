import { TRPCError } from "@trpc/server";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { Services } from "../services";
import type { User } from "../auth/tokens";
import type { Settings } from "../settings/schema";

/**
 * Counts one more batch against a user's per-minute limit, `userBatchesPerMinute` (admins are
 * not limited). Returns the seconds to wait when the user is over it, null when the batch may go ahead.
 */
export async function overBatchRate(
  services: Pick<Services, "analyzeLimiter">,
  user: User,
  settings: Pick<Settings, "userBatchesPerMinute">,
): Promise<number | null> {
  if (user.role === "admin") return null;
  try {
    await services.analyzeLimiter(settings.userBatchesPerMinute).consume(user.sub);
    return null;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

/** `overBatchRate` for a procedure: a user over the limit is refused with TOO_MANY_REQUESTS, saying how long to wait. */
export async function refuseOverBatchRate(
  services: Pick<Services, "analyzeLimiter">,
  user: User,
  settings: Pick<Settings, "userBatchesPerMinute">,
): Promise<void> {
  const wait = await overBatchRate(services, user, settings);
  if (wait !== null) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `too many batches: try again in ${wait} s` });
}
