import { writeFileSync } from "node:fs";
import os from "node:os";
import type { Extraction } from "../../server/src/extraction/schema";
import { startFakeGemini } from "../support/fake-gemini";
import { startBenchService } from "./bench-service";
import { answerByHash, answersFor, filesOf, flyerImages, logNormalLatency, tinyImages } from "./images";
import { measureBaseline, type BaselineResult } from "./parts/baseline";
import { efficiencyRow, measureEfficiency, type EfficiencyResult } from "./parts/efficiency";
import { measureProcesses, PROCESS_CAP, type ProcessesResult } from "./parts/processes";
import { describeQueuedMemory, measureQueuedMemory, queuedMemoryRow } from "./parts/queued-memory";
import { measureRateLimit, type RateLimitResult } from "./parts/rate-limit";
import { describeSubscribers, measureSubscribers, subscribersRows, type SubscribersResult } from "./parts/subscribers";
import { describeThroughput, measureThroughput, throughputRow, type ThroughputResult } from "./parts/throughput";
import {
  describeUploadMemory,
  measureUploadMemory,
  UPLOAD_MEMORY_TARGET_MB,
  uploadMemoryRow,
  type UploadMemoryResult,
} from "./parts/upload-memory";
import { command, commit, HOW_IT_MEASURES, machine, markdownTable, SUMMARY_HEADERS, summaryCells, textTable, type Row } from "./report";
import { runBatch, type Workers } from "./run-batch";
import { describeSettings, settings as s } from "./settings";

/**
 * `npm run bench`: one run of the throughput benchmark (issue 9's parts 1 to 7, and part 8: memory while an upload streams in), one summary
 * table, and BENCHMARKS.md rewritten with it. BENCHMARKS.md says how each figure is measured.
 */

const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(2)}%` : "-");
const log = (line: string) => console.log(line);

const startedAt = new Date();
const loadBefore = os.loadavg();
log(`showscan benchmark: ${machine()}`);
log(`settings: ${describeSettings(s)}`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  log(`${label} ...`);
  const result = await work();
  log(`${label}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

const flyers = await flyerImages(s.flyers, s.seed);
const tiny = await tinyImages(s.throughputImages, s.seed, "tput");
const subscriberImages = await tinyImages(s.subscriberImages, s.seed, "subs");
const warmup = await tinyImages(10, s.seed, "warm");
const answers = new Map<string, Extraction>();
for (const set of [flyers, tiny, subscriberImages, warmup]) for (const [k, v] of await answersFor(set)) answers.set(k, v);
const latency = logNormalLatency(s.latencyMedianMs, s.latencySigma, s.seed);

const fake = await startFakeGemini({
  latencyMs: latency,
  answer: answerByHash(answers),
});
const service = await startBenchService({
  fake,
  threads: s.threads,
  maxConcurrency: s.maxConcurrency,
  pollMs: s.pollMs,
  imageTimeoutMs: 60_000,
});
let efficiency: EfficiencyResult;
let baseline: BaselineResult;
let subscribers: SubscribersResult;
let throughput: ThroughputResult;
try {
  await timed("warm-up (not reported)", () => runBatch(service, fake, filesOf(warmup, "warm"), 5));
  efficiency = await timed("part 1, efficiency", () => measureEfficiency(service, fake, flyers));
  baseline = await timed("part 2, fixed groups", () => measureBaseline(service, fake, flyers, 5));
  subscribers = await timed("part 6, subscribers", () =>
    measureSubscribers(service, fake, subscriberImages, s.subscriberWorkers, s.subscribers),
  );
  throughput = await timed("part 4, throughput", () => measureThroughput(service, fake, tiny, s.throughputWorkers));
} finally {
  await service.close();
  await fake.close();
}
// After the in-process service is closed: this part measures a server process of its own.
const queued = await timed("part 5, queued images", () =>
  measureQueuedMemory(tiny, s.queuedBatches, s.queuedHoldMs, { threads: s.threads, maxConcurrency: s.maxConcurrency }),
);
const rate: RateLimitResult = await timed("part 3, rate limit", () => measureRateLimit(s));
const processes: ProcessesResult | null =
  s.processesImages > 0
    ? await timed("part 7, one process and two", () => measureProcesses(tiny.slice(0, s.processesImages), s.processesWorkers))
    : null;
const upload: UploadMemoryResult | null =
  s.uploadImages > 0 ? await timed("part 8, upload memory", () => measureUploadMemory(s.uploadImages)) : null;
const [oneProcess, twoProcesses] = processes?.runs ?? [];
const processRatio = oneProcess && twoProcesses ? twoProcesses.imagesPerSecond / oneProcess.imagesPerSecond : Number.NaN;

