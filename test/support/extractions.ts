import type { Extraction, Show } from "../../server/src/extraction/schema";

/** A show as the model returns it: a Friday 21:00 at The Rusty Nail unless `over` says otherwise. */
export const showOf = (over: Partial<Show> = {}): Show => ({
  venueName: "The Rusty Nail",
  dayOfWeek: "friday",
  startTime: "21:00",
  endTime: null,
  date: null,
  djName: null,
  vendor: null,
  description: null,
  confidence: 0.9,
  ...over,
});

/** An extraction of these shows and nothing else. */
export const extractionOf = (...shows: Show[]): Extraction => ({ shows, venues: [], djs: [], vendors: [] });
