import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useDropzone } from "react-dropzone";
import { plural } from "../lib/format";

const ACCEPT = { "image/jpeg": [], "image/png": [], "image/webp": [], "image/gif": [] };
/** Beyond this many, previews would cost more memory than they help; the count still shows. */
const MAX_PREVIEWS = 48;

interface FilePickerProps {
  label: string;
  files: File[];
  onChange(files: File[]): void;
  /** Offers a "choose a folder" button beside the file picker (admins feed whole folders). */
  allowFolder?: boolean;
}

const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

/** Drop or pick screenshots, see them, and remove one before sending. */
export function FilePicker({ label, files, onChange, allowFolder = false }: FilePickerProps) {
  // Files that are not images are named at once rather than silently left out.
  const [skipped, setSkipped] = useState<string[]>([]);
  const add = (incoming: File[], refused: string[] = []) => {
    setSkipped(refused);
    onChange([...files, ...incoming.filter((f) => !files.some((g) => sameFile(f, g)))]);
  };
  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({
    accept: ACCEPT,
    onDrop: (accepted, rejections) =>
      add(
        accepted,
        rejections.map((r) => r.file.name),
      ),
    noClick: true,
    noKeyboard: true,
  });
  const inputId = useId();
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // React has no typed prop for it: set the attribute that turns a file input into a folder picker.
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  const previews = useMemo(() => files.slice(0, MAX_PREVIEWS).map((file) => ({ file, url: URL.createObjectURL(file) })), [files]);
  useEffect(
    () => () => {
      for (const p of previews) URL.revokeObjectURL(p.url);
    },
    [previews],
  );
  const megabytes = files.reduce((sum, f) => sum + f.size, 0) / 1024 / 1024;

  return (
    <div className="picker">
      <div {...getRootProps({ className: `dropzone${isDragActive ? " active" : ""}` })}>
        <label htmlFor={inputId}>{label}</label>
        <input {...getInputProps({ id: inputId })} aria-label={label} />
        <p className="muted">{isDragActive ? "Drop them here" : "Drag screenshots here, or"}</p>
        <div className="row">
          <button type="button" onClick={open}>
            Choose screenshots
          </button>
          {allowFolder && (
            <>
              <button type="button" onClick={() => folderInput.current?.click()}>
                Choose a folder
              </button>
              <input
                ref={folderInput}
                type="file"
                multiple
                hidden
                aria-label="Folder of screenshots"
                onChange={(e) => {
                  const chosen = [...(e.target.files ?? [])];
                  add(
                    chosen.filter((f) => f.type in ACCEPT),
                    chosen.filter((f) => !(f.type in ACCEPT)).map((f) => f.name),
                  );
                }}
              />
            </>
          )}
        </div>
      </div>
      {skipped.length > 0 && (
        <p role="alert" className="error">
          Left out, not a JPEG, PNG, WebP or GIF image: {skipped.join(", ")}
        </p>
      )}
      {files.length > 0 && (
        <>
          <p className="row spread">
            <span>
              {plural(files.length, "screenshot")} chosen ({megabytes.toFixed(1)} MB)
            </span>
            <button type="button" className="link" onClick={() => onChange([])}>
              Clear all
            </button>
          </p>
          <ul className="previews" aria-label="Chosen screenshots">
            {previews.map(({ file, url }) => (
              <li key={`${file.name}-${file.size}-${file.lastModified}`}>
                <img src={url} alt={file.name} />
                <span className="name">{file.name}</span>
                <button type="button" aria-label={`Remove ${file.name}`} onClick={() => onChange(files.filter((f) => f !== file))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          {files.length > MAX_PREVIEWS && <p className="muted">and {files.length - MAX_PREVIEWS} more</p>}
        </>
      )}
    </div>
  );
}
