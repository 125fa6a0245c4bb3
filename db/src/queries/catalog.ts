import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { catalogItems, type CatalogItemRow, type ItemKind } from "../schema";

/**
 * Every catalog item of a kind, for matching a batch's merged items against. The catalog of
 * one directory is thousands of rows at most, so matching reads it whole rather than indexing
 * fuzzy keys.
 */
export async function listCatalog(db: Executor, kind: ItemKind): Promise<CatalogItemRow[]> {
  return db.select().from(catalogItems).where(eq(catalogItems.kind, kind)).orderBy(asc(catalogItems.createdAt), asc(catalogItems.id));
}

export interface CatalogShowFilter {
  city?: string;
  dayOfWeek?: string;
  host?: string;
  /** The id of the last show of the previous page. */
  after?: string;
  limit: number;
}

const fieldOf = (name: string) => sql`${catalogItems.fields}->>${name}`;

/** A directory reads by the week: Monday first, then by start time (untimed last), the id settling ties. */
const weekOrder = (table: string) =>
  sql.raw(`array_position(array['monday','tuesday','wednesday','thursday','friday','saturday','sunday'], ${table}.fields->>'dayOfWeek'),
    coalesce(${table}.fields->>'startTime', '99:99'), ${table}.id`);

/** Approved shows, filtered by city, weekday and host (case and spacing ignored), in week order. */
export async function listCatalogShows(db: Executor, filter: CatalogShowFilter): Promise<CatalogItemRow[]> {
  const where: SQL[] = [eq(catalogItems.kind, "show")];
  if (filter.city) where.push(sql`lower(trim(${fieldOf("city")})) = lower(trim(${filter.city}))`);
  if (filter.dayOfWeek) where.push(sql`${fieldOf("dayOfWeek")} = ${filter.dayOfWeek}`);
  if (filter.host) where.push(sql`${fieldOf("djName")} ilike ${`%${filter.host.trim()}%`}`);
  // Keyset paging on the sort key itself: a show approved meanwhile neither repeats nor hides one.
  if (filter.after)
    where.push(sql`(${weekOrder('"catalog_items"')}) > (select ${weekOrder("c")} from ${catalogItems} c where c.id = ${filter.after})`);
  return db
    .select()
    .from(catalogItems)
    .where(and(...where))
    .orderBy(sql`${weekOrder('"catalog_items"')}`)
    .limit(filter.limit);
}

/** The distinct cities and hosts of the catalog's shows, for the catalog page's filters. */
export async function catalogShowFacets(db: Executor): Promise<{ cities: string[]; hosts: string[] }> {
  const rows = await db.execute<{ cities: string[] | null; hosts: string[] | null }>(sql`
    select
      array_agg(distinct ${fieldOf("city")}) filter (where ${fieldOf("city")} is not null) as cities,
      array_agg(distinct ${fieldOf("djName")}) filter (where ${fieldOf("djName")} is not null) as hosts
    from ${catalogItems} where ${catalogItems.kind} = 'show'`);
  const [row] = rows;
  return { cities: row?.cities ?? [], hosts: row?.hosts ?? [] };
}

export async function insertCatalogItem(
  db: Executor,
  item: { kind: ItemKind; fields: Record<string, unknown>; itemId: string; actor: string },
): Promise<CatalogItemRow> {
  const [row] = await db
    .insert(catalogItems)
    .values({ kind: item.kind, fields: item.fields, approvedItemIds: [item.itemId], createdBy: item.actor, updatedBy: item.actor })
    .returning();
  if (!row) throw new Error("insertCatalogItem: the statement returned no row");
  return row;
}

/** Locks a catalog item for an approval that merges into it. */
export async function lockCatalogItem(db: Executor, id: string): Promise<CatalogItemRow | null> {
  const [row] = await db.select().from(catalogItems).where(eq(catalogItems.id, id)).for("update");
  return row ?? null;
}

export async function updateCatalogItem(
  db: Executor,
  id: string,
  change: { fields: Record<string, unknown>; itemId: string; actor: string },
): Promise<void> {
  await db
    .update(catalogItems)
    .set({
      fields: change.fields,
      approvedItemIds: sql`case when ${change.itemId}::uuid = any(${catalogItems.approvedItemIds}) then ${catalogItems.approvedItemIds}
        else array_append(${catalogItems.approvedItemIds}, ${change.itemId}::uuid) end`,
      updatedBy: change.actor,
      updatedAt: sql`now()`,
    })
    .where(eq(catalogItems.id, id));
}

/**
 * Serialises approvals for the rest of the transaction. Two reviewers approving the same new
 * show from two batches at once would otherwise both find no catalog item and add two.
 */
export async function lockCatalog(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('showscan.catalog'))`);
}

/**
 * Takes a merged item's approval back out of a catalog item (the item was rejected after being
 * approved); a catalog item no other approval holds is removed.
 */
export async function detachFromCatalog(db: Executor, catalogItemId: string, itemId: string): Promise<void> {
  await db
    .update(catalogItems)
    .set({ approvedItemIds: sql`array_remove(${catalogItems.approvedItemIds}, ${itemId}::uuid)` })
    .where(eq(catalogItems.id, catalogItemId));
  await db.delete(catalogItems).where(and(eq(catalogItems.id, catalogItemId), sql`cardinality(${catalogItems.approvedItemIds}) = 0`));
}
