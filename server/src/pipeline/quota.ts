import { pauseRateCell, reserveRate, type Database } from "@showscan/db";

/** Paces calls to the engine within the key's quota, shared by every batch of the process. */
export interface QuotaGate {
  /**
   * Resolves when one call may go out now: true when that meant waiting. `rpm` is the budget
   * the call's batch was submitted under (null: unlimited).
   */
  acquire(signal: AbortSignal, rpm?: number | null): Promise<boolean>;
  /** Holds every call back for `ms` and lowers the key's rate (the key got a per-minute 429). */
  pauseFor(ms: number): void;
}

/** The key's rate cell in Postgres (db/src/queries/rate-cells.ts), shared by every process. */
export interface QuotaCell {
  db: Database;
  key: string;
  /** The window the limit counts in (60 000 ms; shorter in tests). */
  periodMs?: number;
  horizonMs?: number;
  /** Writing a pause failed: the local pause still holds this process back. */
  onError?: (error: unknown) => void;
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
 * With a `cell`, every call of a batch with a budget reserves its start on the key's GCRA
 * schedule in Postgres and sleeps until then, so all processes together keep to the budget,
 * spread evenly over the minute; batches under different budgets share the one schedule, each
 * paced at its own number. A 429 pauses the key in the cell for every process and lowers the
 * rate there (AIMD); it also pauses this process at once, before the write lands. Calls of a
 * batch with no budget reserve nothing and see only this process's pauses. Without a cell (an
 * engine with no key quota) only the local pauses apply.
 */
export function createQuotaGate(cell?: QuotaCell): QuotaGate {
  let pausedUntil = 0;
  // The budget the key was last paced at, for the halving after a 429 (the hook gets no budget).
  let lastRpm: number | null = null;
  return {
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
      if (!cell) return;
      pauseRateCell(cell.db, { key: cell.key, pauseMs: ms, rpm: lastRpm, periodMs: cell.periodMs }).catch((error: unknown) =>
        cell.onError?.(error),
      );
    },
    async acquire(signal, rpm = null) {
      for (let waited = false; ; waited = true) {
        const paused = pausedUntil - Date.now();
        if (paused > 0) {
          await sleep(paused, signal);
          continue;
        }
        if (!cell || rpm === null) return waited;
        lastRpm = rpm;
        const reserved = await reserveRate(cell.db, { key: cell.key, rpm, periodMs: cell.periodMs, horizonMs: cell.horizonMs });
        if (!reserved.ok) {
          await sleep(reserved.retryInMs, signal);
          continue;
        }
        // An abort while sleeping leaves the reserved start unused: the horizon keeps that short.
        if (reserved.waitMs <= 0) return waited;
        await sleep(reserved.waitMs, signal);
        // A 429 heard while sleeping: the start is given up and the pause waited out first.
        if (pausedUntil > Date.now()) continue;
        return true;
      }
    },
  };
}
