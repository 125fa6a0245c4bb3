import { getHeapStatistics } from "node:v8";
import { threadId } from "node:worker_threads";

export interface ThreadMemory {
  threadId: number;
  /** This thread's own V8 heap: every worker is an isolate of its own. */
  heapUsedBytes: number;
  heapTotalBytes: number;
}

/** Runs in a worker thread: what its isolate holds (rss is the process's, so it is not asked here). */
export function threadMemory(): ThreadMemory {
  const heap = getHeapStatistics();
  return { threadId, heapUsedBytes: heap.used_heap_size, heapTotalBytes: heap.total_heap_size };
}
