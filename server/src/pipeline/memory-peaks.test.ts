import { afterEach, describe, expect, it } from "vitest";
import type { WorkerPool } from "../pool/pool";
import { MemoryPeaks } from "./memory-peaks";

/** A pool that answers only the memory task, with the heaps the test sets. */
function poolWithHeaps(heaps: { current: number[] }): WorkerPool {
  return {
    memory: async () => heaps.current.map((heapUsedBytes, threadId) => ({ threadId, heapUsedBytes, heapTotalBytes: heapUsedBytes })),
  } as Partial<WorkerPool> as WorkerPool;
}

describe("MemoryPeaks", () => {
  let peaks: MemoryPeaks | undefined;
  afterEach(() => peaks?.stop());

  it("keeps each active batch's highest worker heap and process memory, and forgets a batch once taken", async () => {
    const heaps = { current: [10, 20] };
    const active = { ids: ["a", "b"] };
    peaks = new MemoryPeaks(poolWithHeaps(heaps), () => active.ids, 20);
    peaks.start();
    await new Promise((r) => setTimeout(r, 80));
    heaps.current = [50, 60];
    await new Promise((r) => setTimeout(r, 80));
    active.ids = ["b"];
    heaps.current = [5, 5];
    await new Promise((r) => setTimeout(r, 80));
    heaps.current = [100, 100];
    active.ids = [];
    await new Promise((r) => setTimeout(r, 80));

    const a = peaks.take("a");
    expect(a.workerHeapBytes).toBe(110);
    expect(a.rssBytes).toBeGreaterThan(10_000_000);
    // Active through the 110 reading, not through any later one.
    expect(peaks.take("b").workerHeapBytes).toBe(110);
    // Not sampled with no batch active (the 200 was never read); a second take has only the latest reading.
    expect(peaks.take("a").workerHeapBytes).toBe(10);
  });

  it("gives a batch that ended before any sample a reading of the process", () => {
    peaks = new MemoryPeaks(poolWithHeaps({ current: [] }), () => [], 1_000);
    const peak = peaks.take("quick");
    expect(peak.rssBytes).toBeGreaterThan(10_000_000);
    expect(peak.workerHeapBytes).toBeNull();
  });
});
