import { useQueries } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../api/trpc";
import type { BatchDetail } from "../api/types";
import { explainError } from "../lib/errors";
import { duration, percent, times } from "../lib/format";

const modeLabel = (b: BatchDetail) => (b.mode === "sequential" ? "Sequential" : `Parallel, ${b.workers} workers`);

const ROWS: { label: string; value: (b: BatchDetail) => string }[] = [
  { label: "Mode", value: modeLabel },
  { label: "Status", value: (b) => b.status },
  { label: "Wall time", value: (b) => duration(b.metrics?.wallMs) },
  { label: "Sum of image times", value: (b) => duration(b.metrics?.sumImageMs) },
  { label: "Speedup", value: (b) => times(b.metrics?.speedup) },
  { label: "Mean per image", value: (b) => duration(b.metrics?.meanImageMs) },
  { label: "Success rate", value: (b) => percent(b.metrics?.successRate) },
];

/** Two runs of the same images side by side: the original service's promised mode comparison. */
export function Comparison({ batchIds }: { batchIds: [string, string] }) {
  const trpc = useTRPC();
  const results = useQueries({ queries: batchIds.map((batchId) => trpc.batch.byId.queryOptions({ batchId })) });
  const batches = results.flatMap((r) => (r.data ? [r.data] : []));
  const failed = results.find((r) => r.isError);
  if (failed) {
    return (
      <p role="alert" className="error">
        The comparison could not be loaded: {explainError(failed.error)}
      </p>
    );
  }
  if (batches.length < 2) return <p className="muted">Loading the comparison…</p>;
  const chart = batches.map((b) => ({ name: modeLabel(b), seconds: b.metrics ? b.metrics.wallMs / 1000 : 0 }));
  return (
    <section aria-label="Comparison" className="panel">
      <h2>Parallel and sequential, side by side</h2>
      <div className="table-scroll">
        <table className="comparison">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              {batches.map((b) => (
                <th key={b.id} scope="col">
                  {modeLabel(b)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {batches.map((b) => (
                  <td key={b.id}>{row.value(b)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figure className="chart" aria-label="Wall time of each run, in seconds">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={chart} layout="vertical" margin={{ left: 16, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" unit=" s" />
            <YAxis type="category" dataKey="name" width={150} />
            <Tooltip formatter={(value) => `${Number(value).toFixed(1)} s`} />
            <Bar dataKey="seconds" name="Wall time" fill="#3b6fd8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="muted">Wall time of each run (shorter is faster)</figcaption>
      </figure>
    </section>
  );
}
