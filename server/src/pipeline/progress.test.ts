import type { BatchRow } from "@showscan/db";
import { describe, expect, it } from "vitest";
import { toProgress } from "./progress";

const T0 = new Date("2025-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function batch(over: Partial<BatchRow> = {}): BatchRow {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    owner: "alice",
    status: "running",
    mode: "parallel",
    workers: 3,
    workersAuto: false,
    priority: 0,
    resumesAt: null,
    engine: "gemini",
    model: null,
    geminiRpm: null,
    rerunOf: null,
    sourceUrl: null,
    description: null,
    vendor: null,
    idempotencyKey: null,
    skipCache: false,
    totalImages: 10,
    succeededImages: 0,
    failedImages: 0,
    progressSeq: 0,
    error: null,
    notice: null,
    createdAt: T0,
    startedAt: T0,
    finishedAt: null,
    ...over,
  };
}

const figures = (over: Partial<{ inFlight: number; timedImages: number; sumImageMs: number; now: Date }> = {}) => ({
  inFlight: 0,
  timedImages: 0,
  sumImageMs: 0,
  now: T0,
  ...over,
});

describe("toProgress", () => {
  it("a queued batch: nothing processed, elapsedMs 0, speedup 0", () => {
    const p = toProgress(batch({ status: "queued", startedAt: null, totalImages: 7 }), figures({ now: at(5_000) }));
    expect(p).toMatchObject({
      status: "queued",
      totalImages: 7,
      processedImages: 0,
      remainingImages: 7,
      failedImages: 0,
      succeededImages: 0,
      currentBatch: 1,
      totalBatches: 3,
      averageTimePerImage: 0,
      estimatedTimeRemaining: 0,
      elapsedMs: 0,
      speedup: 0,
      inFlight: 0,
      workers: 3,
    });
  });

  it("a running batch: counts, batches, averages, estimate and speedup from the recorded figures", () => {
    // 10 images, 3 workers; 4 succeeded and 1 failed; 5 timed images took 20 s in all; 10 s of wall time.
    const p = toProgress(
      batch({ succeededImages: 4, failedImages: 1, progressSeq: 17 }),
      figures({ inFlight: 3, timedImages: 5, sumImageMs: 20_000, now: at(10_000) }),
    );
    expect(p.batchId).toBe("00000000-0000-4000-8000-000000000001");
    expect(p.processedImages).toBe(5);
    expect(p.remainingImages).toBe(5);
    expect(p.failedImages).toBe(1);
    expect(p.succeededImages).toBe(4);
    expect(p.totalBatches).toBe(4); // ceil(10 / 3)
    expect(p.currentBatch).toBe(2); // floor(5 / 3) + 1
    expect(p.averageTimePerImage).toBe(4_000);
    expect(p.estimatedTimeRemaining).toBe(Math.round((5 * 4_000) / 3)); // 6667
    expect(p.inFlight).toBe(3);
    expect(p.workers).toBe(3);
    expect(p.elapsedMs).toBe(10_000);
    expect(p.speedup).toBe(2);
    expect(p.seq).toBe(17);
    expect(p.error).toBeNull();
  });

  it("rounds the average and the speedup (to 2 decimals)", () => {
    const p = toProgress(batch({ succeededImages: 3 }), figures({ timedImages: 3, sumImageMs: 10_000, now: at(3_000) }));
    expect(p.averageTimePerImage).toBe(3_333);
    expect(p.speedup).toBe(3.33);
  });

  it("averages over timed images only, not over every processed one", () => {
    // Two processed, one of them a duplicate with no time of its own.
    const p = toProgress(
      batch({ succeededImages: 2, totalImages: 4, workers: 1 }),
      figures({ timedImages: 1, sumImageMs: 6_000, now: at(6_000) }),
    );
    expect(p.averageTimePerImage).toBe(6_000);
    expect(p.estimatedTimeRemaining).toBe(12_000);
  });

  it("a finished batch measures elapsed time up to finishedAt, not now", () => {
    const p = toProgress(
      batch({ status: "completed", succeededImages: 9, failedImages: 1, finishedAt: at(8_000) }),
      figures({ timedImages: 10, sumImageMs: 24_000, now: at(60_000) }),
    );
    expect(p.elapsedMs).toBe(8_000);
    expect(p.speedup).toBe(3);
    expect(p.processedImages).toBe(10);
    expect(p.remainingImages).toBe(0);
    expect(p.estimatedTimeRemaining).toBe(0);
  });

  it("a finished batch whose last group is partial is on its last batch (10 images, 3 workers: 4 of 4)", () => {
    const p = toProgress(
      batch({ status: "completed", succeededImages: 10, finishedAt: at(8_000) }),
      figures({ timedImages: 10, sumImageMs: 24_000 }),
    );
    expect(p.totalBatches).toBe(4);
    expect(p.currentBatch).toBe(4);
  });

  it("currentBatch never passes totalBatches when the images divide evenly", () => {
    const p = toProgress(
      batch({ totalImages: 6, succeededImages: 6, status: "completed", finishedAt: at(1_000) }),
      figures({ timedImages: 6, sumImageMs: 3_000 }),
    );
    expect(p.totalBatches).toBe(2);
    expect(p.currentBatch).toBe(2);
  });

  it("currentBatch moves to the next group once a group is done", () => {
    const p = toProgress(batch({ totalImages: 6, succeededImages: 3 }), figures({ timedImages: 3, sumImageMs: 3_000, now: at(1_000) }));
    expect(p.currentBatch).toBe(2);
  });

  it("a sequential batch (one worker) counts one image per batch", () => {
    const p = toProgress(
      batch({ workers: 1, mode: "sequential", totalImages: 4, succeededImages: 2 }),
      figures({ timedImages: 2, sumImageMs: 4_000, now: at(4_000) }),
    );
    expect(p.totalBatches).toBe(4);
    expect(p.currentBatch).toBe(3);
    expect(p.estimatedTimeRemaining).toBe(4_000);
    expect(p.speedup).toBe(1);
  });

  it("never reports negative remaining images or elapsed time", () => {
    const p = toProgress(batch({ totalImages: 2, succeededImages: 3 }), figures({ now: at(-5_000) }));
    expect(p.remainingImages).toBe(0);
    expect(p.elapsedMs).toBe(0);
    expect(p.speedup).toBe(0);
  });

  it("an empty batch still has one batch", () => {
    const p = toProgress(batch({ totalImages: 0, status: "completed", finishedAt: T0 }), figures());
    expect(p.totalBatches).toBe(1);
    expect(p.remainingImages).toBe(0);
  });

  it("passes the batch error through", () => {
    const p = toProgress(batch({ status: "failed", error: "invalid Gemini API key", finishedAt: at(100) }), figures());
    expect(p.status).toBe("failed");
    expect(p.error).toBe("invalid Gemini API key");
  });
});
