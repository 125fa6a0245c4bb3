import type { FakeGemini } from "../../support/fake-gemini";
import type { BenchService } from "../bench-service";
import { fakeWall, listScheduleMakespan, peakConcurrency, serviceTimes } from "../ideal";
import { filesOf, type BenchImage } from "../images";
import type { Row } from "../report";
import { runAutoBatch, runBatch, type BatchRun, type Workers } from "../run-batch";

export interface EfficiencyRun {
  workers: Workers;
  /** The slots the ideal packs onto: the window asked for, or for auto the most requests in flight at once at the fake. */
  slots: number;
  images: number;
  requests: number;
  succeeded: number;
  /** First request arrival at the fake -> last response written, ms. */
  wallMs: number;
  idealMs: number;
  efficiency: number;
  /** batches.started_at -> finished_at as the pipeline recorded them, ms. */
  batchWallMs: number;
  e2eMs: number;
  peak: number;
}

export type EfficiencyResult = { runs: EfficiencyRun[]; autoSupported: boolean };

function figures(run: BatchRun, workers: Workers, images: number): EfficiencyRun {
  const peak = peakConcurrency(run.served);
  const slots = workers === "auto" ? Math.max(1, peak) : workers;
  const wallMs = fakeWall(run.served);
  const idealMs = listScheduleMakespan(serviceTimes(run.served), slots);
  const { startedAt, finishedAt } = run.batch;
  return {
    workers,
    slots,
    images,
    requests: run.served.length,
    succeeded: run.batch.succeededImages,
    wallMs,
    idealMs,
    efficiency: idealMs / wallMs,
    batchWallMs: startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : Number.NaN,
    e2eMs: run.e2eMs,
    peak,
  };
}

/** Part 1: the same flyers at windows of 1, 3, 5 and auto; each run's wall against its own ideal. */
export async function measureEfficiency(service: BenchService, fake: FakeGemini, images: BenchImage[]): Promise<EfficiencyResult> {
  const runs: EfficiencyRun[] = [];
  for (const workers of [1, 3, 5] as const) {
    runs.push(figures(await runBatch(service, fake, filesOf(images, `w${workers}`), workers), workers, images.length));
  }
  const auto = await runAutoBatch(service, fake, filesOf(images, "auto"));
  if (auto) runs.push(figures(auto, "auto", images.length));
  return { runs, autoSupported: auto !== null };
}

/** The summary's row for one window: target 0.97 from 3 workers up. */
export function efficiencyRow(result: EfficiencyResult, w: Workers): Row {
  const run = result.runs.find((r) => r.workers === w);
  const measurement = `efficiency, workers ${w}`;
  const target = w === 1 ? "-" : ">= 0.97";
  if (!run) return { measurement, figure: w === "auto" ? "auto: not supported by this build" : null, target, pass: null };
  return { measurement, figure: run.efficiency.toFixed(2), target, pass: w === 1 ? null : run.efficiency >= 0.97 };
}
