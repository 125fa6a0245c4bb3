import type { Dj, Extraction, Show, Vendor, Venue } from "./schema";
import { nameKey, showKey, timeKey } from "./normalize";

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

type Item = Record<string, unknown> & { confidence: number };

/** Two readings of a field say the same thing when their keys match ("07:30" is "7:30"). */
const sameValue = (field: string, a: unknown, b: unknown) =>
  field === "startTime" || field === "endTime" ? timeKey(String(a)) === timeKey(String(b)) : nameKey(String(a)) === nameKey(String(b));

/**
 * Folds one more reading into a merged item: a field the item lacks is taken from the new
 * reading; where both have a value and they differ, the more confident reading wins and the
 * disagreement is kept for review instead of being dropped silently.
 */
function absorb<T extends Item>(target: T & Provenance, incoming: T, from: Source): void {
  if (!target.sources.includes(from.imageId)) target.sources.push(from.imageId);
  if (from.attemptId !== null && !target.attempts.includes(from.attemptId)) target.attempts.push(from.attemptId);
  const incomingWins = incoming.confidence > target.confidence;
  for (const [field, value] of Object.entries(incoming)) {
    if (field === "confidence" || value === null || value === undefined) continue;
    const current = target[field as keyof T];
    if (Array.isArray(value)) {
      const list = (current as unknown[] | undefined) ?? [];
      (target as Record<string, unknown>)[field] = [...new Set([...list, ...value])];
    } else if (current === null || current === undefined || current === "") {
      (target as Record<string, unknown>)[field] = value;
    } else if (!sameValue(field, current, value)) {
      const seen = (target.conflicts[field] ?? [current]).filter((v) => !sameValue(field, v, value));
      // The kept value stands first.
      target.conflicts[field] = incomingWins ? [value, ...seen] : [...seen, value];
      if (incomingWins) (target as Record<string, unknown>)[field] = value;
    }
  }
  target.confidence = Math.max(target.confidence, incoming.confidence);
}

type Source = Pick<SourceExtraction, "imageId" | "attemptId">;

function mergeBy<T extends Item>(readings: { from: Source; item: T }[], keyOf: (item: T) => string) {
  const merged = new Map<string, T & Provenance & { key: string }>();
  for (const { from, item } of readings) {
    const key = keyOf(item);
    const existing = merged.get(key);
    if (existing) absorb(existing, item, from);
    else
      merged.set(key, {
        ...structuredClone(item),
        key,
        sources: [from.imageId],
        attempts: from.attemptId === null ? [] : [from.attemptId],
        conflicts: {},
      });
  }
  return [...merged.values()];
}

const flatten = <K extends keyof Extraction>(sources: SourceExtraction[], kind: K) =>
  sources.flatMap(({ imageId, attemptId, extraction }) =>
    extraction[kind].map((item) => ({ from: { imageId, attemptId }, item: item as Extraction[K][number] })),
  );

/** Merges the extractions of a batch's images into one set of listings. */
export function mergeExtractions(sources: SourceExtraction[]): MergedResults {
  const venues = mergeBy(flatten(sources, "venues"), (v) => nameKey(v.name));
  const djs = mergeBy(flatten(sources, "djs"), (d) => nameKey(d.name));
  const vendors = mergeBy(flatten(sources, "vendors"), (v) => nameKey(v.name));
  const venueByKey = new Map(venues.map((v) => [v.key, v]));
  const shows = foldUntimed(mergeBy(flatten(sources, "shows"), showKey)).map((show): MergedShow => {
    const venue = venueByKey.get(nameKey(show.venueName));
    return {
      ...show,
      address: venue?.address ?? null,
      city: venue?.city ?? null,
      state: venue?.state ?? null,
      zip: venue?.zip ?? null,
      phone: venue?.phone ?? null,
    };
  });
  const byDay = (s: MergedShow) => ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].indexOf(s.dayOfWeek);
  shows.sort((a, b) => byDay(a) - byDay(b) || (a.startTime ?? "").localeCompare(b.startTime ?? "") || a.key.localeCompare(b.key));
  return { shows, venues, djs, vendors };
}

type KeyedShow = Show & Provenance & { key: string };

/**
 * A show read without its start time belongs to the timed show at the same venue and weekday,
 * when there is exactly one: it fills that show's gaps instead of standing as a second show.
 */
function foldUntimed(shows: KeyedShow[]): KeyedShow[] {
  const slot = (s: Show) => `${nameKey(s.venueName)}|${s.dayOfWeek}`;
  const timed = new Map<string, KeyedShow[]>();
  for (const s of shows) if (s.startTime) timed.set(slot(s), [...(timed.get(slot(s)) ?? []), s]);
  return shows.filter((s) => {
    const candidates = s.startTime ? [] : (timed.get(slot(s)) ?? []);
    const [only] = candidates;
    if (candidates.length !== 1 || !only) return true;
    const { key: _key, sources, attempts, conflicts: _conflicts, ...reading } = s;
    sources.forEach((imageId, i) => {
      absorb(only, reading as Show, { imageId, attemptId: attempts[i] ?? null });
    });
    return false;
  });
}
