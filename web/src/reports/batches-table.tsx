import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link } from "react-router";
import type { ReportBatch } from "../api/types";
import { duration, percent, plural, shortDateTime, times } from "../lib/format";
import { CostValue } from "./cost-value";
import { tokens } from "./format";
import { TableBody, TableHead } from "../lib/table-parts";

const column = createColumnHelper<ReportBatch>();

/** The newest batches of the range with their figures, each a link to the batch. */
export function BatchesTable({ batches, admin, total }: { batches: ReportBatch[]; admin: boolean; total: number }) {
  const columns = useMemo(
    () => [
      column.accessor("createdAt", {
        header: "Uploaded",
        cell: (info) => <Link to={`/batches/${info.row.original.batchId}`}>{shortDateTime(info.getValue())}</Link>,
      }),
      ...(admin ? [column.accessor("owner", { header: "Owner" })] : []),
      column.accessor("status", {
        header: "Status",
        cell: (info) => <span className={`badge status-${info.getValue()}`}>{info.getValue()}</span>,
      }),
      column.accessor((b) => (b.mode === "sequential" ? "sequential" : `parallel ×${b.workers}`), { id: "mode", header: "Mode" }),
      column.accessor("model", { header: "Model", cell: (info) => info.getValue() ?? "–" }),
      column.accessor((b) => `${b.succeeded}/${b.images}`, {
        id: "images",
        header: "Read",
        cell: (info) => {
          const b = info.row.original;
          return (
            <span title={`${b.succeeded} succeeded, ${b.failed} failed, ${b.cached} from the cache, ${b.images} in all`}>
              {info.getValue()} ({percent(b.successRate)})
            </span>
          );
        },
      }),
      column.accessor("meanImageMs", {
        header: "Per image (mean / p95)",
        cell: (info) => {
          const b = info.row.original;
          return b.meanImageMs === null ? "–" : `${duration(b.meanImageMs)} / ${duration(b.p95ImageMs)}`;
        },
      }),
      column.accessor("speedup", { header: "Speedup", cell: (info) => times(info.getValue()) }),
      column.accessor("retries", { header: "Retries" }),
      column.accessor((b) => b.promptTokens + b.outputTokens, { id: "tokens", header: "Tokens", cell: (info) => tokens(info.getValue()) }),
      column.display({
        id: "cost",
        header: "Cost",
        cell: (info) => <CostValue costUsd={info.row.original.costUsd} unpricedAttempts={info.row.original.unpricedAttempts} />,
      }),
    ],
    [admin],
  );
  const table = useReactTable({ data: batches, columns, getCoreRowModel: getCoreRowModel(), getRowId: (b) => b.batchId });
  return (
    <section className="report-batches" aria-labelledby="report-batches-title">
      <h2 id="report-batches-title">Recent batches</h2>
      <div className="table-scroll">
        <table className="history report-table">
          <caption>
            The newest {batches.length} of {total >= batches.length ? plural(total, "batch", "batches") : "the batches"} in the range
          </caption>
          <TableHead table={table} />
          <TableBody table={table} labelled />
        </table>
      </div>
    </section>
  );
}
