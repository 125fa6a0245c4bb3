import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { mergedItems, type MergedItemRow, type ReviewState, reviewActions } from "../schema";

export type NewMergedItem = Omit<typeof mergedItems.$inferInsert, "review" | "reviewedBy" | "reviewedAt">;

/**
 * Stores a batch's merged items. A batch can end more than once (failed images retried after
 * it ended), so items are upserted by their id: what a reviewer already approved, rejected or
 * edited keeps its fields and its review; pending items take the new merge; pending items the
 * new merge no longer has are removed.
 */
export async function saveMergedItems(db: Executor, batchId: string, items: NewMergedItem[]): Promise<void> {
  const ids = items.map((i) => i.id);
  await db
    .delete(mergedItems)
    .where(
      and(eq(mergedItems.batchId, batchId), eq(mergedItems.review, "pending"), ids.length ? notInArray(mergedItems.id, ids) : sql`true`),
    );
  for (let i = 0; i < items.length; i += 200) {
    await db
      .insert(mergedItems)
      .values(items.slice(i, i + 200))
      .onConflictDoUpdate({
        target: mergedItems.id,
        set: {
          position: sql`excluded.position`,
          sourceImageIds: sql`excluded.source_image_ids`,
          sourceAttemptIds: sql`excluded.source_attempt_ids`,
          conflicts: sql`excluded.conflicts`,
          confidence: sql`excluded.confidence`,
          fields: sql`case when ${mergedItems.review} = 'pending' then excluded.fields else ${mergedItems.fields} end`,
          match: sql`case when ${mergedItems.review} = 'pending' then excluded.match else ${mergedItems.match} end`,
          previous: sql`case when ${mergedItems.review} = 'pending' then excluded.previous else ${mergedItems.previous} end`,
          catalogItemId: sql`coalesce(${mergedItems.catalogItemId}, excluded.catalog_item_id)`,
        },
      });
  }
}

/** A batch's stored merged items, in the merge's order within each kind. */
export async function listMergedItems(db: Executor, batchId: string): Promise<MergedItemRow[]> {
  return db.select().from(mergedItems).where(eq(mergedItems.batchId, batchId)).orderBy(asc(mergedItems.kind), asc(mergedItems.position));
}

export async function countMergedItems(db: Executor, batchId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(mergedItems).where(eq(mergedItems.batchId, batchId));
  return row?.n ?? 0;
}

/** The named items, locked for a review decision so two reviewers cannot approve one item twice. */
export async function lockMergedItems(db: Executor, ids: string[]): Promise<MergedItemRow[]> {
  if (!ids.length) return [];
  return db.select().from(mergedItems).where(inArray(mergedItems.id, ids)).orderBy(asc(mergedItems.id)).for("update");
}

export async function setItemReview(
  db: Executor,
  id: string,
  change: { review: ReviewState; actor: string; catalogItemId?: string | null; fields?: Record<string, unknown> },
): Promise<void> {
  await db
    .update(mergedItems)
    .set({
      review: change.review,
      reviewedBy: change.actor,
      reviewedAt: sql`now()`,
      ...(change.catalogItemId !== undefined ? { catalogItemId: change.catalogItemId } : {}),
      ...(change.fields ? { fields: change.fields } : {}),
    })
    .where(eq(mergedItems.id, id));
}

export type NewReviewAction = typeof reviewActions.$inferInsert;

export async function recordReviewActions(db: Executor, actions: NewReviewAction[]): Promise<void> {
  if (actions.length) await db.insert(reviewActions).values(actions);
}

/** Every review action on an item, oldest first: who did what and when. */
export async function listReviewActions(db: Executor, itemId: string) {
  return db.select().from(reviewActions).where(eq(reviewActions.itemId, itemId)).orderBy(asc(reviewActions.id));
}
