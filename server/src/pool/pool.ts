import os from "node:os";
import Tinypool from "tinypool";
import type { Logger } from "pino";
import type { ThreadMemory } from "./memory";
import { ShrinkPolicy } from "./shrink-policy";
import type { PrepareInput, PrepareOutput } from "./prepare";
import type { ThumbnailInput, ThumbnailOutput } from "./thumbnail";
import type { OcrInput, OcrOutput } from "../engines/offline/ocr";

export interface WorkerPool {
  prepare(input: PrepareInput, signal: AbortSignal): Promise<PrepareOutput>;
  ocr(input: OcrInput, signal: AbortSignal): Promise<OcrOutput>;
  thumbnail(input: ThumbnailInput, signal: AbortSignal): Promise<ThumbnailOutput>;
  readonly threads: number;
  /** Starts every thread and loads its modules before real work arrives. */
  warmUp(): Promise<void>;
  /** What the pool is doing now, for metrics and readiness. */
  stats(): PoolStats;
  /** Calls `listener` as each task settles; returns the function that stops it. */
  onTaskDone(listener: (task: string, seconds: number, ok: boolean) => void): () => void;
  /**
   * Calls `listener` each time the pool runs with fewer threads because threads kept dying, with
   * a sentence for the logs and the batches; returns the function that stops it.
   */
  onShrink(listener: (threads: number, message: string) => void): () => void;
  /** The heap of each idle thread that answers within `timeoutMs`; busy threads are skipped, never waited for. */
  memory(timeoutMs: number): Promise<ThreadMemory[]>;
  destroy(): Promise<void>;
}

export interface PoolStats {
  /** Live worker threads. */
  threads: number;
  /** Tasks being run by a thread now. */
  busy: number;
  /** Tasks waiting for a free thread. */
  queued: number;
  /** True once warmUp() has answered from every thread. */
  warm: boolean;
  /** Threads the pool runs with now: its configured size, less what it gave up after repeated deaths. */
  size: number;
}

export interface PoolOptions {
  /** Most threads; all of them stay up unless `idleMs` lets idle ones go. */
  threads?: number;
  /**
   * How long an idle thread is kept: after that it exits, down to one thread, and a busy spell
   * starts new ones again (each paying its module load: sharp quickly, the OCR model in seconds).
   * Unset: every thread stays up.
   */
  idleMs?: number;
  /** A thread's heap limit: a thread over it dies, its task fails as retryable and a new thread takes over. */
  maxHeapMb?: number;
  /** A different worker module (tests wrap the real one to inject faults). */
  filename?: string;
  /** Thread deaths within a minute that make the pool give up a thread (default 3). */
  deathsPerStep?: number;
  logger: Logger;
}

export const defaultWorkerFile = new URL("./worker.mjs", import.meta.url).href;

