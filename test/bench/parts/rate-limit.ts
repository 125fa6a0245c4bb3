import { startFakeGemini } from "../../support/fake-gemini";
import { startBenchService } from "../bench-service";
import { busiestWindow, fakeWall } from "../ideal";
import { answerByHash, answersFor, filesOf, tinyImages } from "../images";
import { runBatch } from "../run-batch";
import type { Settings } from "../settings";

const MINUTE = 60_000;

export interface RateLimitResult {
  rpm: number;
  images: number;
  workers: number;
  succeeded: number;
  requests: number;
  answered429: number;
  /** Mean, over every 60 s window that starts at an admitted request and ends inside the run, of the requests admitted in it, / rpm. */
  shareOfLimit: number;
  /** How many such windows were averaged (0: the run was shorter than 60 s and the share is the whole run's rate / rpm). */
  windows: number;
  /** The most requests (admitted or not) that arrived at the fake in any sliding 60 s window. */
  busiestSent: number;
  busiestAdmitted: number;
  wallMs: number;
}

/**
 * Part 3: a service of its own (its own Postgres) with the geminiRpm setting GEMINI_RPM gives
 * runtime.ts, against a fake that enforces the same rpm over a sliding 60 s window.
 */
export async function measureRateLimit(s: Settings): Promise<RateLimitResult> {
  const images = await tinyImages(s.rateImages, s.seed, "rate");
  const answers = await answersFor(images);
  const fake = await startFakeGemini({
    rpm: s.rateRpm,
    latencyMs: s.rateLatencyMs,
    answer: answerByHash(answers),
  });
  const service = await startBenchService({
    fake,
    threads: s.threads,
    maxConcurrency: s.maxConcurrency,
    pollMs: s.pollMs,
    imageTimeoutMs: 60_000,
    geminiRpm: s.rateRpm,
  });
  try {
    const run = await runBatch(service, fake, filesOf(images, "rate"), s.rateWorkers);
    const admitted = run.served.filter((r) => r.status !== 429).map((r) => r.arrivedAt);
    admitted.sort((a, b) => a - b);
    const first = admitted[0] ?? 0;
    const last = admitted.at(-1) ?? 0;
    const counts: number[] = [];
    for (let i = 0, j = 0; i < admitted.length && admitted[i]! + MINUTE <= last; i++) {
      while (j < admitted.length && admitted[j]! < admitted[i]! + MINUTE) j++;
      counts.push(j - i);
    }
    const shareOfLimit = counts.length
      ? counts.reduce((a, b) => a + b, 0) / counts.length / s.rateRpm
      : ((admitted.length - 1) * MINUTE) / Math.max(1, last - first) / s.rateRpm;
    return {
      rpm: s.rateRpm,
      images: images.length,
      workers: s.rateWorkers,
      succeeded: run.batch.succeededImages,
      requests: run.served.length,
      answered429: run.served.filter((r) => r.status === 429).length,
      shareOfLimit,
      windows: counts.length,
      busiestSent: busiestWindow(
        run.served.map((r) => r.arrivedAt),
        MINUTE,
      ),
      busiestAdmitted: busiestWindow(admitted, MINUTE),
      wallMs: fakeWall(run.served),
    };
  } finally {
    await service.close();
    await fake.close();
  }
}
