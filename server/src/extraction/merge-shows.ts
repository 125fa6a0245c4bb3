import type { KeyOf } from "./field-keys";
import { fieldVoter } from "./field-vote";
import type { ShowVenue } from "./merge-venues";
import { provenanceOf, type MergedShow, type MergedVenue, type Sourced } from "./merged-types";
import { compactKey, nameKey, nightMinutes, timeKey, weekdayKey } from "./normalize";
import { WEEKDAYS, type Show } from "./schema";

interface ShowGroup {
  /** Venue and weekday. */
  slot: string;
  /** The start's key, "" for none read. */
  time: string;
  venue: ShowVenue;
  readings: Sourced<Show>[];
}

/**
 * One show per venue, weekday and start time: never less (shows at one venue on other nights
 * or at other times are other shows), never more (spellings do not split a show).
 */
function groupShows(readings: Sourced<Show>[], venues: ShowVenue[]): ShowGroup[] {
  const groups = new Map<string, ShowGroup>();
  readings.forEach((reading, i) => {
    const venue = venues[i] ?? { key: nameKey(reading.item.venueName), venue: null };
    const slot = `${venue.key}|${weekdayKey(reading.item.dayOfWeek) || nameKey(reading.item.dayOfWeek)}`;
    const time = timeKey(reading.item.startTime);
    const id = `${slot}|${time}`;
    const group = groups.get(id);
    if (group) group.readings.push(reading);
    else groups.set(id, { slot, time, venue, readings: [reading] });
  });
  return foldUntimed([...groups.values()]);
}

/**
 * A show read without its start time belongs to the timed show at the same venue and weekday,
 * when there is exactly one: it fills that show's gaps instead of standing as a second show.
 */
function foldUntimed(groups: ShowGroup[]): ShowGroup[] {
  const timed = new Map<string, ShowGroup[]>();
  for (const g of groups) if (g.time) timed.set(g.slot, [...(timed.get(g.slot) ?? []), g]);
  return groups.filter((g) => {
    const [only, ...more] = g.time ? [] : (timed.get(g.slot) ?? []);
    if (!only || more.length) return true;
    only.readings.push(...g.readings);
    return false;
  });
}

/** A readable time as "HH:MM", as the schema has it ("9pm" is "21:00"); anything else as read. */
function clockTime(value: string | null): string | null {
  const key = timeKey(value);
  return /^\d\d:\d\d$/.test(key) ? key : value;
}

/**
 * A show at a listed venue is shown under the venue's merged name, so that a venue's nights
 * read alike; the shows' own differing spellings stay in the show's conflicts.
 */
function venueNameOf(voter: ReturnType<typeof fieldVoter<Show>>, at: MergedVenue | null): string {
  const own = voter.value("venueName") ?? "";
  if (!at) return own;
  const others = (voter.conflicts.venueName ?? [own]).filter((v) => typeof v === "string" && compactKey(v) !== compactKey(at.name));
  if (others.length) voter.conflicts.venueName = [at.name, ...others];
  else delete voter.conflicts.venueName;
  return at.name;
}

function mergeShow({ slot, time, venue, readings }: ShowGroup, djKeyOf: KeyOf): MergedShow {
  const voter = fieldVoter("show", readings);
  const first = readings[0]?.item;
  const dayOfWeek = weekdayKey(first?.dayOfWeek) || (first?.dayOfWeek ?? "monday");
  const at = venue.venue;
  return {
    venueName: venueNameOf(voter, at),
    dayOfWeek,
    startTime: clockTime(voter.value("startTime")),
    endTime: clockTime(voter.value("endTime")),
    date: voter.value("date"),
    djName: voter.value("djName", djKeyOf),
    vendor: voter.value("vendor"),
    description: voter.value("description"),
    confidence: Math.max(...readings.map((r) => r.item.confidence)),
    key: `${slot}|${time}`,
    ...provenanceOf(readings),
    conflicts: voter.conflicts,
    address: at?.address ?? null,
    city: at?.city ?? null,
    state: at?.state ?? null,
    zip: at?.zip ?? null,
    phone: at?.phone ?? null,
  };
}

/**
 * Shows at one venue and weekday at different times stay apart, but when no image lists both
 * the images may disagree about one show's time: each records the other's time as a
 * `startTime` conflict for the reviewer. One image listing both is a real two-show night.
 */
function flagDisputedStarts(shows: { slot: string; show: MergedShow }[]): void {
  const timedIn = new Map<string, MergedShow[]>();
  for (const { slot, show } of shows) if (show.startTime) timedIn.set(slot, [...(timedIn.get(slot) ?? []), show]);
  for (const slotShows of timedIn.values())
    for (const show of slotShows) {
      const times = slotShows
        .filter((o) => o !== show && !o.sources.some((id) => show.sources.includes(id)))
        .map((o) => o.startTime)
        .sort((a, b) => (nightMinutes(a) ?? 0) - (nightMinutes(b) ?? 0));
      if (times.length) show.conflicts.startTime = [show.startTime, ...times];
    }
}

/** Night order: a show past midnight (00:30) comes after the evening's shows, as on a flyer. */
const byNight = (a: MergedShow, b: MergedShow) =>
  WEEKDAYS.indexOf(a.dayOfWeek) - WEEKDAYS.indexOf(b.dayOfWeek) ||
  (nightMinutes(a.startTime) ?? -1) - (nightMinutes(b.startTime) ?? -1) ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Merges show readings, each placed at its venue (`venues`, by position), into the batch's shows. */
export function mergeShows(readings: Sourced<Show>[], venues: ShowVenue[], djKeyOf: KeyOf): MergedShow[] {
  const merged = groupShows(readings, venues).map((g) => ({ slot: g.slot, show: mergeShow(g, djKeyOf) }));
  flagDisputedStarts(merged);
  return merged.map((m) => m.show).sort(byNight);
}
