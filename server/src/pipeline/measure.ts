/** Percentile by nearest rank over a sorted copy. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Measured speedup: the time the images took one after another over the time they took. */
export const speedup = (sumImageMs: number, wallMs: number) => (wallMs > 0 ? sumImageMs / wallMs : 0);
