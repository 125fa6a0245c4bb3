/**
 * When the worker pool gives up threads. One death is replaced at full size (Tinypool starts a
 * new thread); `deathsPerStep` deaths within `windowMs` mean threads keep dying, so the pool
 * runs one thread fewer, down to one thread preparing one image at a time. Fewer threads make
 * fewer crashes at once (a native decoder that dies under memory pressure, a thread that runs out
 * of heap beside its siblings), and the batch still completes, only slower.
 */
export class ShrinkPolicy {
  private deaths: number[] = [];

  constructor(
    private size: number,
    private readonly deathsPerStep = 3,
    private readonly windowMs = 60_000,
  ) {}

  get threads(): number {
    return this.size;
  }

  /** Counts one thread death; answers the new size when the pool should shrink, else null. */
  death(now: number): number | null {
    this.deaths = this.deaths.filter((at) => now - at < this.windowMs);
    this.deaths.push(now);
    if (this.deaths.length < this.deathsPerStep || this.size === 1) return null;
    this.deaths = [];
    this.size -= 1;
    return this.size;
  }
}
