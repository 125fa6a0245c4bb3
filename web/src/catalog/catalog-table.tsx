import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import type { CatalogShow } from "../api/types";
import { dateTime, shortDateTime, timeRange, weekday } from "../lib/format";
import { TableBody, TableHead } from "../lib/table-parts";

const column = createColumnHelper<CatalogShow>();

const columns = [
  column.accessor((s) => (s.dayOfWeek ? weekday(s.dayOfWeek) : ""), { id: "day", header: "Day" }),
  column.accessor((s) => timeRange(s.startTime ?? null, s.endTime ?? null), { id: "time", header: "Time" }),
  column.accessor((s) => s.venueName ?? "", { id: "venue", header: "Venue" }),
  column.accessor((s) => s.address ?? "", { id: "address", header: "Address" }),
  // The city line as an envelope has it ("Marietta, OH 45750"): the state and zip belong with it.
  column.accessor((s) => [s.city, [s.state, s.zip].filter(Boolean).join(" ")].filter(Boolean).join(", "), { id: "city", header: "City" }),
  column.accessor((s) => s.djName ?? "", { id: "host", header: "Host" }),
  column.accessor((s) => s.vendor ?? "", { id: "company", header: "Company" }),
  column.accessor("updatedAt", {
    header: "Last approved",
    cell: ({ row: { original: s } }) => (
      <span>
        {s.updatedBy}
        <br />
        <span className="muted small" title={dateTime(s.updatedAt)}>
          {shortDateTime(s.updatedAt)}
        </span>
      </span>
    ),
  }),
];

/** The approved shows, one row each, with who approved each last and when. */
export function CatalogTable({ shows, more }: { shows: CatalogShow[]; more: boolean }) {
  const table = useReactTable({ data: shows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (s) => s.id });
  return (
    <div className="table-scroll">
      <table className="catalog">
        <caption>
          Approved shows ({shows.length}
          {more ? " shown" : ""})
        </caption>
        <TableHead table={table} />
        <TableBody table={table} labelled />
      </table>
    </div>
  );
}
