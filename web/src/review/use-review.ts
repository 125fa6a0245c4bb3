import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";

/**
 * Each decision changes the batch's results (review state, who, when) and may change the catalog
 * (an approved show goes in, a rejected one comes out), so both are refetched after every one,
 * whichever way it ended.
 */
function useRefreshAfterReview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.batch.results.pathFilter()),
      queryClient.invalidateQueries(trpc.catalog.shows.pathFilter()),
    ]);
}

/** `review.approve` and `review.reject`, for one show or many. */
export function useDecisions() {
  const trpc = useTRPC();
  const onSettled = useRefreshAfterReview();
  return {
    approve: useMutation(trpc.review.approve.mutationOptions({ onSettled })),
    reject: useMutation(trpc.review.reject.mutationOptions({ onSettled })),
  };
}

export type Decisions = ReturnType<typeof useDecisions>;

/** `review.edit`: corrects a show and approves it with the corrections. */
export function useEditShow() {
  const trpc = useTRPC();
  const onSettled = useRefreshAfterReview();
  return useMutation(trpc.review.edit.mutationOptions({ onSettled }));
}
