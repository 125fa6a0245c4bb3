import { cancelBatch } from "../../../server/src/batches/commands";
import type { FakeGemini } from "../../support/fake-gemini";
import type { BenchService } from "../bench-service";
import { filesOf, type BenchImage } from "../images";

export interface QueuedMemoryResult {
  queued: number;
  batches: number;
  /** Of the process the service runs in (its worker threads included; its Postgres is another process), MB. */
  rssBeforeMb: number;
  rssPeakMb: number;
  heapBeforeMb: number;
  heapPeakMb: number;
  /** How long the images stayed queued and running while memory was sampled, ms. */
  sampledMs: number;
  processed: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Part 5: `batches` submissions of the same distinct tiny images (10,000 queued in all), then
 * `holdMs` of the dispatcher working on them at zero latency; the process's memory is sampled
 * every 20 ms from before the first submission. The batches are cancelled afterwards.
 */
export async function measureQueuedMemory(
  service: BenchService,
  fake: FakeGemini,
  images: BenchImage[],
  batches: number,
  holdMs: number,
): Promise<QueuedMemoryResult> {
  fake.reset();
  fake.setLatency(0);
  globalThis.gc?.();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  }, 20);
  const ids: string[] = [];
  const started = performance.now();
  try {
    for (let b = 0; b < batches; b++) {
      const input = { owner: "bench", files: filesOf(images, `q${b}`), workers: 5, mode: "parallel" as const, skipCache: true };
      ids.push((await service.app.submit(input, "admin")).batchId);
    }
    await new Promise((r) => setTimeout(r, holdMs));
  } finally {
    clearInterval(sampler);
  }
  const sampledMs = performance.now() - started;
  const processed = fake.served.length;
  for (const id of ids) await cancelBatch(service.app, id);
  return {
    queued: images.length * batches,
    batches,
    rssBeforeMb: mb(before.rss),
    rssPeakMb: mb(rssPeak),
    heapBeforeMb: mb(before.heapUsed),
    heapPeakMb: mb(heapPeak),
    sampledMs,
    processed,
  };
}
