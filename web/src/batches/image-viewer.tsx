import { useEffect, useId, useRef } from "react";
import type { BatchImage } from "../api/types";

/** One image at full size over the page, with its name and a link to open it on its own. */
export function ImageViewer({ image, onClose }: { image: BatchImage; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Opened as a modal once mounted; unmounting removes it, which closes it.
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard's way out is Escape, which a modal dialog handles itself; the click is the backdrop's.
    <dialog
      ref={dialog}
      className="image-viewer"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog itself, outside its content) closes it, as people expect.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="row spread">
        <h2 id={titleId} className="viewer-title">
          {image.fileName}
        </h2>
        <div className="row">
          <a href={image.imageUrl} target="_blank" rel="noreferrer">
            Open in a new tab
          </a>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <img src={image.imageUrl} alt={`Screenshot ${image.fileName}`} />
    </dialog>
  );
}
