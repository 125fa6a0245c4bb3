import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { useTRPC } from "../api/trpc";
import type { BatchProgress } from "../api/types";

export const isFinal = (status: BatchProgress["status"] | undefined) =>
  status === "completed" || status === "failed" || status === "cancelled";

/**
 * The live progress of one batch, shared by every page that shows a batch. The first paint comes
 * from `batch.byId` (the stored current state, never a false 0%); the subscription then streams
 * each stored snapshot. tRPC's WebSocket link resends the last tracked id when it reconnects, so
 * a dropped connection resumes exactly where it stopped. Each snapshot also refreshes the batch's
 * images and results; a refresh already under way is not restarted, which coalesces bursts, and
 * the final snapshot refreshes everything once more so nothing stale remains.
 */
export function useBatchProgress(batchId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.batch.byId.queryOptions({ batchId }));
  const [live, setLive] = useState<BatchProgress | null>(null);

  const subscription = useSubscription(
    trpc.batch.onProgress.subscriptionOptions(
      { batchId },
      {
        onData: ({ data }) => {
          setLive((previous) => (previous && previous.seq >= data.seq ? previous : data));
          const final = isFinal(data.status);
          const refresh = { cancelRefetch: final };
          void queryClient.invalidateQueries(trpc.batch.images.queryFilter({ batchId }), refresh);
          void queryClient.invalidateQueries(trpc.batch.results.queryFilter({ batchId }), refresh);
          if (final) void queryClient.invalidateQueries(trpc.batch.byId.queryFilter({ batchId }));
        },
      },
    ),
  );

  const stored = detail.data?.progress ?? null;
  const progress = stored && (!live || stored.seq > live.seq) ? stored : live;
  return {
    progress,
    detail: detail.data,
    error: detail.error ?? subscription.error,
    /** True while the WebSocket is down and being re-established. */
    reconnecting: subscription.status === "connecting" && live !== null,
  };
}
