import os from "node:os";
import Tinypool from "tinypool";
import type { Logger } from "pino";
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
  destroy(): Promise<void>;
}

export interface PoolOptions {
  threads?: number;
  /** A different worker module (tests wrap the real one to inject faults). */
  filename?: string;
  logger: Logger;
}

export const defaultWorkerFile = new URL("./worker.mjs", import.meta.url).href;

export function createWorkerPool({
  threads = Math.max(1, os.availableParallelism()),
  filename = defaultWorkerFile,
  logger,
}: PoolOptions): WorkerPool {
  const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads });
  // Without a listener, an error event from a dying worker would crash the whole process.
  pool.on("error", (error: unknown) => logger.warn({ err: error }, "worker thread failed"));

  // Every task carries a signal: Tinypool only settles a task whose worker exits when the task
  // can be aborted, so a signal is what turns a dead worker into a retryable failure.
  const run = <I, O>(name: string, input: I, signal: AbortSignal) => pool.run(input, { name, signal }) as Promise<O>;

  return {
    threads,
    prepare: (input, signal) => run<PrepareInput, PrepareOutput>("prepare", input, signal),
    ocr: (input, signal) => run<OcrInput, OcrOutput>("ocr", input, signal),
    thumbnail: (input, signal) => run<ThumbnailInput, ThumbnailOutput>("thumbnail", input, signal),
    async warmUp() {
      // A task with a signal only goes to an idle thread, so these land one per thread.
      const signal = AbortSignal.timeout(120_000);
      await Promise.all(Array.from({ length: threads }, () => run<undefined, boolean>("warm", undefined, signal)));
    },
    destroy: () => pool.destroy(),
  };
}
