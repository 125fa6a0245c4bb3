import { mergeDjs, mergeVendors } from "./merge-hosts";
import { mergeShows } from "./merge-shows";
import { mergeVenues } from "./merge-venues";
import type { MergedResults, SourceExtraction, Sourced } from "./merged-types";
import type { Extraction } from "./schema";

export type { MergedDj, MergedResults, MergedShow, MergedVendor, MergedVenue, Provenance, SourceExtraction } from "./merged-types";

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The images in a fixed order (image, attempt, then what they say), so that every tie the
 * merge breaks, and so every key and every list, is the same for any order they come in.
 */
function inFixedOrder(sources: SourceExtraction[]): SourceExtraction[] {
  const text = new Map(sources.map((s) => [s, JSON.stringify(s.extraction)]));
  return [...sources].sort(
    (a, b) => compare(a.imageId, b.imageId) || (a.attemptId ?? -1) - (b.attemptId ?? -1) || compare(text.get(a) ?? "", text.get(b) ?? ""),
  );
}

const readingsOf = <K extends keyof Extraction>(sources: SourceExtraction[], kind: K): Sourced<Extraction[K][number]>[] =>
  sources.flatMap(({ imageId, attemptId, extraction }) => extraction[kind].map((item) => ({ from: { imageId, attemptId }, item })));

/**
 * Merges the extractions of a batch's images into one set of listings: the same show, venue,
 * host or company read from several images, under different spellings, becomes one item that
 * names its images and attempts, keeps the value most images agree on for each field and
 * records the values they disagree on.
 */
export function mergeExtractions(sources: SourceExtraction[]): MergedResults {
  const ordered = inFixedOrder(sources);
  const showReadings = readingsOf(ordered, "shows");
  const { djs, djKeyOf } = mergeDjs(readingsOf(ordered, "djs"));
  const vendors = mergeVendors(readingsOf(ordered, "vendors"));
  const { venues, ofShow } = mergeVenues(readingsOf(ordered, "venues"), showReadings);
  const shows = mergeShows(showReadings, ofShow, djKeyOf);
  return { shows, venues, djs, vendors };
}
