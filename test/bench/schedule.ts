import { mean as pipelineMean, percentile as pipelinePercentile } from "../../server/src/pipeline/measure";

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

/** The pipeline's own percentile and mean, as numbers for printing (NaN for no values). */
export const percentile = (values: readonly number[], p: number) => pipelinePercentile([...values], p) ?? Number.NaN;
export const mean = (values: readonly number[]) => pipelineMean([...values]) ?? Number.NaN;
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
