import type { BatchImage, Rejection } from "../api/types";

/** Every image that yielded nothing, with its reason in plain words. */
export function FailureList({ images, rejected }: { images: BatchImage[]; rejected: Rejection[] }) {
  const failed = images.filter((image) => image.status === "failed");
  if (failed.length === 0 && rejected.length === 0) return null;
  return (
    <section aria-label="Images that could not be read" className="failures">
      <h2>Not read</h2>
      <ul>
        {rejected.map((r) => (
          <li key={`rejected-${r.fileName}`}>
            <strong>{r.fileName}</strong>: not accepted: {r.reason}
          </li>
        ))}
        {failed.map((image) => (
          <li key={image.id}>
            <strong>{image.fileName}</strong>: {image.errorExplained ?? "it could not be analysed"}
            {image.error && <span className="muted"> ({image.error})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
