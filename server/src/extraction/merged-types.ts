import type { Dj, Extraction, Show, Vendor, Venue } from "./schema";

export interface Provenance {
  /** The images (ids) that said so. */
  sources: string[];
  /** The succeeded attempts (ids) whose answers said so. */
  attempts: number[];
  /** Fields on which the images disagreed: every distinct value seen, the kept one first. */
  conflicts: Record<string, unknown[]>;
}

export type MergedShow = Show &
  Provenance & { key: string; address: string | null; city: string | null; state: string | null; zip: string | null; phone: string | null };
export type MergedVenue = Venue & Provenance & { key: string };
export type MergedDj = Dj & Provenance & { key: string };
export type MergedVendor = Vendor & Provenance & { key: string };

/** The original service's ParsedKaraokeData, each item carrying what a reviewer needs. */
export interface MergedResults {
  shows: MergedShow[];
  venues: MergedVenue[];
  djs: MergedDj[];
  vendors: MergedVendor[];
}

export interface SourceExtraction {
  imageId: string;
  attemptId: number | null;
  extraction: Extraction;
}

type Source = Pick<SourceExtraction, "imageId" | "attemptId">;

/** One image's reading of one item. */
export interface Sourced<T> {
  from: Source;
  item: T;
}

/** Who said it: every image and attempt among the readings, each once, in a fixed order. */
export function provenanceOf(readings: Sourced<unknown>[]): Pick<Provenance, "sources" | "attempts"> {
  const sources = [...new Set(readings.map((r) => r.from.imageId))].sort();
  const attempts = [...new Set(readings.flatMap((r) => (r.from.attemptId === null ? [] : [r.from.attemptId])))].sort((a, b) => a - b);
  return { sources, attempts };
}
