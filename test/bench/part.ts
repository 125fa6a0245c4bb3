import { startFakeGemini } from "../support/fake-gemini";
import { startBenchService } from "./bench-service";
import { answerByHash, answersFor, filesOf, flyerImages, logNormalLatency, tinyImages } from "./images";
import { describeQueuedMemory, measureQueuedMemory, queuedMemoryRow } from "./parts/queued-memory";
import { runBatch } from "./run-batch";
import { describeSubscribers, measureSubscribers, subscribersRows } from "./parts/subscribers";
import { measureEfficiency } from "./parts/efficiency";
import { measureThroughput } from "./parts/throughput";
import { describeUploadMemory, measureUploadMemory, uploadMemoryRow } from "./parts/upload-memory";
import { SUMMARY_HEADERS, summaryCells, textTable, type Row } from "./report";
import { settings } from "./settings";

/**
 * One part of the benchmark on its own, printed as its rows of the summary, without rewriting
 * BENCHMARKS.md: `npm run bench:part -w @showscan/test -- upload-memory`.
 */
const PARTS: Record<string, () => Promise<Row[]>> = {
  efficiency: async () => {
    const flyers = await flyerImages(settings.flyers, settings.seed);
    const warmup = await tinyImages(10, settings.seed, "warm");
    const answers = await answersFor([...flyers, ...warmup]);
    const latency = logNormalLatency(settings.latencyMedianMs, settings.latencySigma, settings.seed);
    const fake = await startFakeGemini({ latencyMs: latency, answer: answerByHash(answers) });
    const service = await startBenchService({
      fake,
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
      pollMs: settings.pollMs,
      imageTimeoutMs: 60_000,
    });
    try {
      await runBatch(service, fake, filesOf(warmup, "warm"), 5);
      const result = await measureEfficiency(service, fake, flyers);
      for (const r of result.runs)
        console.log(
          `workers ${r.workers}: slots ${r.slots}, wall ${r.wallMs.toFixed(0)} ms, ideal ${r.idealMs.toFixed(0)} ms, efficiency ${r.efficiency.toFixed(3)}`,
        );
      return result.runs.map((r) => ({
        measurement: `efficiency, workers ${r.workers}`,
        figure: r.efficiency.toFixed(2),
        target: r.workers === 1 ? "-" : ">= 0.97",
        pass: r.workers === 1 ? null : r.efficiency >= 0.97,
      }));
    } finally {
      await service.close();
      await fake.close();
    }
  },
  throughput: async () => {
    const images = await tinyImages(settings.throughputImages, settings.seed, "tput");
    const fake = await startFakeGemini({ latencyMs: 0, answer: answerByHash(await answersFor(images)) });
    const service = await startBenchService({
      fake,
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
      pollMs: settings.pollMs,
      imageTimeoutMs: 60_000,
    });
    try {
      const r = await measureThroughput(service, fake, images, settings.throughputWorkers);
      console.log(
        `throughput: ${r.succeeded}/${r.images} succeeded, ${r.requests} requests, ${r.e2eMs} ms, ${r.imagesPerSecond.toFixed(1)} img/s`,
      );
      return [
        {
          measurement: "throughput, zero latency (img/s)",
          figure: r.imagesPerSecond.toFixed(1),
          target: ">= 400",
          pass: r.imagesPerSecond >= 400,
        },
      ];
    } finally {
      await service.close();
      await fake.close();
    }
  },
  "queued-memory": async () => {
    const images = await tinyImages(settings.throughputImages, settings.seed, "tput");
    const result = await measureQueuedMemory(images, settings.queuedBatches, settings.queuedHoldMs, {
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
    });
    console.log(describeQueuedMemory(result));
    return [queuedMemoryRow(result)];
  },
  "upload-memory": async () => {
    const result = await measureUploadMemory(settings.uploadImages);
    console.log(describeUploadMemory(result));
    return [uploadMemoryRow(result)];
  },
  subscribers: async () => {
    const images = await tinyImages(settings.subscriberImages, settings.seed, "subs");
    const latency = logNormalLatency(settings.latencyMedianMs, settings.latencySigma, settings.seed);
    const fake = await startFakeGemini({ latencyMs: latency, answer: answerByHash(await answersFor(images)) });
    const service = await startBenchService({
      fake,
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
      pollMs: settings.pollMs,
      imageTimeoutMs: 60_000,
    });
    try {
      const result = await measureSubscribers(service, fake, images, settings.subscriberWorkers, settings.subscribers);
      console.log(describeSubscribers(result, settings.subscriberWorkers));
      return subscribersRows(result);
    } finally {
      await service.close();
      await fake.close();
    }
  },
};

const name = process.argv[2] ?? "";
const part = PARTS[name];
if (!part) {
  console.error(`name a part: ${Object.keys(PARTS).join(", ")} (got ${JSON.stringify(name)})`);
  process.exit(2);
}
console.log(textTable(SUMMARY_HEADERS, summaryCells(await part())));
