import { useState } from "react";
import { useSession } from "../auth/session";
import { downloadWithToken } from "../lib/download";

const FORMATS = [
  { format: "csv", label: "Export CSV" },
  { format: "json", label: "Export JSON" },
] as const;

/**
 * "Export CSV" and "Export JSON" for an export route (`/api/export/…/shows`, without the
 * extension, with the filters in `query`); what the server answers is saved under the file name it gives.
 */
export function ExportButtons({ path, what, query }: { path: string; what: string; query?: Record<string, string | undefined> }) {
  const search = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  const { token } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: string) => {
    setBusy(format);
    setError(null);
    try {
      await downloadWithToken(
        `${path}.${format}${search ? `?${search}` : ""}`,
        token,
        `${path.split("/").filter(Boolean).join("-")}.${format}`,
      );
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons, not a form's fieldset.
    <div className="row export-buttons" role="group" aria-label={`Export ${what}`}>
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" onClick={() => void download(format)} disabled={busy !== null}>
          {busy === format ? "Preparing…" : label}
        </button>
      ))}
      {error && (
        <span role="alert" className="error small">
          {error}
        </span>
      )}
    </div>
  );
}
