import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRef, useState } from "react";
import { useTRPC } from "../api/trpc";
import type { BatchProgress } from "../api/types";

export const isFinal = (status: BatchProgress["status"] | undefined) =>
  status === "completed" || status === "failed" || status === "cancelled";

/**
 * The live progress of one batch, shared by every page that shows a batch. The first paint comes
 * from `batch.byId` (the stored current state, never a false 0%); the subscription then streams
 * each stored snapshot. tRPC's WebSocket link resends the last tracked id when it reconnects, so
 * a dropped connection resumes exactly where it stopped. Each snapshot also refreshes the batch's
 * images and results: one refresh at a time, and snapshots that arrive during one run exactly one
 * more after it. A burst costs two reads, not one per snapshot, and the grid never keeps what it
 * read before the last snapshot (restarting the read would, under a fast stream, never finish).
 */
export function useBatchProgress(batchId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.batch.byId.queryOptions({ batchId }));
  const [live, setLive] = useState<BatchProgress | null>(null);
  const refreshing = useRef({ running: false, again: false });
  const refresh = () => {
    const state = refreshing.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const run = (): Promise<void> =>
      Promise.all([
        queryClient.invalidateQueries(trpc.batch.images.queryFilter({ batchId })),
        queryClient.invalidateQueries(trpc.batch.results.queryFilter({ batchId })),
      ])
        .catch(() => {})
        .then(() => {
          if (!state.again) {
            state.running = false;
            return;
          }
          state.again = false;
          return run();
        });
    void run();
  };

  const subscription = useSubscription(
    trpc.batch.onProgress.subscriptionOptions(
      { batchId },
      {
        onData: ({ data }) => {
          setLive((previous) => (previous && previous.seq >= data.seq ? previous : data));
          refresh();
          if (isFinal(data.status)) void queryClient.invalidateQueries(trpc.batch.byId.queryFilter({ batchId }));
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
