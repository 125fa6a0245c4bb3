import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus figures of one process; a registry per app, so tests can run several. */
export function createPipelineMetrics(inFlight: () => number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "showscan_" });
  const attempts = new Counter({
    name: "showscan_attempts_total",
    help: "Image analysis attempts by outcome and error class",
    labelNames: ["engine", "outcome", "error_class"] as const,
    registers: [registry],
  });
  const attemptSeconds = new Histogram({
    name: "showscan_attempt_duration_seconds",
    help: "Measured time of one attempt (prepare + engine call)",
    labelNames: ["engine", "outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
    registers: [registry],
  });
  const batchesFinished = new Counter({
    name: "showscan_batches_finished_total",
    help: "Batches that reached a final state, by status",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "showscan_images_in_flight",
    help: "Images being analysed by this process",
    registers: [registry],
    collect() {
      this.set(inFlight());
    },
  });
  return {
    registry,
    attempt(engine: string, outcome: string, errorClass: string | null, latencyMs: number) {
      attempts.inc({ engine, outcome, error_class: errorClass ?? "" });
      attemptSeconds.observe({ engine, outcome }, latencyMs / 1000);
    },
    batchFinished(status: string) {
      batchesFinished.inc({ status });
    },
  };
}

export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;
