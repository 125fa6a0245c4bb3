import { setTimeout as sleep } from "node:timers/promises";
import { isConnectionError } from "@showscan/db";

/** How often a read is tried again while the database cannot be reached. */
const RETRY_MS = 1_000;

/**
 * `read()`, tried again while the database is unreachable, until it answers or `signal` aborts
 * (then the last error is thrown). For reads whose caller would rather wait out an outage than
 * fail: a progress stream that ended on the first lost connection would leave its subscriber
 * with an error instead of the events it is owed. Any other error is thrown at once.
 */
export async function untilReachable<T>(read: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!isConnectionError(error) || signal?.aborted) throw error;
      await sleep(RETRY_MS, undefined, { signal }).catch(() => {});
      if (signal?.aborted) throw error;
    }
  }
}
