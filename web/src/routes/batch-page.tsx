import { useParams } from "react-router";
import { BatchActions } from "../batches/batch-actions";
import { FailureList } from "../batches/failure-list";
import { PerformancePanel } from "../batches/performance-panel";
import { ProgressBar, ProgressFigures } from "../batches/progress-panel";
import { ResultsPanel } from "../batches/results-panel";
import { Timeline } from "../batches/timeline";
import { ConnectionNotice } from "../batches/connection-notice";
import { BatchUnavailable, useBatchView } from "../batches/use-batch-view";
import { dateTime } from "../lib/format";

/** One batch, for its owner or an admin: its figures and its attempts laid out in time. */
export function BatchPage() {
  const { batchId = "" } = useParams();
  return (
    <main className="page">
      <BatchView key={batchId} batchId={batchId} />
    </main>
  );
}

function BatchView({ batchId }: { batchId: string }) {
  const { progress, detail, error, reconnecting, images, cachedImages, shows, final } = useBatchView(batchId);
  if (!progress || !detail) {
    return (
      <>
        <h1>Batch</h1>
        <BatchUnavailable error={error} />
      </>
    );
  }
  return (
    <div className="stack">
      <h1>Batch of {detail.progress.totalImages} images</h1>
      <p className="muted">
        {dateTime(detail.createdAt)} · {detail.owner} · {workersLabel(detail)} · engine {detail.engine}
        {detail.sourceUrl ? ` · from ${detail.sourceUrl}` : ""}
      </p>
      <ConnectionNotice reconnecting={reconnecting} />
      <ProgressBar progress={progress} />
      <ProgressFigures progress={progress} cachedImages={cachedImages} />
      <BatchActions progress={progress} />
      {detail.metrics && <PerformancePanel metrics={detail.metrics} />}
      <Timeline images={images} startedAt={detail.startedAt} />
      <FailureList images={images} rejected={[]} />
      <ResultsPanel batchId={batchId} shows={shows} images={images} final={final} />
    </div>
  );
}

function workersLabel(detail: { mode: string; workers: number; workersAuto: boolean }): string {
  if (detail.mode === "sequential") return "sequential";
  return detail.workersAuto ? `workers auto (chose ${detail.workers})` : `${detail.workers} workers`;
}
