import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { BatchImage, MergedShow } from "../api/types";
import { timeRange, weekday } from "../lib/format";
import { Checkbox } from "../review/checkbox";
import { ConflictList } from "../review/conflict-list";
import { EditShowDialog } from "../review/edit-show-form";
import { MatchBadge, ReviewBadge } from "../review/review-badges";
import { BulkBar, RowActions, showLabel } from "../review/review-controls";
import { useDecisions } from "../review/use-review";
import { SourceThumbs } from "./source-thumbs";

const DAY_ORDER = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const column = createColumnHelper<MergedShow>();
/** A night's worth of flyers yields hundreds of shows: a page of them at a time stays readable. */
const PAGE_SIZE = 25;

export interface ResultsTableProps {
  shows: MergedShow[];
  images: BatchImage[];
  /** The batch has ended: its items are stored and can be reviewed. */
  final: boolean;
  /** The viewer is an admin: review controls are theirs. */
  canReview: boolean;
}

/**
 * The merged shows as a table, each row with the images it came from, its conflicts, whether the
 * catalog knows it and its review state; an admin approves, rejects or corrects rows (one or
 * the selected ones) once the batch has ended.
 */
export function ResultsTable({ shows, images, final, canReview }: ResultsTableProps) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "day", desc: false }]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [editing, setEditing] = useState<string | null>(null);
  const decisions = useDecisions();
  const reviewing = canReview && final;
  const byId = useMemo(() => new Map(images.map((image) => [image.id, image])), [images]);
  const columns = useMemo(
    () => [
      ...(reviewing
        ? [
            column.display({
              id: "select",
              header: ({ table }) => (
                <Checkbox
                  label="Select every show on this page"
                  checked={table.getIsAllPageRowsSelected()}
                  indeterminate={table.getIsSomePageRowsSelected()}
                  onChange={table.getToggleAllPageRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <Checkbox
                  label={`Select ${showLabel(row.original)}`}
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            }),
          ]
        : []),
      column.accessor((s) => DAY_ORDER.indexOf(s.dayOfWeek) * 10_000 + Number((s.startTime ?? "99:99").replace(":", "")), {
        id: "day",
        header: "When",
        // Day and time in one cell: the table has many columns, and the two are read together.
        cell: ({ row: { original: s } }) => (
          <>
            <strong>{weekday(s.dayOfWeek)}</strong>
            <br />
            <span className="when-time">{timeRange(s.startTime, s.endTime)}</span>
          </>
        ),
      }),
      column.accessor("venueName", { header: "Venue" }),
      column.accessor((s) => [s.address, s.city, s.state, s.zip].filter(Boolean).join(", "), {
        id: "address",
        header: "Address",
        cell: ({ row: { original: s } }) => (
          <>
            {s.address}
            {s.address && (s.city || s.state) && <br />}
            <span className="muted">{[s.city, [s.state, s.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ")}</span>
          </>
        ),
      }),
      column.accessor((s) => s.djName ?? "", { id: "host", header: "Host" }),
      column.accessor((s) => s.vendor ?? "", { id: "company", header: "Company" }),
      column.display({
        id: "sources",
        header: "From",
        cell: (info) => <SourceThumbs sources={info.row.original.sources} images={byId} />,
      }),
      column.accessor("match", { header: "Catalog", cell: (info) => <MatchBadge show={info.row.original} /> }),
      column.accessor("review", {
        header: "Review",
        cell: (info) =>
          final ? <ReviewBadge show={info.row.original} /> : <span className="muted small">review opens when the batch has ended</span>,
      }),
      ...(reviewing
        ? [
            column.display({
              id: "actions",
              header: "Decide",
              cell: ({ row }) => <RowActions show={row.original} decisions={decisions} onEdit={() => setEditing(row.original.id)} />,
            }),
          ]
        : []),
    ],
    [byId, final, reviewing, decisions],
  );
  const table = useReactTable({
    data: shows,
    columns,
    state: { sorting, rowSelection: selection },
    onSortingChange: setSorting,
    onRowSelectionChange: setSelection,
    enableRowSelection: reviewing,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize: PAGE_SIZE } },
    autoResetPageIndex: false,
    getRowId: (show) => show.id,
  });
  if (shows.length === 0) return <p className="muted">{final ? "No shows found in these screenshots." : "No shows found yet."}</p>;
  // Only shows still in the results count: one that left them cannot be decided on.
  const selected = shows.filter((show) => selection[show.id]).map((show) => show.id);
  const edited = editing ? shows.find((show) => show.id === editing) : undefined;
  const width = table.getVisibleLeafColumns().length;
  return (
    <div className="stack">
      {reviewing && <BulkBar selected={selected} shows={shows} decisions={decisions} onDecided={() => setSelection({})} />}
      <div className="table-scroll">
        <table className="results">
          <caption>Shows found ({shows.length})</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className={`col-${header.column.id}`} aria-sort={sortState(header.column.getIsSorted())}>
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
            {table.getRowModel().rows.map((row) => {
              const conflicted = Object.keys(row.original.conflicts).length > 0;
              const classes = [conflicted && "has-conflict", row.getIsSelected() && "selected", `review-row-${row.original.review}`];
              return [
                <tr key={row.id} className={classes.filter(Boolean).join(" ")}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={`col-${cell.column.id}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>,
                conflicted && (
                  <tr key={`${row.id}-conflicts`} className="conflict-row">
                    <td colSpan={width}>
                      <ConflictList conflicts={row.original.conflicts} />
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </div>
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
      {edited && <EditShowDialog key={edited.id} show={edited} onClose={() => setEditing(null)} />}
    </div>
  );
}

const sortState = (sorted: false | "asc" | "desc") => (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined);
