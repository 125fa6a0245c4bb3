import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Logger } from "../logger";

/** Event-loop delay (p99 over a window) above which the process counts as overloaded. */
export const DEFAULT_OVERLOAD_LAG_MS = 200;
/** How often the load is read, and the window the delay's p99 is taken over. */
export const DEFAULT_LOAD_WINDOW_MS = 1_000;
/** The additive step is a share of MAX_CONCURRENCY, so recovery from 1 takes this many healthy checks whatever the maximum. */
const RECOVERY_CHECKS = 8;

/** The memory limit when MAX_RSS_MB is unset: three quarters of the machine's memory, or of the container's limit when lower. */
export function defaultMaxRssMb(): number {
  const total = Math.min(os.totalmem(), process.constrainedMemory?.() || Number.POSITIVE_INFINITY);
  return Math.floor((0.75 * total) / 2 ** 20);
}

/** Why the cap is where it is: a limit exceeded at the last check, or the climb back after one. */
export type LoadReason = "ok" | "eventLoopLag" | "memory" | "recovering";
export const LOAD_REASONS: readonly LoadReason[] = ["ok", "eventLoopLag", "memory", "recovering"];

export interface LoadSample {
  lagP99Ms: number;
  rssBytes: number;
}

/** Where the readings come from: the process itself, or a test's own figures. */
export interface LoadSampler {
  start(): void;
  /** The figures since the previous read. */
  read(): LoadSample;
  stop(): void;
}

/** What the dispatcher reads: the most images this process may have in flight now. */
export interface ConcurrencyCap {
  readonly cap: number;
}

export interface ProcessLoad extends ConcurrencyCap {
  readonly reason: LoadReason;
  start(): void;
  stop(): void;
}

export interface LoadLimits {
  lagMs?: number;
  maxRssMb?: number;
  windowMs?: number;
}

export interface ProcessLoadOptions extends LoadLimits {
  maxConcurrency: number;
  logger: Logger;
  /** The cap went up: places refused under the lower one may be given now. */
  raised(): void;
  sampler?: LoadSampler;
}

/**
 * One check's step, AIMD as TCP and the key's 429 pacing (rate_cells) do it: halve while
 * overloaded, so a stall that hurts every request and socket is shed within a few checks from
 * any cap; climb back by a fixed step while healthy, so the process probes its way up instead of
 * jumping straight back into the load that tripped it. Never below one image, or nothing would
 * ever finish and free what the overload holds.
 */
export function nextCap(cap: number, max: number, overloaded: boolean): number {
  if (overloaded) return Math.max(1, Math.floor(cap / 2));
  return Math.min(max, cap + Math.max(1, Math.ceil(max / RECOVERY_CHECKS)));
}

/**
 * The event loop's delay and the resident set. p99 of the delay, not the mean: a second with one
 * 300 ms stall among 10 ms ticks averages about 15 ms, far under any limit, while every callback
 * behind the stall waited 300 ms; the p99 is the stall. The resident set includes the worker
 * threads, and `rss()` reads it without walking the heap.
 */
export function processSampler(resolutionMs = 10): LoadSampler {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  return {
    start: () => delay.enable(),
    stop: () => delay.disable(),
    read() {
      const lagP99Ms = delay.count > 0 ? delay.percentile(99) / 1e6 : 0;
      // Windows by reset: the first tick after a reset is not recorded, so a stall that begins
      // within one resolution of it goes unseen. Overload that lasts (what the cap is for) shows
      // in the next window; only a lone stall can slip through.
      delay.reset();
      return { lagP99Ms, rssBytes: process.memoryUsage.rss() };
    },
  };
}

/**
 * The process-wide cap on images in flight, read against the limits once a window: it backs
 * off while the process itself is overloaded, whatever the key's quota allows. Recovery from a
 * cap of 1 to MAX_CONCURRENCY takes RECOVERY_CHECKS healthy windows (8 s by default). Memory
 * seldom falls as fast as load does (V8 keeps what it grew), so over the memory limit the cap
 * stays at 1 until the resident set is back under it: slow, but the batch goes on.
 */
export function createProcessLoad(o: ProcessLoadOptions): ProcessLoad {
  const max = o.maxConcurrency;
  const lagMs = o.lagMs ?? DEFAULT_OVERLOAD_LAG_MS;
  const maxRssMb = o.maxRssMb ?? defaultMaxRssMb();
  const windowMs = o.windowMs ?? DEFAULT_LOAD_WINDOW_MS;
  const sampler = o.sampler ?? processSampler();
  let cap = max;
  let reason: LoadReason = "ok";
  let backedOff = false;
  let timer: NodeJS.Timeout | undefined;

  const check = () => {
    const { lagP99Ms, rssBytes } = sampler.read();
    const rssMb = Math.round(rssBytes / 2 ** 20);
    const over = rssMb > maxRssMb ? "memory" : lagP99Ms > lagMs ? "eventLoopLag" : null;
    const before = cap;
    cap = nextCap(cap, max, over !== null);
    reason = over ?? (cap < max ? "recovering" : "ok");
    const figures = { lagP99Ms: Math.round(lagP99Ms), lagLimitMs: lagMs, rssMb, rssLimitMb: maxRssMb, cap };
    // One line when the backing off starts and one when the cap is whole again, not one a check.
    if (over && !backedOff)
      o.logger.warn({ ...figures, reason: over }, `process overloaded (${over}): backing off to ${cap} images in flight`);
    if (!over && backedOff && cap === max) o.logger.info(figures, `process load recovered: back to ${cap} images in flight`);
    backedOff = over !== null || (backedOff && cap < max);
    if (cap > before) o.raised();
  };

  return {
    get cap() {
      return cap;
    },
    get reason() {
      return reason;
    },
    start() {
      sampler.start();
      // The read waits for the check phase: a stall that delayed this timer has delayed the
      // delay monitor's timer too, and by then that one has recorded it.
      timer = setInterval(() => setImmediate(check), windowMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      sampler.stop();
    },
  };
}
