import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";
import type { BatchProgress } from "../api/types";
import { explainError } from "../lib/errors";
import { isFinal } from "./use-batch-progress";

/** Cancel a running batch; send its failed images back to the queue once it ended. */
export function BatchActions({ progress }: { progress: BatchProgress }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.batch.pathFilter());
  const cancel = useMutation(trpc.batch.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(trpc.batch.retryFailed.mutationOptions({ onSuccess: refresh }));
  const { batchId } = progress;
  const error = cancel.error ?? retry.error;
  return (
    <div className="row">
      {!isFinal(progress.status) && (
        <button type="button" onClick={() => cancel.mutate({ batchId })} disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel batch"}
        </button>
      )}
      {isFinal(progress.status) && progress.failedImages > 0 && (
        <button type="button" onClick={() => retry.mutate({ batchId })} disabled={retry.isPending}>
          {retry.isPending ? "Requeueing…" : `Retry ${progress.failedImages} failed`}
        </button>
      )}
      {retry.data && <span role="status">{retry.data.requeued} images back in the queue.</span>}
      {error && (
        <span role="alert" className="error">
          {explainError(error)}
        </span>
      )}
    </div>
  );
}
