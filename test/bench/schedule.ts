/**
 * The ideal for a window of `slots`: the measured per-image times packed greedily, in claim
 * order, onto `slots` slots (each next image starts on the slot that frees up first; list
 * scheduling). Its makespan is the wall time a dispatcher with zero overhead between one image
 * ending and the next starting would reach with exactly these per-image times.
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

/** Percentile by nearest rank (the same definition the pipeline's metrics use). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Small seeded PRNG (mulberry32) so every run draws the same fake latencies. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
