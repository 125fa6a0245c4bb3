import os from "node:os";

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
};

/** Every count and setting of one `npm run bench`, from the environment (printed with the results). */
export const settings = {
  seed: num("BENCH_SEED", 42),
  threads: num("BENCH_THREADS", Math.max(1, os.availableParallelism())),
  maxConcurrency: num("BENCH_MAX_CONCURRENCY", 16),
  pollMs: num("BENCH_POLL_MS", 100),
  /** Part 1 and 2: generated flyers, log-normal fake latency. */
  flyers: num("BENCH_FLYERS", 60),
  latencyMedianMs: num("BENCH_LATENCY_MEDIAN_MS", 300),
  latencySigma: num("BENCH_LATENCY_SIGMA", 0.6),
  /** Part 3: the enforced rate limit. */
  rateRpm: num("BENCH_RATE_RPM", 300),
  rateImages: num("BENCH_RATE_IMAGES", 400),
  rateWorkers: num("BENCH_RATE_WORKERS", 5),
  rateLatencyMs: num("BENCH_RATE_LATENCY_MS", 0),
  /** Part 4: zero latency, tiny images. */
  throughputImages: num("BENCH_THROUGHPUT_IMAGES", 500),
  throughputWorkers: num("BENCH_THROUGHPUT_WORKERS", 16),
  /** Part 5: this many submissions of the throughput images queued at once, then held this long. */
  queuedBatches: num("BENCH_QUEUED_BATCHES", 20),
  queuedHoldMs: num("BENCH_QUEUED_HOLD_MS", 5_000),
  /** Part 7: this many of the throughput images through one `showscan serve` process, then two (0: skip). */
  processesImages: num("BENCH_PROCESSES_IMAGES", 200),
  processesWorkers: num("BENCH_PROCESSES_WORKERS", 5),
  /** Part 8: generated 2 MB images in one admin upload to a `showscan serve` process (0: skip). */
  uploadImages: num("BENCH_UPLOAD_IMAGES", 500),
  /** Part 6: WebSocket subscribers on one running batch. */
  subscribers: num("BENCH_SUBSCRIBERS", 200),
  subscriberImages: num("BENCH_SUBSCRIBER_IMAGES", 100),
  subscriberWorkers: num("BENCH_SUBSCRIBER_WORKERS", 5),
};

export type Settings = typeof settings;

export const describeSettings = (s: Settings) =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
