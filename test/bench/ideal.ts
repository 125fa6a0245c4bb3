import type { Served } from "../support/fake-gemini";

/**
 * The ideal for `slots` concurrent requests: the service times the fake recorded, packed
 * greedily in arrival order onto `slots` slots (each next request starts on the slot that frees
 * first; list scheduling). Its makespan is the wall time of a client with zero cost between one
 * response and the next request, given exactly these service times.
 */
export function listScheduleMakespan(durationsMs: readonly number[], slots: number): number {
  if (slots < 1) throw new Error(`slots must be at least 1, got ${slots}`);
  const free = new Array<number>(Math.min(slots, Math.max(1, durationsMs.length))).fill(0);
  for (const d of durationsMs) {
    let earliest = 0;
    for (let s = 1; s < free.length; s++) if (free[s]! < free[earliest]!) earliest = s;
    free[earliest] = free[earliest]! + d;
  }
  return Math.max(0, ...free);
}

export const byArrival = (served: readonly Served[]) => [...served].sort((a, b) => a.arrivedAt - b.arrivedAt);
export const serviceTimes = (served: readonly Served[]) => byArrival(served).map((s) => s.respondedAt - s.arrivedAt);

/** First arrival at the fake to its last response written, ms. */
export function fakeWall(served: readonly Served[]): number {
  if (served.length === 0) return Number.NaN;
  return Math.max(...served.map((s) => s.respondedAt)) - Math.min(...served.map((s) => s.arrivedAt));
}

/** The most requests the fake was serving at one moment. */
export function peakConcurrency(served: readonly Served[]): number {
  const edges = served.flatMap((s) => [
    [s.arrivedAt, 1],
    [s.respondedAt, -1],
  ]);
  // A response and an arrival at the same instant: the slot was handed over, not doubled.
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) {
    now += d!;
    peak = Math.max(peak, now);
  }
  return peak;
}

/** The most of these instants inside any window of `windowMs` (sliding, [t, t + windowMs)). */
export function busiestWindow(instants: readonly number[], windowMs: number): number {
  const t = [...instants].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Nearest-rank percentile (NaN for no values). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
