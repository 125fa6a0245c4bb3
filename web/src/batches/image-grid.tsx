import type { BatchImage } from "../api/types";
import { duration } from "../lib/format";

const STATE_WORDS: Record<BatchImage["status"], string> = {
  queued: "waiting",
  running: "analysing",
  succeeded: "read",
  failed: "failed",
  cancelled: "cancelled",
  duplicate: "duplicate",
};

/** The batch's images, each with its state, attempts and time, updating as they finish. */
export function ImageGrid({ images }: { images: BatchImage[] }) {
  return (
    <ul className="image-grid" aria-label="Images">
      {images.map((image) => (
        <li key={image.id} className={`tile state-${image.status}`} aria-label={`${image.fileName}: ${STATE_WORDS[image.status]}`}>
          <img src={image.thumbnailUrl} alt="" loading="lazy" width={96} height={96} />
          <span className="name" title={image.fileName}>
            {image.fileName}
          </span>
          <span className={`badge state-${image.status}`}>{STATE_WORDS[image.status]}</span>
          <span className="muted small">
            {image.attempts.length === 1 ? "1 attempt" : `${image.attempts.length} attempts`} · {duration(image.durationMs)}
          </span>
          {image.status === "failed" && <span className="error small">{image.errorExplained ?? image.error}</span>}
        </li>
      ))}
    </ul>
  );
}
