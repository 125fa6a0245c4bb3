import type { FakeGemini } from "../../support/fake-gemini";
import type { BenchService } from "../bench-service";
import { filesOf, type BenchImage } from "../images";
import type { Row } from "../report";
import { runBatch } from "../run-batch";

export interface ThroughputResult {
  images: number;
  workers: number;
  succeeded: number;
  requests: number;
  /** app.submit called -> the benchmark saw the batch final, ms. */
  e2eMs: number;
  imagesPerSecond: number;
}

/** Part 4: tiny images, zero fake latency: the pipeline's own rate, durable writes included. */
export async function measureThroughput(
  service: BenchService,
  fake: FakeGemini,
  images: BenchImage[],
  workers: number,
): Promise<ThroughputResult> {
  fake.setLatency(0);
  const run = await runBatch(service, fake, filesOf(images, "tput"), workers);
  return {
    images: images.length,
    workers,
    succeeded: run.batch.succeededImages,
    requests: run.served.length,
    e2eMs: run.e2eMs,
    imagesPerSecond: images.length / (run.e2eMs / 1000),
  };
}

export const THROUGHPUT_TARGET = 400;

export const throughputRow = (r: ThroughputResult): Row => ({
  measurement: "throughput, zero latency (img/s)",
  figure: r.imagesPerSecond.toFixed(1),
  target: `>= ${THROUGHPUT_TARGET}`,
  pass: r.imagesPerSecond >= THROUGHPUT_TARGET,
});

export const describeThroughput = (r: ThroughputResult) =>
  `Part 4, throughput: ${r.images} tiny images, workers ${r.workers}, zero latency: ${r.succeeded}/${r.images} succeeded, ${r.requests} requests, submit..final ${r.e2eMs.toFixed(0)} ms, ${r.imagesPerSecond.toFixed(1)} img/s`;
