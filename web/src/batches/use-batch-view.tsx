import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";
import { explainError } from "../lib/errors";
import { useBatchProgress } from "./use-batch-progress";

/**
 * What every batch page shows: the live progress, the images and the merged shows, kept fresh by
 * the progress stream; `final` says the shows are the stored ones, which can be reviewed.
 */
export function useBatchView(batchId: string) {
  const trpc = useTRPC();
  const live = useBatchProgress(batchId);
  const images = useQuery(trpc.batch.images.queryOptions({ batchId }));
  const results = useQuery(trpc.batch.results.queryOptions({ batchId }));
  const list = images.data ?? [];
  // batch.byId's count is refetched when the batch ends; the images, with every progress event:
  // mid-batch their own flags are the fresher count.
  const cachedImages = Math.max(live.detail?.cachedImages ?? 0, list.filter((image) => image.cached).length);
  return { ...live, images: list, cachedImages, shows: results.data?.shows ?? [], final: results.data?.final ?? false };
}

/** Shown until a batch's progress is known: why it cannot be, or that it is on its way. */
export function BatchUnavailable({ error }: { error: unknown }) {
  if (!error) return <p className="status-line">Loading…</p>;
  return (
    <p role="alert" className="error">
      {explainError(error)}
    </p>
  );
}
