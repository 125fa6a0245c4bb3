import type { HeldImage } from "@showscan/db";

export interface WindowDeps {
  /** Asks the database for a place: `release`, a request that ended here, leaves it in the same step. */
  takeSlot(image: HeldImage, release: HeldImage | null): Promise<boolean>;
  /** Whether this process may put one more request at the API (its own cap over all batches). */
  processHasRoom(): boolean;
  /** A place was taken (+1) or given up (-1) here. */
  changed(delta: 1 | -1): void;
  failed(error: unknown): void;
}

interface Waiter {
  image: HeldImage;
  signal: AbortSignal;
  resolve(leave: () => void): void;
  reject(reason: unknown): void;
  settled: boolean;
}

/**
 * One batch's window as this process sees it: the places it holds (requests at the API), the
 * prepared images waiting for one, and the requests that ended but may still count in the
 * database until their record commits. A waiter takes the place of an ended request in one
 * database step, so the next request starts as soon as the previous one answered, with no record
 * or prepare between them, while the window still holds over every process.
 */
export class BatchWindow {
  /** Places this process holds (or is asking for) in the batch's window. */
  calling = 0;
  private readonly waiters: Waiter[] = [];
  private readonly ended: HeldImage[] = [];
  private granting = false;
  private closed = false;

  constructor(
    private readonly deps: WindowDeps,
    /** The batch's window over all processes (`workers`); `workers: 'auto'` moves it. */
    public workers: number,
    public priority: number,
  ) {}

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with the function that gives the place up, once `image` may go to the API. */
  enter(image: HeldImage, signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const waiter: Waiter = { image, signal, resolve, reject, settled: false };
      signal.addEventListener(
        "abort",
        () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          this.settle(waiter, () => reject(signal.reason));
        },
        { once: true },
      );
      this.waiters.push(waiter);
      this.grant();
    });
  }

  /**
   * No place is handed out until `open()`: an answer that stops the batch closes the window at
   * once, before the stop commits, so no waiter's request goes out meanwhile.
   */
  close(): void {
    this.closed = true;
  }

  open(): void {
    this.closed = false;
    this.grant();
  }

  /** The request's record committed: it no longer counts in the database's window. */
  recorded(image: HeldImage): void {
    const at = this.ended.findIndex((e) => e.imageId === image.imageId && e.attemptNumber === image.attemptNumber);
    if (at >= 0) this.ended.splice(at, 1);
  }

  /** Hands free places to waiters, one database step at a time; a refusal waits for the next kick. */
  grant(): void {
    if (this.granting) return;
    this.granting = true;
    this.grantLoop().catch((error: unknown) => this.deps.failed(error));
  }

  private async grantLoop(): Promise<void> {
    // The flag drops in the same turn as the last check of the loop: a place freed after that
    // check finds the flag down and starts a new loop, so no wake-up is lost between the two.
    try {
      await this.grantAll();
    } finally {
      this.granting = false;
    }
  }

  private async grantAll(): Promise<void> {
    while (!this.closed && this.waiters.length > 0 && this.calling < this.workers && this.deps.processHasRoom()) {
      const waiter = this.waiters.shift() as Waiter;
      this.take();
      const release = this.ended.pop() ?? null;
      let granted = false;
      try {
        granted = await this.deps.takeSlot(waiter.image, release);
      } catch (error) {
        this.deps.failed(error);
      }
      if (!granted) {
        // Full over all processes (or the database failed): the waiter keeps its turn.
        this.give();
        if (release) this.ended.push(release);
        if (!waiter.settled) this.waiters.unshift(waiter);
        return;
      }
      const leave = once(() => this.leave(waiter.image));
      if (waiter.settled) leave();
      else this.settle(waiter, () => waiter.resolve(leave));
    }
  }

  private leave(image: HeldImage): void {
    this.ended.push(image);
    this.give();
    this.grant();
  }

  private take(): void {
    this.calling++;
    this.deps.changed(1);
  }

  private give(): void {
    this.calling--;
    this.deps.changed(-1);
  }

  private settle(waiter: Waiter, how: () => void): void {
    if (waiter.settled) return;
    waiter.settled = true;
    how();
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
