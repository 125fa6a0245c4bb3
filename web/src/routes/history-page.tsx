import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useId, useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { useTRPC } from "../api/trpc";
import type { BatchListItem, BatchStatus } from "../api/types";
import { useSession } from "../auth/session";
import { explainError } from "../lib/errors";
import { dateTime, duration, percent, plural, times } from "../lib/format";
import { TableBody, TableHead } from "../lib/table-parts";

const STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const satisfies readonly BatchStatus[];
const PAGE_SIZE = 20;
const column = createColumnHelper<BatchListItem>();

const isStatus = (value: string | null): value is BatchStatus => STATUSES.some((s) => s === value);

/** "2026-11-29" from an `<input type="date">` as that day's local midnight, or null when it is not a date. */
function localDay(value: string | null, addDays = 0): Date | null {
  const match = value?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(day.getTime()) ? null : day;
}

/**
 * The filters as the URL holds them (`?status=failed&from=2026-11-01&to=2026-11-30`), so a reload
 * or a shared link keeps them. From is the start of that day in local time; To covers the whole of
 * its day: the server's `createdBefore` is exclusive, so it is the start of the next day.
 */
function useHistoryFilters() {
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get("status");
  const status = isStatus(rawStatus) ? rawStatus : null;
  const from = localDay(params.get("from")) ? (params.get("from") ?? "") : "";
  const to = localDay(params.get("to")) ? (params.get("to") ?? "") : "";
  const set = (name: "status" | "from" | "to", value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const clear = () =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const name of ["status", "from", "to"]) next.delete(name);
        return next;
      },
      { replace: true },
    );
  return { status, from, to, set, clear, active: Boolean(status || from || to) };
}

/** Every batch the visitor may see, newest first, a page at a time. */
export function HistoryPage() {
  const trpc = useTRPC();
  const { user } = useSession();
  const admin = user.role === "admin";
  const filters = useHistoryFilters();
  const ids = { status: useId(), from: useId(), to: useId() };

  const input = {
    status: filters.status ? [filters.status] : undefined,
    createdAfter: localDay(filters.from)?.toISOString(),
    createdBefore: localDay(filters.to, 1)?.toISOString(),
    limit: PAGE_SIZE,
  };
  const batches = useInfiniteQuery(trpc.batch.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor }));
  const items = useMemo(() => batches.data?.pages.flatMap((page) => page.items) ?? [], [batches.data]);

  const columns = useMemo(
    () => [
      column.accessor("createdAt", { header: "Created", cell: (info) => dateTime(info.getValue()) }),
      column.accessor("status", {
        header: "Status",
        cell: (info) => <span className={`badge status-${info.getValue()}`}>{info.getValue()}</span>,
      }),
      column.accessor((b) => `${b.succeededImages}/${b.totalImages}`, {
        id: "images",
        header: "Images",
        cell: (info) => {
          const b = info.row.original;
          return <span title={`${b.succeededImages} succeeded, ${b.failedImages} failed, ${b.totalImages} in all`}>{info.getValue()}</span>;
        },
      }),
      column.accessor("successRate", { header: "Success rate", cell: (info) => percent(info.getValue()) }),
      column.accessor("wallMs", { header: "Wall time", cell: (info) => duration(info.getValue()) }),
      column.accessor("speedup", { header: "Speedup", cell: (info) => times(info.getValue()) }),
      ...(admin ? [column.accessor("owner", { header: "Owner" })] : []),
      column.display({
        id: "open",
        header: "Details",
        cell: (info) => {
          const b = info.row.original;
          return (
            <Link to={`/batches/${b.id}`} aria-label={`Open batch of ${plural(b.totalImages, "image")} from ${dateTime(b.createdAt)}`}>
              Open
            </Link>
          );
        },
      }),
    ],
    [admin],
  );
  const table = useReactTable({ data: items, columns, getCoreRowModel: getCoreRowModel(), getRowId: (b) => b.id });

  return (
    <main className="page">
      <h1>History</h1>
      <search className="history-filters" aria-label="Filter batches">
        <div className="filter-field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={filters.status ?? ""} onChange={(e) => filters.set("status", e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor={ids.from}>From date</label>
          <input
            id={ids.from}
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => filters.set("from", e.target.value)}
          />
        </div>
        <div className="filter-field">
          <label htmlFor={ids.to}>To date</label>
          <input
            id={ids.to}
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => filters.set("to", e.target.value)}
          />
        </div>
        {filters.active && (
          <button type="button" onClick={filters.clear}>
            Clear filters
          </button>
        )}
      </search>

      {batches.isError && (
        <p role="alert" className="error">
          {explainError(batches.error)}
        </p>
      )}
      {batches.isPending ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        !batches.isError && (
          <p className="muted">
            {filters.from && filters.to && filters.from > filters.to
              ? "No batches: the From date is after the To date."
              : filters.active
                ? "No batches match these filters."
                : "No batches yet."}
          </p>
        )
      ) : (
        <div className="table-scroll">
          <table className="history">
            <caption>
              Batches, newest first ({items.length}
              {batches.hasNextPage ? " shown" : ""})
            </caption>
            <TableHead table={table} />
            <TableBody table={table} />
          </table>
        </div>
      )}
      {batches.hasNextPage && (
        <div className="load-more">
          <button type="button" onClick={() => void batches.fetchNextPage()} disabled={batches.isFetchingNextPage}>
            {batches.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </main>
  );
}
