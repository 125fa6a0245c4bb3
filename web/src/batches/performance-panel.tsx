import type { BatchMetrics } from "../api/types";
import { duration, percent, times } from "../lib/format";
import { Figure } from "./progress-panel";

/** The measured figures of an ended batch (batch_metrics), never estimates. */
export function PerformancePanel({ metrics }: { metrics: BatchMetrics }) {
  return (
    <section aria-label="Performance" className="panel">
      <h2>Performance</h2>
      <dl className="figures">
        <Figure label="Wall time" value={duration(metrics.wallMs)} />
        <Figure label="Sum of image times" value={duration(metrics.sumImageMs)} />
        <Figure label="Speedup" value={times(metrics.speedup)} />
        <Figure label="Worker utilisation" value={percent(metrics.workerUtilisation)} />
        <Figure label="Mean per image" value={duration(metrics.meanImageMs)} />
        <Figure label="p95 per image" value={duration(metrics.p95ImageMs)} />
        <Figure label="Success rate" value={percent(metrics.successRate)} />
        <Figure label="Retries" value={metrics.retries} />
        <Figure label="429 answers" value={metrics.rateLimited} />
        <Figure label="Tokens" value={(metrics.promptTokens + metrics.outputTokens).toLocaleString()} />
      </dl>
    </section>
  );
}
