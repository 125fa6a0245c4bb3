import { flexRender, type Table } from "@tanstack/react-table";

/** A table's header rows, one `<th scope="col">` per column. */
export function TableHead<T>({ table }: { table: Table<T> }) {
  return (
    <thead>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id}>
          {group.headers.map((header) => (
            <th key={header.id} scope="col">
              {flexRender(header.column.columnDef.header, header.getContext())}
            </th>
          ))}
        </tr>
      ))}
    </thead>
  );
}

/**
 * A table's rows, each cell classed `col-<id>`. `labelled` gives each cell its column's header
 * as `data-label`, which the phone layouts show beside the value when a row becomes a card.
 */
export function TableBody<T>({ table, labelled = false }: { table: Table<T>; labelled?: boolean }) {
  return (
    <tbody>
      {table.getRowModel().rows.map((row) => (
        <tr key={row.id}>
          {row.getVisibleCells().map((cell) => {
            const header = cell.column.columnDef.header;
            return (
              <td
                key={cell.id}
                className={`col-${cell.column.id}`}
                data-label={labelled && typeof header === "string" ? header : undefined}
              >
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  );
}
