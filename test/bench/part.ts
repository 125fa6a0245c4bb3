import { startFakeGemini, type FakeGemini, type Latency } from "../support/fake-gemini";
import { startBenchService, type BenchService } from "./bench-service";
import { answerByHash, answersFor, filesOf, flyerImages, logNormalLatency, tinyImages, type BenchImage } from "./images";
import { measureProcesses } from "./parts/processes";
import { describeQueuedMemory, measureQueuedMemory, queuedMemoryRow } from "./parts/queued-memory";
import { runBatch } from "./run-batch";
import { describeSubscribers, measureSubscribers, subscribersRows } from "./parts/subscribers";
import { efficiencyRow, measureEfficiency } from "./parts/efficiency";
import { describeThroughput, measureThroughput, throughputRow } from "./parts/throughput";
import { describeUploadMemory, measureUploadMemory, uploadMemoryRow } from "./parts/upload-memory";
import { SUMMARY_HEADERS, summaryCells, textTable, type Row } from "./report";
import { settings } from "./settings";

/**
 * One part of the benchmark on its own, printed as its rows of the summary, without rewriting
 * BENCHMARKS.md: `npm run bench:part -w @showscan/test -- upload-memory`.
 */
/** A fake answering `images` after `latencyMs` and the in-process service on it, closed after `run`. */
async function withService<T>(
  images: BenchImage[],
  latencyMs: Latency,
  run: (service: BenchService, fake: FakeGemini) => Promise<T>,
): Promise<T> {
  const fake = await startFakeGemini({ latencyMs, answer: answerByHash(await answersFor(images)) });
  try {
    const service = await startBenchService({
      fake,
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
      pollMs: settings.pollMs,
      imageTimeoutMs: 60_000,
    });
    try {
      return await run(service, fake);
    } finally {
      await service.close();
    }
  } finally {
    await fake.close();
  }
}

const PARTS: Record<string, () => Promise<Row[]>> = {
  efficiency: async () => {
    const flyers = await flyerImages(settings.flyers, settings.seed);
    const warmup = await tinyImages(10, settings.seed, "warm");
    const latency = logNormalLatency(settings.latencyMedianMs, settings.latencySigma, settings.seed);
    const result = await withService([...flyers, ...warmup], latency, async (service, fake) => {
      await runBatch(service, fake, filesOf(warmup, "warm"), 5);
      return measureEfficiency(service, fake, flyers);
    });
    for (const r of result.runs)
      console.log(`workers ${r.workers}: slots ${r.slots}, wall ${r.wallMs.toFixed(0)} ms, ideal ${r.idealMs.toFixed(0)} ms`);
    return result.runs.map((r) => efficiencyRow(result, r.workers));
  },
  throughput: async () => {
    const images = await tinyImages(settings.throughputImages, settings.seed, "tput");
    const result = await withService(images, 0, (service, fake) => measureThroughput(service, fake, images, settings.throughputWorkers));
    console.log(describeThroughput(result));
    return [throughputRow(result)];
  },
  processes: async () => {
    const images = await tinyImages(settings.throughputImages, settings.seed, "tput");
    const result = await measureProcesses(images.slice(0, settings.processesImages), settings.processesWorkers);
    const [one, two] = result.runs;
    const ratio = one && two ? two.imagesPerSecond / one.imagesPerSecond : Number.NaN;
    for (const r of result.runs)
      console.log(`${r.processes} process(es): ${r.succeeded}/${result.images}, ${r.imagesPerSecond.toFixed(1)} img/s`);
    return [{ measurement: "two server processes / one (img/s ratio)", figure: ratio.toFixed(2), target: ">= 1.7", pass: ratio >= 1.7 }];
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
    const result = await withService(images, latency, (service, fake) =>
      measureSubscribers(service, fake, images, settings.subscriberWorkers, settings.subscribers),
    );
    console.log(describeSubscribers(result, settings.subscriberWorkers));
    return subscribersRows(result);
  },
};

const name = process.argv[2] ?? "";
const part = PARTS[name];
if (!part) {
  console.error(`name a part: ${Object.keys(PARTS).join(", ")} (got ${JSON.stringify(name)})`);
  process.exit(2);
}
console.log(textTable(SUMMARY_HEADERS, summaryCells(await part())));
