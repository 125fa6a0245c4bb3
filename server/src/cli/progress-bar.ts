import { SingleBar } from "cli-progress";
import type { BatchProgress } from "./client";
import { formatDuration, pausedText } from "./format";

export interface ProgressView {
  update(progress: BatchProgress): void;
  /** Shown in place of the status while a cancel is on its way. */
  note(text: string): void;
  stop(): void;
}

const FINAL = ["completed", "failed", "cancelled"];

/**
 * The live progress of a batch on `stream` (stderr, so stdout keeps only the results): a
 * cli-progress bar on a terminal, one line per change at most every few seconds otherwise.
 * The ETA is the server's `estimatedTimeRemaining`, counted down between events.
 */
export function createProgressView(stream: NodeJS.WriteStream, total: number): ProgressView {
  let last: { progress: BatchProgress; at: number } | null = null;
  let label: string | null = null;
  let stopped = false;

  // Named etaText: cli-progress fills {eta} itself, from its own rate estimate.
  const eta = () => {
    if (!last) return "…";
    const { progress, at } = last;
    if (FINAL.includes(progress.status)) return progress.status === "completed" ? "done" : "—";
    if (progress.resumesAt) return `resumes ${new Date(progress.resumesAt).toLocaleString()}`;
    if (progress.processedImages === 0 || progress.averageTimePerImage === 0) return "estimating…";
    return formatDuration(Math.max(0, progress.estimatedTimeRemaining - (Date.now() - at)));
  };
  const status = () => label ?? (last?.progress.resumesAt ? "Paused   " : last?.progress.status === "queued" ? "Queued   " : "Analysing");
  // The pause is said in full once, when it starts or moves: a bar has room for its time only.
  let pauseSaid: string | null = null;
  const newPause = (progress: BatchProgress) => {
    if (progress.resumesAt === pauseSaid) return null;
    pauseSaid = progress.resumesAt;
    return progress.resumesAt ? `⏸ ${pausedText(progress.resumesAt)}` : null;
  };
  const payload = () => {
    const p = last?.progress;
    return {
      status: status(),
      left: p?.remainingImages ?? total,
      failed: p?.failedImages ?? 0,
      inFlight: p?.inFlight ?? 0,
      etaText: eta(),
    };
  };

  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: "{status} {bar} {value}/{total} │ {left} remaining │ {failed} failed │ {inFlight} in flight │ ETA {etaText}",
      barsize: (stream.columns ?? 120) < 110 ? 14 : 28,
      barCompleteChar: "█",
      barIncompleteChar: "░",
      hideCursor: true,
      linewrap: false,
      fps: 4,
    });
    bar.start(total, 0, payload());
    // Between events the countdown still moves.
    const tick = setInterval(() => bar.update(payload()), 500);
    return {
      update(progress) {
        last = { progress, at: Date.now() };
        const pause = newPause(progress);
        if (pause) {
          // cli-progress redraws its line after whatever is written above it.
          bar.stop();
          stream.write(`${pause}\n`);
          bar.start(progress.totalImages, progress.processedImages, payload());
        }
        bar.setTotal(progress.totalImages);
        bar.update(progress.processedImages, payload());
      },
      note(text) {
        label = text;
        bar.update(payload());
      },
      stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(tick);
        bar.update(payload());
        bar.stop();
      },
    };
  }

  let printed = { processed: -1, status: "", at: 0 };
  const line = () => {
    const p = payload();
    const done = last?.progress.processedImages ?? 0;
    stream.write(
      `📊 ${done}/${last?.progress.totalImages ?? total} processed · ${p.left} remaining · ${p.failed} failed · ${p.inFlight} in flight · ETA ${p.etaText}\n`,
    );
  };
  return {
    update(progress) {
      last = { progress, at: Date.now() };
      const pause = newPause(progress);
      if (pause) stream.write(`${pause}\n`);
      const final = FINAL.includes(progress.status);
      const changed = progress.processedImages !== printed.processed || progress.status !== printed.status;
      if (changed && (final || progress.processedImages === 0 || Date.now() - printed.at >= 2_000)) {
        printed = { processed: progress.processedImages, status: progress.status, at: Date.now() };
        line();
      }
    },
    note(text) {
      stream.write(`${text}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (last && last.progress.processedImages !== printed.processed) line();
    },
  };
}
