import { useMemo, useState } from "react";
import type { BatchImage } from "../api/types";
import { duration } from "../lib/format";
import { ImageViewer } from "./image-viewer";

const STATE_WORDS: Record<BatchImage["status"], string> = {
  queued: "waiting",
  running: "analysing",
  succeeded: "read",
  failed: "failed",
  cancelled: "cancelled",
  duplicate: "duplicate",
};

/** A claimed image waits for a free slot while it is prepared: "analysing" only once it is at the API. */
const stateOf = (image: BatchImage) => (image.status === "running" && !image.callingSince ? "preparing" : image.status);
const wordOf = (image: BatchImage) => (stateOf(image) === "preparing" ? "preparing" : STATE_WORDS[image.status]);

/**
 * Where a cached image's answer came from: an image of this batch opens in the viewer; an
 * earlier batch's image is linked for admins (the server signs that link only for them, since
 * only they may open anyone's image) and named otherwise.
 */
function CachedFrom({ image, byId, onOpen }: { image: BatchImage; byId: Map<string, BatchImage>; onOpen: (image: BatchImage) => void }) {
  const source = image.cachedFrom ? byId.get(image.cachedFrom) : undefined;
  if (!source && image.cachedFromUrl)
    return (
      <span className="muted small cached-from">
        seen before,{" "}
        <a href={image.cachedFromUrl} target="_blank" rel="noreferrer">
          in an earlier batch
        </a>
      </span>
    );
  if (!source) return <span className="muted small">seen before, in an earlier batch</span>;
  return (
    <span className="muted small cached-from">
      seen before: same as{" "}
      <button type="button" className="link" onClick={() => onOpen(source)}>
        {source.fileName}
      </button>
    </span>
  );
}

/** The batch's images, each with its state, attempts and time, updating as they finish. */
export function ImageGrid({ images }: { images: BatchImage[] }) {
  const byId = useMemo(() => new Map(images.map((image) => [image.id, image])), [images]);
  const [open, setOpen] = useState<BatchImage | null>(null);
  return (
    <>
      <ul className="image-grid" aria-label="Images">
        {images.map((image) => (
          <li
            key={image.id}
            className={`tile state-${stateOf(image)}`}
            aria-label={`${image.fileName}: ${wordOf(image)}${image.cached ? ", answered from the cache" : ""}`}
          >
            <img src={image.thumbnailUrl} alt="" loading="lazy" width={96} height={96} />
            <span className="name" title={image.fileName}>
              {image.fileName}
            </span>
            {/* A cached image was read too: "cached" says both, and fits the tile beside nothing else. */}
            {image.cached ? (
              <span className="badge cached" title="Read from an earlier analysis of the same picture: no request, no tokens">
                cached
              </span>
            ) : (
              <span className={`badge state-${stateOf(image)}`}>{wordOf(image)}</span>
            )}
            {image.cached ? (
              <CachedFrom image={image} byId={byId} onOpen={setOpen} />
            ) : (
              <span className="muted small">
                {image.attempts.length === 1 ? "1 attempt" : `${image.attempts.length} attempts`} · {duration(image.durationMs)}
              </span>
            )}
            {image.status === "failed" && <span className="error small">{image.errorExplained ?? image.error}</span>}
          </li>
        ))}
      </ul>
      {open && <ImageViewer image={open} onClose={() => setOpen(null)} />}
    </>
  );
}