// Per-part detail.
const detail: string[] = [];
detail.push(
  `Part 1, efficiency: ${s.flyers} generated flyers, fake latency log-normal median ${s.latencyMedianMs} ms sigma ${s.latencySigma}`,
  textTable(
    [
      "workers",
      "slots",
      "requests",
      "succeeded",
      "wall ms",
      "ideal ms",
      "efficiency",
      "peak in flight",
      "batch wall ms",
      "submit..final ms",
    ],
    efficiency.runs.map((r) => [
      String(r.workers),
      String(r.slots),
      String(r.requests),
      `${r.succeeded}/${r.images}`,
      f0(r.wallMs),
      f0(r.idealMs),
      f2(r.efficiency),
      String(r.peak),
      f0(r.batchWallMs),
      f0(r.e2eMs),
    ]),
  ),
);
if (!efficiency.autoSupported) detail.push("auto: not supported by this build");
const at5 = efficiency.runs.find((r) => r.workers === 5);
const speedup = at5 ? baseline.wallMs / at5.wallMs : Number.NaN;
detail.push(
  "",
  `Part 2, fixed groups of ${baseline.workers}: ${baseline.requests} requests, ${baseline.succeeded}/${baseline.images} succeeded, wall ${f0(baseline.wallMs)} ms; showscan at 5: ${f0(at5?.wallMs ?? Number.NaN)} ms; speedup ${f2(speedup)}`,
  "",
  `Part 3, rate limit: rpm ${rate.rpm}, ${rate.images} tiny images, workers ${rate.workers}, fake latency ${s.rateLatencyMs} ms: ${rate.succeeded}/${rate.images} succeeded, ${rate.requests} requests, ${rate.answered429} answered 429, wall ${f1(rate.wallMs / 1000)} s; share of limit ${f2(rate.shareOfLimit)} over ${rate.windows} windows; busiest 60 s: ${rate.busiestSent} sent, ${rate.busiestAdmitted} admitted`,
  "",
  describeThroughput(throughput),
  "",
  describeQueuedMemory(queued),
  "",
  describeSubscribers(subscribers, s.subscriberWorkers),
);

if (processes) {
  detail.push(
    "",
    `Part 7, processes: ${processes.images} tiny images over HTTP in 4 batches of workers ${processes.workers}, each process at most ${PROCESS_CAP} at the API, 300 ms latency; ` +
      processes.runs
        .map(
          (r) =>
            `${r.processes} process(es): ${r.succeeded}/${processes.images} succeeded, ${f0(r.e2eMs)} ms, ${f1(r.imagesPerSecond)} img/s`,
        )
        .join("; ") +
      `; two / one = ${f2(processRatio)}`,
  );
}

if (upload) detail.push("", describeUploadMemory(upload));

const eff = (w: Workers): Row => efficiencyRow(efficiency, w);
const rows: Row[] = [
  eff(1),
  eff(3),
  eff(5),
  eff("auto"),
  { measurement: "speedup over fixed groups, workers 5", figure: f2(speedup), target: ">= 1.3", pass: speedup >= 1.3 },
  {
    measurement: `rate ${rate.rpm}/min: share of limit`,
    figure: f2(rate.shareOfLimit),
    target: ">= 0.97",
    pass: rate.shareOfLimit >= 0.97,
  },
  {
    measurement: "rate: most sent in any 60 s",
    figure: String(rate.busiestSent),
    target: `<= ${rate.rpm}`,
    pass: rate.busiestSent <= rate.rpm,
  },
  {
    measurement: "rate: answered 429",
    figure: pct(rate.answered429 / Math.max(1, rate.requests)),
    target: "<= 0.5%",
    pass: rate.answered429 <= 0.005 * rate.requests,
  },
  {
    measurement: "rate: all images succeeded",
    figure: `${rate.succeeded}/${rate.images}`,
    target: "all",
    pass: rate.succeeded === rate.images,
  },
  throughputRow(throughput),
  queuedMemoryRow(queued),
  ...subscribersRows(subscribers),
  {
    measurement: "two server processes / one (img/s ratio)",
    figure: processes
      ? `${f2(processRatio)} (${f1(twoProcesses?.imagesPerSecond ?? Number.NaN)} / ${f1(oneProcess?.imagesPerSecond ?? Number.NaN)})`
      : null,
    target: ">= 1.7",
    pass: processes ? processRatio >= 1.7 : null,
  },
  upload
    ? uploadMemoryRow(upload)
    : { measurement: "upload of 2 MB images: server peak RSS (MB)", figure: null, target: `< ${UPLOAD_MEMORY_TARGET_MB}`, pass: null },
];

const loadAfter = os.loadavg();
const loadLine = `load average (1 min) ${loadBefore[0]!.toFixed(2)} at the start, ${loadAfter[0]!.toFixed(2)} at the end (the benchmark's own processes included)`;
log("");
log(detail.join("\n"));
log("");
log(textTable(SUMMARY_HEADERS, summaryCells(rows)));
log(loadLine);

// A load average above half the CPUs at the start: other work shared the machine. The end's
// figure cannot tell: the last parts themselves keep both cores busy.
const busy = loadBefore[0]! > os.availableParallelism() / 2;
const shared = busy
  ? " (other work shared the machine during this run: these figures show that the benchmark works, not what the code reaches on a quiet machine)"
  : "";

const doc = `# Benchmarks

Written by \`npm run bench\` (one run; \`test/bench/main.ts\`). Only measured figures.

- Machine: ${machine()}
- Date: ${startedAt.toISOString()}; ${loadLine}${shared}
- Command: \`${command()}\`
- Commit: ${commit()}
- Settings: \`${describeSettings(s)}\` (each is a \`BENCH_*\` variable, see \`test/bench/settings.ts\`)

## Summary

${markdownTable(SUMMARY_HEADERS, summaryCells(rows))}

## Detail

\`\`\`
${detail.join("\n")}
\`\`\`

${HOW_IT_MEASURES}`;
writeFileSync(new URL("../../BENCHMARKS.md", import.meta.url), doc);
log("BENCHMARKS.md written");
