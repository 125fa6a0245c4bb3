import { useState } from "react";
import type { BatchImage } from "../api/types";
import { ImageViewer } from "./image-viewer";

/** The images a row came from, as thumbnails; a click shows the image at full size. */
export function SourceThumbs({ sources, images }: { sources: string[]; images: Map<string, BatchImage> }) {
  const [open, setOpen] = useState<BatchImage | null>(null);
  return (
    <span className="sources">
      {sources.map((id) => {
        const image = images.get(id);
        return image ? (
          <button key={id} type="button" className="thumb" title={image.fileName} onClick={() => setOpen(image)}>
            <img src={image.thumbnailUrl} alt={`Open ${image.fileName}`} width={32} height={32} />
          </button>
        ) : null;
      })}
      {open && <ImageViewer image={open} onClose={() => setOpen(null)} />}
    </span>
  );
}
