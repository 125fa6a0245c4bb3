import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { BatchImage, MergedShow } from "../api/types";
import { timeRange, weekday } from "../lib/format";

const DAY_ORDER = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const column = createColumnHelper<MergedShow>();
/** A night's worth of flyers yields hundreds of shows: a page of them at a time stays readable. */
const PAGE_SIZE = 25;

const conflictText = (conflicts: MergedShow["conflicts"]) =>
  Object.entries(conflicts)
    .map(([field, values]) => `${field}: ${values.map(String).join(" / ")}`)
    .join("; ");

/** The merged shows as a table, each row with the images it came from and its conflicts marked. */
export function ResultsTable({ shows, images }: { shows: MergedShow[]; images: BatchImage[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "day", desc: false }]);
  const byId = useMemo(() => new Map(images.map((image) => [image.id, image])), [images]);
  const columns = useMemo(
    () => [
      column.accessor((s) => DAY_ORDER.indexOf(s.dayOfWeek) * 10_000 + Number((s.startTime ?? "99:99").replace(":", "")), {
        id: "day",
        header: "Day",
        cell: (info) => weekday(info.row.original.dayOfWeek),
      }),
      column.accessor((s) => timeRange(s.startTime, s.endTime), { id: "time", header: "Time", enableSorting: false }),
      column.accessor("venueName", { header: "Venue" }),
      column.accessor((s) => [s.address, s.city, s.state, s.zip].filter(Boolean).join(", "), { id: "address", header: "Address" }),
      column.accessor((s) => s.djName ?? "", { id: "host", header: "Host" }),
      column.accessor((s) => s.vendor ?? "", { id: "company", header: "Company" }),
      column.display({
        id: "sources",
        header: "From",
        cell: (info) => (
          <span className="sources">
            {info.row.original.sources.map((id) => {
              const image = byId.get(id);
              return image ? (
                <img key={id} src={image.thumbnailUrl} alt={image.fileName} title={image.fileName} width={32} height={32} />
              ) : null;
            })}
          </span>
        ),
      }),
      column.display({
        id: "conflicts",
        header: "Conflicts",
        cell: (info) => {
          const text = conflictText(info.row.original.conflicts);
          return text ? (
            <span className="conflict" title={text}>
              ⚠ {text}
            </span>
          ) : (
            ""
          );
        },
      }),
    ],
    [byId],
  );
  const table = useReactTable({
    data: shows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize: PAGE_SIZE } },
    autoResetPageIndex: false,
    getRowId: (show) => show.key,
  });
  if (shows.length === 0) return <p className="muted">No shows found yet.</p>;
  return (
    <div className="table-scroll">
      <table className="results">
        <caption>Shows found ({shows.length})</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" aria-sort={sortState(header.column.getIsSorted())}>
                  {header.column.getCanSort() ? (
                    <button type="button" className="link" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={Object.keys(row.original.conflicts).length ? "has-conflict" : undefined}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.getPageCount() > 1 && (
        <nav className="row pager" aria-label="Pages of shows">
          <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            Previous
          </button>
          <span>
            Page {table.getState().pagination.pageIndex + 1} of {table.getPageCount()}
          </span>
          <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

const sortState = (sorted: false | "asc" | "desc") => (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined);
