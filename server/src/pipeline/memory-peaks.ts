import type { WorkerPool } from "../pool/pool";

export interface MemoryPeak {
  rssBytes: number;
  workerHeapBytes: number | null;
}

/** Only idle threads answer a memory task; a busy one keeps its last figure rather than stall the sample. */
const THREAD_TIMEOUT_MS = 200;

/**
 * The highest memory seen while each batch had images in flight in this process: the process's
 * resident set, and its worker threads' V8 heaps summed. Sampled on a timer only while there is
 * work, and once more when a batch ends, so a batch shorter than the interval still has a figure.
 * Another process working on the same batch keeps its own peaks; the figure stored is the one of
 * the process that recorded the batch's end.
 */
export class MemoryPeaks {
  private readonly peaks = new Map<string, MemoryPeak>();
  private readonly threadHeaps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly activeBatches: () => Iterable<string>,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The batch's peak so far, with one fresh reading of the process; forgets the batch. */
  take(batchId: string): MemoryPeak {
    this.note([batchId]);
    const peak = this.peaks.get(batchId) ?? { rssBytes: process.memoryUsage().rss, workerHeapBytes: null };
    this.peaks.delete(batchId);
    return peak;
  }

  private async sample(): Promise<void> {
    const batches = [...new Set(this.activeBatches())];
    if (!batches.length || this.sampling) return;
    this.sampling = true;
    try {
      for (const thread of await this.pool.memory(THREAD_TIMEOUT_MS)) this.threadHeaps.set(thread.threadId, thread.heapUsedBytes);
    } catch {
      // A failed reading of the threads leaves their last figures; the process's is still taken.
    } finally {
      this.sampling = false;
    }
    this.note(batches);
  }

  private note(batchIds: Iterable<string>): void {
    const rssBytes = process.memoryUsage().rss;
    const workerHeapBytes = this.threadHeaps.size ? [...this.threadHeaps.values()].reduce((a, b) => a + b, 0) : null;
    for (const id of batchIds) {
      const peak = this.peaks.get(id);
      this.peaks.set(id, {
        rssBytes: Math.max(peak?.rssBytes ?? 0, rssBytes),
        workerHeapBytes: workerHeapBytes === null ? (peak?.workerHeapBytes ?? null) : Math.max(peak?.workerHeapBytes ?? 0, workerHeapBytes),
      });
    }
  }
}
