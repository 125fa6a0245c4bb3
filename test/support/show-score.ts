import type { Extraction } from "../../server/src/extraction/schema";
import { compactKey, hostKey, timeKey, vendorKey } from "../../server/src/extraction/normalize";
import { streetKey } from "../../server/src/extraction/place-keys";
import type { TruthShow } from "./flyers";

/**
 * How well an extraction reads an image's shows. A show is right when its venue, weekday and
 * start time all match a truth show after normalisation (one to one); show precision, recall
 * and F1 follow. Each field's accuracy is over the truth shows: the field is right when the
 * extraction's show at the same venue and weekday has it (a missing show gets every field wrong;
 * a null in the truth is right only as a null).
 */

export const FIELDS = ["startTime", "endTime", "host", "street", "company"] as const;
export type Field = (typeof FIELDS)[number];

export interface Score {
  images: number;
  truthShows: number;
  predictedShows: number;
  correctShows: number;
  fieldsRight: Record<Field, number>;
}

export const emptyScore = (): Score => ({
  images: 0,
  truthShows: 0,
  predictedShows: 0,
  correctShows: 0,
  fieldsRight: { startTime: 0, endTime: 0, host: 0, street: 0, company: 0 },
});

const same = (a: string | null | undefined, b: string | null | undefined, key: (v: string | null | undefined) => string) =>
  (a ?? null) === null || (b ?? null) === null ? (a ?? null) === (b ?? null) : key(a) === key(b);

export function scoreImage(truth: TruthShow[], extraction: Extraction): Score {
  const score = emptyScore();
  score.images = 1;
  score.truthShows = truth.length;
  score.predictedShows = extraction.shows.length;
  const unmatched = [...extraction.shows];
  for (const t of truth) {
    const at = unmatched.findIndex(
      (s) =>
        compactKey(s.venueName) === compactKey(t.venue) && s.dayOfWeek === t.dayOfWeek && timeKey(s.startTime) === timeKey(t.startTime),
    );
    if (at >= 0) {
      unmatched.splice(at, 1);
      score.correctShows++;
    }
  }
  for (const t of truth) {
    const candidates = extraction.shows.filter((s) => compactKey(s.venueName) === compactKey(t.venue) && s.dayOfWeek === t.dayOfWeek);
    const show = candidates.find((s) => timeKey(s.startTime) === timeKey(t.startTime)) ?? candidates[0];
    if (!show) continue;
    const venue = extraction.venues.find((v) => compactKey(v.name) === compactKey(t.venue));
    const right: Record<Field, boolean> = {
      startTime: same(show.startTime, t.startTime, timeKey),
      endTime: same(show.endTime, t.endTime, timeKey),
      host: same(show.djName, t.djName, hostKey),
      street: same(venue?.address, t.address, streetKey),
      company: same(show.vendor, t.vendor, vendorKey),
    };
    for (const field of FIELDS) score.fieldsRight[field] += Number(right[field]);
  }
  return score;
}

export function addScores(a: Score, b: Score): Score {
  const fieldsRight = { ...a.fieldsRight };
  for (const field of FIELDS) fieldsRight[field] += b.fieldsRight[field];
  return {
    images: a.images + b.images,
    truthShows: a.truthShows + b.truthShows,
    predictedShows: a.predictedShows + b.predictedShows,
    correctShows: a.correctShows + b.correctShows,
    fieldsRight,
  };
}

export interface Figures {
  f1: number;
  precision: number;
  recall: number;
  accuracy: Record<Field, number>;
}

export function figures(score: Score): Figures {
  const precision = score.predictedShows ? score.correctShows / score.predictedShows : score.truthShows ? 0 : 1;
  const recall = score.truthShows ? score.correctShows / score.truthShows : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const accuracy = Object.fromEntries(
    FIELDS.map((field) => [field, score.truthShows ? score.fieldsRight[field] / score.truthShows : 1]),
  ) as Record<Field, number>;
  return { f1, precision, recall, accuracy };
}
