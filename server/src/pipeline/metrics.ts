import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AttemptResult } from "./attempt";
import { registerScrapeGauges, type ScrapeSources } from "./metrics-scrape";
import type { QuotaGate } from "./quota";
import type { Recorded } from "./record";

const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];

/**
 * Prometheus figures of one process. A registry per app, never prom-client's global one, so
 * two apps in one test process each count their own and register their names without a clash.
 * The names and meanings are listed in the README ("Other routes").
 */
export function createPipelineMetrics(sources: ScrapeSources) {
  const registry = new Registry();
  // Unprefixed, as dashboards expect them: process_*, nodejs_eventloop_lag_seconds, nodejs_heap_*.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const attempts = new Counter({
    name: "showscan_attempts_total",
    help: "Image analysis attempts by the attempt's own result and error class (a failed attempt may be retried)",
    labelNames: ["engine", "outcome", "error_class"] as const,
    registers,
  });
  const attemptSeconds = new Histogram({
    name: "showscan_attempt_duration_seconds",
    help: "Measured time of one attempt (prepare + engine call, not the quota wait)",
    labelNames: ["engine", "outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const images = new Counter({
    name: "showscan_images_finished_total",
    help: "Images that reached a final state in this process, by outcome",
    labelNames: ["engine", "outcome"] as const,
    registers,
  });
  const imageSeconds = new Histogram({
    name: "showscan_image_duration_seconds",
    help: "Measured time of the attempt that finished an image (its per-image latency)",
    labelNames: ["engine", "outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: "showscan_rate_limited_total",
    help: "Engine answers with HTTP 429, by error class (rateLimited: per minute, quotaExhausted: per day)",
    labelNames: ["engine", "error_class"] as const,
    registers,
  });
  const tokens = new Counter({
    name: "showscan_tokens_total",
    help: "Tokens the engine reported, by kind (prompt, output)",
    labelNames: ["engine", "kind"] as const,
    registers,
  });
  const quotaWaits = new Counter({
    name: "showscan_quota_waits_total",
    help: "Engine calls that had to wait for the key's quota (per-minute budget or a pause after a 429)",
    registers,
  });
  const quotaWaitSeconds = new Counter({
    name: "showscan_quota_wait_seconds_total",
    help: "Time engine calls spent waiting for the key's quota",
    registers,
  });
  const batchesFinished = new Counter({
    name: "showscan_batches_finished_total",
    help: "Batches that reached a final state, by status",
    labelNames: ["status"] as const,
    registers,
  });
  registerScrapeGauges(registry, sources);

  return {
    registry,
    /** One recorded attempt: its counts, and the images its record finished. */
    attempt(engine: string, attempt: AttemptResult, recorded: Pick<Recorded, "batch" | "processedBefore">) {
      const outcome = metricOutcome(attempt);
      const errorClass = attempt.ok ? "" : attempt.error.errorClass;
      attempts.inc({ engine, outcome, error_class: errorClass });
      attemptSeconds.observe({ engine, outcome }, attempt.latencyMs / 1000);
      const usage = attempt.ok ? (attempt.source === "engine" ? attempt.result.usage : null) : attempt.error.details.usage;
      if (usage?.promptTokens) tokens.inc({ engine, kind: "prompt" }, usage.promptTokens);
      if (usage?.outputTokens) tokens.inc({ engine, kind: "output" }, usage.outputTokens);
      const status = attempt.ok ? (usage?.httpStatus ?? null) : (attempt.error.details.httpStatus ?? null);
      if (status === 429) rateLimited.inc({ engine, error_class: errorClass });
      // The batch counters say how many images this record ended: none for a retry, the image
      // and its in-batch copies, or every open image when a bad key stopped the batch.
      const { batch } = recorded;
      const finished = batch ? batch.succeededImages + batch.failedImages - recorded.processedBefore : 0;
      if (finished > 0) {
        images.inc({ engine, outcome }, finished);
        imageSeconds.observe({ engine, outcome }, attempt.latencyMs / 1000);
      }
    },
    batchFinished(status: string) {
      batchesFinished.inc({ status });
    },
    /** The gate with its waits counted; the gate itself is unchanged. */
    measureQuota(gate: QuotaGate): QuotaGate {
      return {
        pauseFor: (ms) => gate.pauseFor(ms),
        async acquire(signal, rpm) {
          const started = performance.now();
          const waited = await gate.acquire(signal, rpm);
          if (waited) {
            quotaWaits.inc();
            quotaWaitSeconds.inc((performance.now() - started) / 1000);
          }
          return waited;
        },
      };
    },
  };
}

export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;

function metricOutcome(attempt: AttemptResult): "succeeded" | "cached" | "failed" {
  if (!attempt.ok) return "failed";
  return attempt.source === "cache" ? "cached" : "succeeded";
}
