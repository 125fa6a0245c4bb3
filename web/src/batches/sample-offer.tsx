import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";
import { plural } from "../lib/format";
import { UploadError } from "./upload-error";

/**
 * The first-run demo: before anyone has analysed anything, one click runs the shipped sample
 * screenshots through the service as it is configured (with no key, the offline engine).
 */
export function SampleOffer({ onStarted }: { onStarted: (batchId: string) => void }) {
  const trpc = useTRPC();
  const anyBatch = useQuery(trpc.batch.list.queryOptions({ limit: 1 }));
  const samples = useQuery(trpc.batch.samples.queryOptions());
  const analyze = useMutation(trpc.batch.analyzeSamples.mutationOptions({ onSuccess: (answer) => onStarted(answer.batchId) }));
  const count = samples.data?.names.length ?? 0;
  if (!anyBatch.data || anyBatch.data.items.length > 0 || count === 0) return null;
  return (
    <section className="panel demo" aria-label="Try the samples">
      <h2>New here?</h2>
      <p>
        Nothing has been analysed yet. See what showscan does with {plural(count, "sample screenshot")} of karaoke flyers that come with it:
        one click, and the shows they list appear below as they are read.
      </p>
      <button type="button" className="primary" disabled={analyze.isPending} onClick={() => analyze.mutate()}>
        {analyze.isPending ? "Starting…" : `Analyse the ${plural(count, "sample")}`}
      </button>
      {analyze.isError && <UploadError error={analyze.error} />}
    </section>
  );
}
