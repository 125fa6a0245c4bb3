import { TRPCError } from "@trpc/server";
import {
  detachFromCatalog,
  insertCatalogItem,
  listCatalog,
  lockCatalog,
  lockCatalogItem,
  lockMergedItems,
  recordReviewActions,
  setItemReview,
  updateCatalogItem,
  type Database,
  type Executor,
  type MergedItemRow,
} from "@showscan/db";
import { describeIssues } from "../zod-issues";
import { matchCatalog } from "../extraction/catalog-match";
import { editableFields } from "./editable";

type Fields = Record<string, unknown>;

export interface Decided {
  id: string;
  review: MergedItemRow["review"];
  catalogItemId: string | null;
}

/** The named items, locked; every id must name a stored item (a running batch's items are not stored yet). */
async function lockAll(tx: Executor, itemIds: string[]): Promise<MergedItemRow[]> {
  const unique = [...new Set(itemIds)];
  const rows = await lockMergedItems(tx, unique);
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length)
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `no reviewable item ${missing.join(", ")} (items can be reviewed once their batch has ended)`,
    });
  return rows;
}

/** The approved values over the catalog's: what the item does not say, the catalog keeps. */
const mergeFields = (catalog: Fields, approved: Fields): Fields => ({
  ...catalog,
  ...Object.fromEntries(Object.entries(approved).filter(([, v]) => v !== null && v !== undefined)),
});

/**
 * Puts an approved item into the catalog: into the catalog item it matched when it was merged,
 * or, when that is gone, whichever one it matches now (another batch's item approved since);
 * else as a new catalog item.
 */
async function intoCatalog(tx: Executor, item: MergedItemRow, fields: Fields, actor: string): Promise<string> {
  let targetId = item.catalogItemId;
  let target = targetId ? await lockCatalogItem(tx, targetId) : null;
  if (!target) {
    const catalog = await listCatalog(tx, item.kind);
    const [found] = matchCatalog(item.kind, [{ fields }], catalog);
    targetId = found?.catalogItemId ?? null;
    target = targetId ? await lockCatalogItem(tx, targetId) : null;
  }
  if (target) {
    await updateCatalogItem(tx, target.id, { fields: mergeFields(target.fields, fields), itemId: item.id, actor });
    return target.id;
  }
  return (await insertCatalogItem(tx, { kind: item.kind, fields, itemId: item.id, actor })).id;
}

/** Approves items: each goes into the catalog (merged into the item it matches), recorded with who and when. */
export async function approveItems(db: Database, actor: string, itemIds: string[]): Promise<Decided[]> {
  return db.transaction(async (tx) => {
    await lockCatalog(tx);
    const decided: Decided[] = [];
    for (const item of await lockAll(tx, itemIds)) {
      const catalogItemId = await intoCatalog(tx, item, item.fields, actor);
      await setItemReview(tx, item.id, { review: "approved", actor, catalogItemId });
      await recordReviewActions(tx, [{ itemId: item.id, action: "approve", actor, catalogItemId }]);
      decided.push({ id: item.id, review: "approved", catalogItemId });
    }
    return decided;
  });
}

/** Rejects items; one approved before leaves the catalog again (the catalog item goes if nothing else holds it). */
export async function rejectItems(db: Database, actor: string, itemIds: string[]): Promise<Decided[]> {
  return db.transaction(async (tx) => {
    await lockCatalog(tx);
    const decided: Decided[] = [];
    for (const item of await lockAll(tx, itemIds)) {
      // Recorded first: the catalog item may go with the detach, and the log keeps it as null then.
      await recordReviewActions(tx, [{ itemId: item.id, action: "reject", actor, catalogItemId: item.catalogItemId }]);
      if (item.review === "approved" && item.catalogItemId) await detachFromCatalog(tx, item.catalogItemId, item.id);
      await setItemReview(tx, item.id, { review: "rejected", actor });
      decided.push({ id: item.id, review: "rejected", catalogItemId: item.catalogItemId });
    }
    return decided;
  });
}

/**
 * Corrects an item's fields and approves it with them: a reviewer who fixes a value vouches for
 * the result. Each changed field is recorded with its value before and after.
 */
export async function editItem(db: Database, actor: string, itemId: string, patch: Fields): Promise<Decided & { fields: Fields }> {
  return db.transaction(async (tx) => {
    await lockCatalog(tx);
    const [item] = await lockAll(tx, [itemId]);
    if (!item) throw new TRPCError({ code: "NOT_FOUND", message: `no reviewable item ${itemId}` });
    const parsed = editableFields[item.kind].safeParse(patch);
    if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: `fields: ${describeIssues(parsed.error.issues)}` });
    const fields: Fields = { ...item.fields, ...parsed.data };
    const changes = Object.fromEntries(
      Object.entries(parsed.data)
        .filter(([name, after]) => JSON.stringify(item.fields[name] ?? null) !== JSON.stringify(after ?? null))
        .map(([name, after]) => [name, { before: item.fields[name] ?? null, after }]),
    );
    const catalogItemId = await intoCatalog(tx, item, fields, actor);
    await setItemReview(tx, item.id, { review: "approved", actor, catalogItemId, fields });
    await recordReviewActions(tx, [
      { itemId: item.id, action: "edit", actor, catalogItemId, changes },
      { itemId: item.id, action: "approve", actor, catalogItemId },
    ]);
    return { id: item.id, review: "approved", catalogItemId, fields };
  });
}
