import type { MergedItemRow, NewMergedItem } from "@showscan/db";
import type { MergedDj, MergedShow, MergedVendor, MergedVenue } from "../extraction/merge";

type Review = Pick<MergedItemRow, "match" | "previous" | "review" | "reviewedBy" | "reviewedAt" | "catalogItemId">;
/** What every merged item carries beside its own fields (DESIGN: id, sources, conflicts, match, review). */
type ItemMeta = Review & {
  id: string;
  key: string;
  sources: string[];
  attempts: number[];
  conflicts: Record<string, unknown[]>;
  confidence: number;
};
type Own<T> = Omit<T, "key" | "sources" | "attempts" | "conflicts" | "confidence">;

export type ResultShow = Own<MergedShow> & ItemMeta;
export type ResultVenue = Own<MergedVenue> & ItemMeta;
export type ResultDj = Own<MergedDj> & ItemMeta;
export type ResultVendor = Own<MergedVendor> & ItemMeta;

/** `batch.results`: the original's ParsedKaraokeData lists, each item with what a reviewer needs. */
export interface BatchResults {
  shows: ResultShow[];
  venues: ResultVenue[];
  djs: ResultDj[];
  vendors: ResultVendor[];
  /** False while the batch runs: the items are merged from what is in so far and cannot be reviewed yet. */
  final: boolean;
}

type AnyItem = (NewMergedItem & Partial<Review>) | MergedItemRow;

function toResultItem(row: AnyItem): ItemMeta & Record<string, unknown> {
  return {
    ...row.fields,
    id: row.id,
    key: row.key,
    confidence: row.confidence,
    sources: row.sourceImageIds,
    attempts: row.sourceAttemptIds,
    conflicts: row.conflicts,
    match: row.match ?? "new",
    previous: row.previous ?? null,
    catalogItemId: row.catalogItemId ?? null,
    review: row.review ?? "pending",
    reviewedBy: row.reviewedBy ?? null,
    reviewedAt: row.reviewedAt ?? null,
  };
}

/** Groups stored (or freshly merged) items into the results document, each kind in the merge's order. */
export function toBatchResults(rows: AnyItem[], final: boolean): BatchResults {
  const sorted = [...rows].sort((a, b) => a.position - b.position);
  const of = (kind: MergedItemRow["kind"]) => sorted.filter((r) => r.kind === kind).map(toResultItem);
  return {
    shows: of("show") as ResultShow[],
    venues: of("venue") as ResultVenue[],
    djs: of("dj") as ResultDj[],
    vendors: of("vendor") as ResultVendor[],
    final,
  };
}
