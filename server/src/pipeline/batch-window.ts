import type { HeldImage } from "@showscan/db";

export interface WindowDeps {
  /** Asks the database for a place: `release`, a request that ended here, leaves it in the same step. */
  takeSlot(image: HeldImage, release: HeldImage | null): Promise<boolean>;
  /** Moves a place from a request that ended here to the next one, in one step; false: it did not move. */
  passSlot(from: HeldImage, to: HeldImage): Promise<boolean>;
  /** Whether this process may put one more request at the API (its own cap over all batches). */
  processHasRoom(): boolean;
  /** Whether this process may keep a place it holds for another request (its cap may have dropped). */
  mayKeep(): boolean;
  /** A request was sent on a place that then did not move to it in the database: stop it. */
  lost(image: HeldImage): void;

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

const keyOf = (image: HeldImage) => `${image.imageId}:${image.attemptNumber}`;
const settledOf = (moves: Promise<unknown>[]) => Promise.allSettled(moves).then(() => undefined);

/**
 * One batch's window as this process sees it: the places it holds (requests at the API), the
 * prepared images waiting for one, and the requests that ended but may still count in the
 * database until their record commits.
 *
 * When a request answers and an image waits, the place passes to it at once: its request goes
 * out while the database moves the place (one statement that ends the one and starts the other,
 * so the batch's count over all processes never changes and needs no check). Every later step
 * on either image waits for that statement: the next pass out of the new one, and the record of
 * the old one, which would otherwise end it first and let another process see the place free.
 * If the place did not move (the old one had lost its lease), the new request is stopped. A
 * waiter with no place to take over asks the database for a free one (takeSlot, which counts).
 */
export class BatchWindow {
  /** Places this process holds (or is asking for) in the batch's window. */
  calling = 0;
  private readonly waiters: Waiter[] = [];
  private readonly ended: HeldImage[] = [];
  /** The pending statement that moved a place to an image, by image. */
  private readonly arriving = new Map<string, Promise<boolean>>();
  /** The pending statement that moves a place away from an image, by image. */
  private readonly leaving = new Map<string, Promise<boolean>>();
  /** Sent on a place that did not move to them: their end frees nothing. */
  private readonly placeless = new Set<string>();
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

  /**
   * Resolves once the database has moved the image's place, both to it and away from it: what its
   * record waits for.
   */
  settled(image: HeldImage): Promise<void> {
    const key = keyOf(image);
    return settledOf([this.arriving.get(key), this.leaving.get(key)].filter((p) => p !== undefined));
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
        if (release) await this.arrived(release);
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
    const key = keyOf(image);
    if (this.placeless.delete(key)) {
      this.give();
      this.grant();
      return;
    }
    const next = !this.closed && this.calling <= this.workers && this.deps.mayKeep() ? this.waiters.shift() : undefined;
    if (next) {
      this.pass(image, next);
      return;
    }
    this.ended.push(image);
    this.give();
    this.grant();
  }

  private pass(from: HeldImage, waiter: Waiter): void {
    const fromKey = keyOf(from);
    const to = keyOf(waiter.image);
    // A place that never reached `from` has nothing to pass on.
    const moved = (this.arriving.get(fromKey) ?? Promise.resolve(true))
      .then((held) => (held ? this.deps.passSlot(from, waiter.image) : false))
      .catch((error: unknown) => {
        this.deps.failed(error);
        return false;
      })
      .then((ok) => {
        if (!ok) {
          this.placeless.add(to);
          this.deps.lost(waiter.image);
        }
        return ok;
      });
    this.leaving.set(fromKey, moved);
    this.arriving.set(to, moved);
    void moved.then(() => {
      if (this.leaving.get(fromKey) === moved) this.leaving.delete(fromKey);
      if (this.arriving.get(to) === moved) this.arriving.delete(to);
    });
    const leave = once(() => this.leave(waiter.image));
    this.settle(waiter, () => waiter.resolve(leave));
  }

  /** Waits for the statement that moved a place to the image, if one is still out. */
  private async arrived(image: HeldImage): Promise<void> {
    await this.arriving.get(keyOf(image));
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
