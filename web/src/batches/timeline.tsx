import { useEffect, useState } from "react";
import type { AttemptOutcome, BatchAttempt, BatchImage } from "../api/types";
import { duration, plural } from "../lib/format";

const OUTCOMES = [
  "succeeded",
  "cached",
  "retry",
  "failed",
  "cancelled",
  "lease_expired",
  "running",
] as const satisfies readonly AttemptOutcome[];

const OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  succeeded: "succeeded",
  cached: "answered from the cache",
  retry: "retry",
  failed: "failed",
  cancelled: "cancelled",
  lease_expired: "lease expired",
  running: "running",
};

/** Under the track: the start, the quarters (hidden on narrow screens) and the whole span. */
const TICKS = [0, 0.25, 0.5, 0.75, 1];

interface Bar {
  key: string;
  outcome: AttemptOutcome;
  left: number;
  width: number;
  text: string;
}

/** "attempt 2: retry after 812 ms — rateLimited: HTTP 429 quota exceeded" */
function attemptText(attempt: BatchAttempt, runningMs: number): string {
  const timing =
    attempt.outcome === "running"
      ? `running for ${duration(runningMs)}`
      : `${OUTCOME_WORDS[attempt.outcome]} after ${duration(attempt.latencyMs)}`;
  const http = attempt.httpStatus && (attempt.httpStatus < 200 || attempt.httpStatus > 299) ? `HTTP ${attempt.httpStatus}` : null;
  const cause = [attempt.errorClass, [http, attempt.error].filter(Boolean).join(" ")].filter(Boolean).join(": ");
  return `attempt ${attempt.number}: ${timing}${cause ? ` — ${cause}` : ""}`;
}

/** The wall clock, ticking once a second while something is running (so running bars grow). */
function useNow(ticking: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/**
 * Every attempt of every image laid out in time: one row per image, each attempt a bar placed by
 * when it started after the batch did and as wide as it took, coloured by its outcome. Each bar
 * takes focus and says what happened (error class, HTTP status, message) on hover or focus.
 */
export function Timeline({ images, startedAt }: { images: BatchImage[]; startedAt: string | Date | null }) {
  const running = images.some((image) => image.attempts.some((a) => a.outcome === "running"));
  const now = useNow(running);
  const [active, setActive] = useState<string | null>(null);

  const attempts = images.flatMap((image) => image.attempts);
  const starts = attempts.map((a) => new Date(a.startedAt).getTime());
  const batchStart = startedAt ? new Date(startedAt).getTime() : Math.min(...starts);
  const endOf = (a: BatchAttempt) => {
    const start = new Date(a.startedAt).getTime();
    return a.outcome === "running" ? Math.max(now, start) : start + (a.latencyMs ?? 0);
  };
  const span = Math.max(1, ...attempts.map((a) => endOf(a) - batchStart));

  const rows = images.map((image) => ({
    image,
    bars: image.attempts.map((a): Bar => {
      const start = new Date(a.startedAt).getTime();
      const left = Math.min(100, Math.max(0, ((start - batchStart) / span) * 100));
      const width = Math.min(100 - left, Math.max(0, ((endOf(a) - start) / span) * 100));
      return { key: `${image.id}:${a.number}`, outcome: a.outcome, left, width, text: attemptText(a, endOf(a) - start) };
    }),
  }));

  return (
    <section aria-label="Timeline" className="panel">
      <h2>Timeline</h2>
      <ul className="timeline-legend" aria-label="Outcome colours">
        {OUTCOMES.map((outcome) => (
          <li key={outcome}>
            <span className={`swatch outcome-${outcome}`} aria-hidden="true" /> {OUTCOME_WORDS[outcome]}
          </li>
        ))}
      </ul>
      {attempts.length === 0 || !Number.isFinite(batchStart) ? (
        <p className="muted">No attempts yet.</p>
      ) : (
        <>
          <p className="muted small">
            {plural(attempts.length, "attempt")} on {plural(images.length, "image")} over {duration(span)}
            {running ? " so far" : ""}. Hover over or focus a bar for its details.
          </p>
          <ol className="timeline-rows">
            {rows.map(({ image, bars }) => {
              const tip = bars.find((bar) => bar.key === active);
              return (
                <li key={image.id} className="timeline-row">
                  <span className="timeline-name" title={image.fileName}>
                    {image.fileName}
                  </span>
                  <div className="timeline-track">
                    {bars.map((bar) => (
                      <button
                        key={bar.key}
                        type="button"
                        tabIndex={0}
                        className={`attempt outcome-${bar.outcome}${bar.key === active ? " active" : ""}`}
                        style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                        aria-label={`${image.fileName}, ${bar.text}`}
                        title={bar.text}
                        onMouseEnter={() => setActive(bar.key)}
                        onMouseLeave={() => setActive((current) => (current === bar.key ? null : current))}
                        onFocus={() => setActive(bar.key)}
                        onBlur={() => setActive((current) => (current === bar.key ? null : current))}
                        onClick={() => setActive(bar.key)}
                        onKeyDown={(e) => {
                          if (e.key === "Escape") setActive(null);
                        }}
                      />
                    ))}
                  </div>
                  {tip && (
                    <span className="tip" aria-hidden="true">
                      {tip.text}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
          <div className="timeline-axis" aria-hidden="true">
            <span />
            <div className="timeline-ticks">
              {TICKS.map((share) => (
                <span key={share} className={`tick${share > 0 && share < 1 ? " minor" : ""}`} style={{ left: `${share * 100}%` }}>
                  {share === 0 ? "0 s" : duration(span * share)}
                </span>
              ))}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
