/** The most requests `workers: 'auto'` keeps at the API for one batch. */
export const AUTO_WORKERS_MAX = 16;
/** Where `workers: 'auto'` starts, before it has measured anything. */
export const AUTO_WORKERS_START = 4;

export interface AutoInputs {
  /** Measured time of one request at the API, ms. */
  requestMs: number;
  /** Measured time to prepare one image in the pool, ms. */
  prepareMs: number;
  poolThreads: number;
  /** The key's requests-per-minute limit; null: none. */
  rpm: number | null;
  cap: number;
}

/**
 * The window that keeps the scarcer of the two resources busy, by Little's law (requests in
 * flight = their rate x their time at the API): enough to reach the rate limit with a quarter
 * to spare for the latency's tail, but no more than the pool can prepare for at half its
 * threads: the threads share the machine's cores with the main thread, the database and
 * whatever else runs there, so a pool planned at full use becomes the queue requests wait in
 * (measured on 2 cores: 9 requests planned at 80% ran slower than 5).
 */
export function chooseWorkers(m: AutoInputs): number {
  const perMs = [m.rpm === null ? Number.POSITIVE_INFINITY : (m.rpm / 60_000) * 1.25];
  if (m.prepareMs > 0) perMs.push((0.5 * m.poolThreads) / m.prepareMs);
  const rate = Math.min(...perMs);
  const wanted = Number.isFinite(rate) ? Math.ceil(rate * m.requestMs) : m.cap;
  return Math.max(1, Math.min(m.cap, wanted));
}

/**
 * Whether a new choice is worth a change: within a third of the window (or one, from 4 up) the
 * measurements only wander (a latency with a long tail moves the average all the time), and a
 * window that follows every wander has more requests out at its peaks than the work needs.
 */
export function worthChanging(current: number, chosen: number): boolean {
  return Math.abs(chosen - current) >= Math.max(current >= 4 ? 2 : 1, Math.round(current / 3));
}

/**
 * The mean of the latest measurements (Little's law wants the mean, tail included). A plain mean
 * over a window rather than an exponential average: with a long-tailed latency the latter swings
 * with the order the slow answers come in, and the window with it.
 */
export class RecentMean {
  private readonly values: number[];
  constructor(
    private readonly size = 32,
    /** What it starts from: what earlier batches measured, when there were any. */
    initial: readonly number[] = [],
  ) {
    this.values = initial.slice(-size);
  }
  add(value: number): void {
    this.values.push(value);
    if (this.values.length > this.size) this.values.shift();
  }
  get value(): number | null {
    return this.values.length === 0 ? null : this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }
  /** The measurements it holds, oldest first: what a later batch starts from. */
  get recent(): readonly number[] {
    return this.values;
  }
}
