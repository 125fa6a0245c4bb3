import type { BatchProgress } from "../api/types";
import { dateTime, duration, times } from "../lib/format";
import { isFinal } from "./use-batch-progress";

const STATUS_WORDS: Record<BatchProgress["status"], string> = {
  queued: "Waiting to start",
  running: "Analysing",
  completed: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** The progress bar every batch page shows, with the counts a person asks for first. */
export function ProgressBar({ progress }: { progress: BatchProgress }) {
  const { processedImages, totalImages, remainingImages, failedImages, estimatedTimeRemaining, status, resumesAt } = progress;
  const share = totalImages ? Math.round((processedImages / totalImages) * 100) : 0;
  return (
    <section className="progress" aria-label="Progress">
      <div className="progress-head">
        <span className={`badge status-${status}`}>{resumesAt ? "Paused" : STATUS_WORDS[status]}</span>
        <span>
          {processedImages} of {totalImages} images analysed
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label="Images analysed"
        aria-valuemin={0}
        aria-valuemax={totalImages}
        aria-valuenow={processedImages}
        aria-valuetext={`${processedImages} of ${totalImages} (${share}%)`}
      >
        <div className="bar-fill" style={{ width: `${share}%` }} />
      </div>
      <dl className="figures compact">
        <Figure label="Processed" value={processedImages} />
        <Figure label="Remaining" value={remainingImages} />
        <Figure label="Failed" value={failedImages} />
        <Figure
          label="Time left"
          value={
            isFinal(status)
              ? "done"
              : resumesAt
                ? "paused"
                : status === "queued"
                  ? "starting…"
                  : `about ${duration(estimatedTimeRemaining)}`
          }
        />
      </dl>
      {resumesAt && (
        <p role="status" className="notice">
          Paused: the Gemini key's daily quota is used up, resumes at {dateTime(resumesAt)}
        </p>
      )}
      {progress.notice && (
        <p role="status" className="notice">
          {progress.notice}
        </p>
      )}
      {progress.error && (
        <p role="alert" className="error">
          {progress.error}
        </p>
      )}
    </section>
  );
}

/**
 * Every BatchProgress figure, for the admin's live view, and how many images were answered from
 * the cache (counted among the succeeded ones).
 */
export function ProgressFigures({ progress, cachedImages }: { progress: BatchProgress; cachedImages: number }) {
  return (
    <dl className="figures" aria-label="Live figures">
      <Figure label="In flight" value={`${progress.inFlight} of ${progress.workers} workers`} />
      <Figure label="Succeeded" value={progress.succeededImages} />
      <Figure label="From the cache" value={cachedImages} />
      <Figure label="Group" value={`${progress.currentBatch} of ${progress.totalBatches}`} />
      <Figure label="Average per image" value={duration(progress.averageTimePerImage)} />
      <Figure label="Elapsed" value={duration(progress.elapsedMs)} />
      <Figure label="Speedup so far" value={times(progress.speedup)} />
    </dl>
  );
}

export function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
