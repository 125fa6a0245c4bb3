/** "$0.00585", "$1.24": costs are often fractions of a cent, so small ones keep three significant digits. */
export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return "–";
  if (x === 0) return "$0";
  return x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`;
}

/** "7,000" or "1.2M": token counts, compact once they grow. */
export const tokens = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n.toLocaleString(undefined, { maximumFractionDigits: 0 });

/** Seconds with one decimal, for axes in seconds. */
export const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? "–" : `${(ms / 1000).toFixed(1)} s`);

/** An axis tick's cost: two significant digits, so "$0.00055" fits beside the axis label. */
export const usdTick = (x: number) => (x === 0 ? "$0" : `$${Number(x.toPrecision(2))}`);
