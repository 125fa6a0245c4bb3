import { catalogShowFacets, listCatalogShows, type CatalogItemRow, type Database } from "@showscan/db";
import type { EditableFields } from "../review/editable";

export interface CatalogShowsFilter {
  city?: string;
  dayOfWeek?: string;
  host?: string;
  /** The id of the last show of the previous page. */
  cursor?: string;
  limit: number;
}

/** A catalog show as the catalog page and the exports list it: its fields, and who approved it when. */
export const toCatalogShow = (row: CatalogItemRow) => ({
  ...(row.fields as EditableFields["show"]),
  id: row.id,
  approvedItemIds: row.approvedItemIds,
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
});

export type CatalogShow = ReturnType<typeof toCatalogShow>;

/** One page of approved shows, with the cities and hosts the filters can choose from. */
export async function catalogShowsPage(db: Database, filter: CatalogShowsFilter) {
  const [rows, facets] = await Promise.all([
    listCatalogShows(db, { ...filter, after: filter.cursor, limit: filter.limit + 1 }),
    catalogShowFacets(db),
  ]);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(toCatalogShow),
    nextCursor: rows.length > filter.limit && last ? last.id : null,
    facets,
  };
}
