import type { BatchImage, MergedShow } from "../api/types";
import { useSession } from "../auth/session";
import { ExportButtons } from "../exports/export-buttons";
import { ResultsTable } from "./results-table";

interface ResultsPanelProps {
  batchId: string;
  shows: MergedShow[];
  images: BatchImage[];
  final: boolean;
}

/** A batch's merged shows with their review controls (admins) and, once it ended, the exports. */
export function ResultsPanel({ batchId, shows, images, final }: ResultsPanelProps) {
  const { user } = useSession();
  return (
    <section aria-label="Results" className="panel">
      <div className="row spread panel-head">
        <h2>{final ? "Merged results" : "Merged results so far"}</h2>
        {final && shows.length > 0 && <ExportButtons path={`/api/export/batches/${batchId}/shows`} what="this batch's shows" />}
      </div>
      <ResultsTable shows={shows} images={images} final={final} canReview={user.role === "admin"} />
    </section>
  );
}