export function createWorkerPool({
  threads = Math.max(1, os.availableParallelism()),
  filename = defaultWorkerFile,
  logger,
  idleMs,
  maxHeapMb,
  deathsPerStep,
}: PoolOptions): WorkerPool {
  const policy = new ShrinkPolicy(threads, deathsPerStep);
  const open = (size: number) => {
    const pool = new Tinypool({
      filename,
      minThreads: idleMs ? 1 : size,
      maxThreads: size,
      ...(idleMs ? { idleTimeout: idleMs } : {}),
      ...(maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {}),
    });
    // Without a listener, an error event from a dying worker would crash the whole process.
    pool.on("error", (error: unknown) => logger.warn({ err: error }, "worker thread failed"));
    return pool;
  };
  let pool = open(threads);
  // The current pool and any older one still finishing its tasks (on threads that can die too).
  const live = new Set([pool]);
  const watched = new WeakSet<object>();
  const watching = setInterval(() => watchThreads(), 100);
  watching.unref();
  // A thread that dies of an uncaught error or of its heap limit emits "error" on its Worker,
  // whether or not Tinypool had a task on it; a task's own exception does not. A timed-out task
  // is not counted: it may never have left the queue. Tinypool starts replacement threads on
  // its own and hands them queued tasks, so threads are also looked for on a timer; a thread
  // boots for far longer than that interval before it can run anything, so none is missed.
  const watchThreads = () => {
    for (const thread of [...live].flatMap((p) => p.threads)) {
      if (!thread || watched.has(thread)) continue;
      watched.add(thread);
      thread.once("error", () => died());
    }
  };
  const shrinkListeners = new Set<(threads: number, message: string) => void>();
  const died = () => {
    const size = policy.death(Date.now());
    if (size === null) return;
    // Tasks under way finish on the old pool; new ones go to the smaller one.
    const old = pool;
    pool = open(size);
    live.add(pool);
    void drained(old).then(() => {
      live.delete(old);
      return old.destroy();
    });
    const message =
      size === 1
        ? "Worker threads kept dying: images are prepared one at a time on a single thread (slower; the batch goes on)"
        : `Worker threads kept dying: the pool runs ${size} of ${threads} threads (slower; the batch goes on)`;
    logger.warn({ threads: size, configured: threads }, message);
    for (const listener of shrinkListeners) listener(size, message);
  };
  const outstandingBy = new Map<Tinypool, number>();
  const drained = async (old: Tinypool) => {
    while ((outstandingBy.get(old) ?? 0) > 0) await new Promise((r) => setTimeout(r, 200));
  };

  // Every task carries a signal: Tinypool only settles a task whose worker exits when the task
  // can be aborted, so a signal is what turns a dead worker into a retryable failure.
  const listeners = new Set<(task: string, seconds: number, ok: boolean) => void>();
  let outstanding = 0;
  let warm = false;
  const run = async <I, O>(name: string, input: I, signal: AbortSignal): Promise<O> => {
    const started = performance.now();
    let ok = false;
    const on = pool;
    outstanding++;
    outstandingBy.set(on, (outstandingBy.get(on) ?? 0) + 1);
    try {
      const task = on.run(input, { name, signal }) as Promise<O>;
      watchThreads();
      const output = await task;
      ok = true;
      return output;
    } finally {
      outstanding--;
      outstandingBy.set(on, (outstandingBy.get(on) ?? 1) - 1);
      // Queue time is included: utilisation from these seconds is an upper bound when tasks wait.
      for (const listener of listeners) listener(name, (performance.now() - started) / 1000, ok);
    }
  };

  return {
    get threads() {
      return policy.threads;
    },
    prepare: (input, signal) => run<PrepareInput, PrepareOutput>("prepare", input, signal),
    ocr: (input, signal) => run<OcrInput, OcrOutput>("ocr", input, signal),
    thumbnail: (input, signal) => run<ThumbnailInput, ThumbnailOutput>("thumbnail", input, signal),
    async warmUp() {
      // A task with a signal only goes to an idle thread, so these land one per thread.
      const signal = AbortSignal.timeout(120_000);
      await Promise.all(Array.from({ length: policy.threads }, () => run<undefined, boolean>("warm", undefined, signal)));
      warm = true;
    },
    stats() {
      const queued = pool.queueSize;
      return { threads: pool.threads.length, busy: Math.max(0, outstanding - queued), queued, warm, size: policy.threads };
    },
    onTaskDone(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onShrink(listener) {
      shrinkListeners.add(listener);
      return () => shrinkListeners.delete(listener);
    },
    async memory(timeoutMs) {
      // A task with a signal goes only to an idle thread, so a scrape never queues behind real work;
      // one task per live thread, each answered by whichever thread is idle (deduplicated by
      // thread id); asking for more would start threads the idle timeout has let go.
      const signal = AbortSignal.timeout(timeoutMs);
      const answers = await Promise.allSettled(
        Array.from(
          { length: Math.max(1, pool.threads.length) },
          () => pool.run(undefined, { name: "memory", signal }) as Promise<ThreadMemory>,
        ),
      );
      const byThread = new Map<number, ThreadMemory>();
      for (const a of answers) if (a.status === "fulfilled") byThread.set(a.value.threadId, a.value);
      return [...byThread.values()];
    },
    destroy: () => {
      clearInterval(watching);
      return Promise.all([...live].map((p) => p.destroy())).then(() => {});
    },
  };
}
