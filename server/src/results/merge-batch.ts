import { ITEM_KINDS, listCatalog, listExtractions, type BatchRow, type Executor, type ItemKind, type NewMergedItem } from "@showscan/db";
import { matchCatalog } from "../extraction/catalog-match";
import { mergeExtractions, type MergedResults } from "../extraction/merge";
import { extractionSchema } from "../extraction/schema";
import { withSenderVendor } from "../extraction/sender-vendor";
import { itemId } from "./item-id";

export const LISTS = { show: "shows", venue: "venues", dj: "djs", vendor: "vendors" } as const satisfies Record<
  ItemKind,
  keyof MergedResults
>;

/** What a merged item says, without the merge's bookkeeping: the fields a reviewer sees and edits. */
export function ownFields(item: MergedResults[keyof MergedResults][number]): Record<string, unknown> {
  const { key: _key, sources: _sources, attempts: _attempts, conflicts: _conflicts, confidence: _confidence, ...fields } = item;
  return fields;
}

/**
 * Merges a batch's analysed images and matches each item against the catalog: the rows the
 * batch's end stores, and what a running batch shows in the meantime. The company the sender
 * named for the batch stands in where an image names none.
 */
export async function mergeBatch(db: Executor, batch: Pick<BatchRow, "id" | "vendor">): Promise<NewMergedItem[]> {
  const batchId = batch.id;
  const rows = await listExtractions(db, batchId);
  const merged = mergeExtractions(
    rows.map((r) => ({
      imageId: r.imageId,
      attemptId: r.attemptId,
      extraction: withSenderVendor(extractionSchema.parse(r.extraction), batch.vendor),
    })),
  );
  const items: NewMergedItem[] = [];
  for (const kind of ITEM_KINDS) {
    const list = merged[LISTS[kind]];
    if (!list.length) continue;
    const catalog = await listCatalog(db, kind);
    const matches = matchCatalog(
      kind,
      list.map((item) => ({ fields: ownFields(item) })),
      catalog.map((c) => ({ id: c.id, fields: c.fields })),
    );
    list.forEach((item, position) => {
      const found = matches[position];
      items.push({
        id: itemId(batchId, kind, item.key),
        batchId,
        kind,
        key: item.key,
        position,
        fields: ownFields(item),
        confidence: item.confidence,
        sourceImageIds: item.sources,
        sourceAttemptIds: item.attempts,
        conflicts: item.conflicts,
        match: found?.match ?? "new",
        catalogItemId: found?.catalogItemId ?? null,
        previous: found?.previous ?? null,
      });
    });
  }
  return items;
}
