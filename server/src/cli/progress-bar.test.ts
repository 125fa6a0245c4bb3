import { describe, expect, it } from "vitest";
import type { BatchProgress } from "./client";
import { pausedText } from "./format";
import { createProgressView } from "./progress-bar";

const progress = (over: Partial<BatchProgress> = {}): BatchProgress => ({
  batchId: "b",
  status: "running",
  totalImages: 4,
  processedImages: 1,
  remainingImages: 3,
  failedImages: 0,
  succeededImages: 1,
  currentBatch: 1,
  totalBatches: 2,
  averageTimePerImage: 1_000,
  estimatedTimeRemaining: 3_000,
  inFlight: 0,
  workers: 2,
  elapsedMs: 1_000,
  speedup: 1,
  error: null,
  notice: null,
  resumesAt: null,
  seq: 1,
  ...over,
});

describe("the CLI's progress lines", () => {
  it("says once that the daily quota holds the batch back, and until when", () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const view = createProgressView(stream, 4);
    const resumesAt = "2026-12-02T08:00:00.000Z";
    view.update(progress({ resumesAt, seq: 2 }));
    view.update(progress({ resumesAt, seq: 3 }));
    const pauses = written.filter((line) => line.startsWith("⏸"));
    expect(pauses).toEqual([`⏸ ${pausedText(resumesAt)}\n`]);
    expect(pausedText(resumesAt)).toBe(
      `Paused: the Gemini key's daily quota is used up, resumes at ${new Date(resumesAt).toLocaleString()}`,
    );
    expect(written.at(-1)).toMatch(/ETA resumes /);
  });
});
