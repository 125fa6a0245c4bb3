import { extractionSchema, type Dj, type Extraction, type Show, type Vendor, type Venue, type Weekday } from "../../extraction/schema";
import { analyseLine, type Line, type VenueEvidence } from "./lines";
import type { Host } from "./people";
import { hasVenueWord } from "./places";
import type { OcrWord } from "./ocr";
import { splitAtTimes, type TimeRange } from "./times";
import { normalizeLine } from "./normalize";

export interface ParseOptions {
  /** The OCR engine's own confidence, 0 to 1; scales every item's confidence. */
  ocrConfidence?: number;
  /**
   * The text line by line with each word's confidence (the OCR's reading of `text`): unsure
   * specks at the ends of a line are dropped, and each show's confidence follows its own lines.
   */
  lines?: OcrWord[][];
}

/** Under this, a word at the end of a line that is one or two characters is a speck (an emoji, a border). */
const SPECK_CONFIDENCE = 0.6;
/** Under this mean word confidence a line's end time and host are left null rather than guessed. */
const UNSURE_LINE = 0.45;

/**
 * A word at a line's end that is no word: no letter or digit, a lone letter (a drawn emoji), or
 * one or two unsure characters. A number stays, however unsure: the "-2" ending "9:00 -2" is a
 * time; a digit among marks ('4")', a round avatar) does not.
 */
const NUMBER_LIKE = /^[-–(]?[\d:.,]*\d[\d:.,]*[-–)]?(?:[ap]\.?m\.?)?$/i;
const isSpeck = (word: OcrWord) => {
  const core = word.text.replace(/[^\p{L}\p{N}]/gu, "");
  if (!core) return true;
  if (NUMBER_LIKE.test(word.text)) return false;
  return (core.length === 1 && !/^[AI]$/.test(word.text)) || (word.confidence < SPECK_CONFIDENCE && core.length <= 2);
};

/** An unsure word that starts with an emoji's reading glued to a capitalised word: "YrRiverside", "7rSATURDAY". */
// The case must change after it: a word in capitals ("SATURDAY") is not cut.
const GLUED_SPECK = /^[\p{L}\p{N}]?[\p{Ll}\p{N}](?=\p{Lu}\p{Ll}{2}|\p{Lu}{3})/u;

/** A line's words without the specks at either end, and their mean confidence. */
function trimSpecks(words: OcrWord[]): { text: string; confidence: number } {
  let from = 0;
  let to = words.length;
  while (from < to && isSpeck(words[from] as OcrWord)) from++;
  while (to > from && isSpeck(words[to - 1] as OcrWord)) to--;
  const kept = words.slice(from, to);
  const first = kept[0];
  if (first && first.confidence < SPECK_CONFIDENCE && GLUED_SPECK.test(first.text))
    kept[0] = { ...first, text: first.text.replace(GLUED_SPECK, "") };
  const confidence = kept.length ? kept.reduce((sum, word) => sum + word.confidence, 0) / kept.length : 0;
  return { text: kept.map((word) => word.text).join(" "), confidence };
}

/** A weekday line (or a time line under one) that becomes one show per weekday. */
interface Slot {
  line: number;
  days: Weekday[];
  time: TimeRange | null;
  date: string | null;
}

/** A line that names a venue, by its index in the text. */
interface VenueLine {
  index: number;
  venue: NonNullable<Line["venue"]>;
}

const venueLinesOf = (lines: Line[]): VenueLine[] => lines.flatMap((line, index) => (line.venue ? [{ index, venue: line.venue }] : []));

const EVIDENCE_RANK: Record<VenueEvidence, number> = { explicit: 3, structural: 2, keyword: 1, plain: 0 };

/** Evidence first; then a name with a venue word ("Pub", "Tavern"), then one of several words over a lone word. */
function venueScore(venue: VenueLine["venue"]): number {
  return EVIDENCE_RANK[venue.evidence] * 4 + (hasVenueWord(venue.name) ? 2 : 0) + (venue.name.includes(" ") ? 1 : 0);
}

const key = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
const round = (value: number) => Math.round(Math.max(0, Math.min(1, value)) * 100) / 100;

/**
 * A name on a line of its own counts as a venue only when an address follows it or it sits
 * right under a bare weekday or time heading.
 */
function promotePlainVenues(lines: Line[]): void {
  lines.forEach((line, i) => {
    if (line.venue?.evidence !== "plain") return;
    const next = lines[i + 1];
    const previous = lines[i - 1];
    const underHeading =
      previous !== undefined && (previous.days.length > 0 || previous.time !== null) && !previous.venue && !previous.host;
    if (next?.address?.street || next?.address?.city || underHeading) line.venue = { ...line.venue, evidence: "structural" };
    else line.venue = null;
  });
}

function findSlots(lines: Line[]): Slot[] {
  const slots: Slot[] = [];
  let pendingTime: TimeRange | null = null;
  lines.forEach((line, i) => {
    const last = slots.at(-1);
    if (line.days.length > 0) {
      slots.push({ line: i, days: line.days, time: line.time ?? (last ? null : pendingTime), date: line.date });
    } else if (line.time && !last) {
      pendingTime ??= line.time;
    } else if (line.time && last && !last.time) {
      last.time = line.time;
    } else if (line.time && last && line.venue) {
      // One weekday heading over several venues, each with its own time.
      slots.push({ line: i, days: last.days, time: line.time, date: last.date });
    }
  });
  return slots;
}

/** The venue line each slot belongs to, or undefined when the text never names one. */
function assignVenues(lines: Line[], slots: Slot[]): (VenueLine | undefined)[] {
  const candidates = venueLinesOf(lines);
  const first = candidates[0];
  const distinctNames = new Set(candidates.map(({ venue }) => key(venue.name)));
  const dayFirst = !first || (slots[0] !== undefined && slots[0].line <= first.index);
  const best = (from: number, to: number) =>
    candidates
      .filter(({ index }) => index >= from && index < to)
      .reduce<VenueLine | undefined>(
        (chosen, line) => (!chosen || venueScore(line.venue) > venueScore(chosen.venue) ? line : chosen),
        undefined,
      );

  return slots.map((slot, k) => {
    const next = slots[k + 1]?.line ?? lines.length;
    if (dayFirst) return best(slot.line, next) ?? (distinctNames.size === 1 ? first : undefined);
    const before = candidates.filter(({ index }) => index <= slot.line).at(-1);
    return before ?? best(slot.line, next);
  });
}

/** Each address, phone and website line belongs to the venue named closest above it. */
function venueDetails(lines: Line[]): Map<number, Omit<Venue, "confidence">> {
  const details = new Map<number, Omit<Venue, "confidence">>();
  for (const { index, venue } of venueLinesOf(lines)) {
    details.set(index, { name: venue.name, address: null, city: null, state: null, zip: null, phone: null, website: null });
  }
  const candidates = [...details.keys()];
  lines.forEach((line, i) => {
    if (!line.address && !line.phone) return;
    const owner = line.venue ? i : (candidates.filter((c) => c < i).at(-1) ?? candidates.find((c) => c > i));
    const venue = owner === undefined ? undefined : details.get(owner);
    if (!venue) return;
    venue.address ??= line.address?.street ?? null;
    venue.city ??= line.address?.city ?? null;
    venue.state ??= line.address?.state ?? null;
    venue.zip ??= line.address?.zip ?? null;
    venue.phone ??= line.phone;
  });
  return details;
}

function hostFor(lines: Line[], slot: Slot, venueLine: number, end: number, onlyHost: Host | null): Host | null {
  const own = lines[slot.line]?.host ?? lines[venueLine]?.host;
  if (own) return own;
  const from = Math.min(slot.line, venueLine);
  const near = lines.slice(from, end).find((line, offset) => line.host && (from + offset === venueLine || !line.venue));
  return near?.host ?? onlyHost;
}

function showConfidence(ocr: number, slot: Slot, evidence: VenueEvidence, hasHost: boolean): number {
  const evidenceBonus = evidence === "explicit" || evidence === "structural" ? 0.1 : 0.05;
  const score =
    0.5 +
    (slot.time?.start ? 0.25 : 0) +
    (slot.time?.end ? 0.1 : 0) +
    (hasHost ? 0.05 : 0) +
    evidenceBonus -
    (slot.time?.inferred ? 0.1 : 0);
  return round(ocr * score);
}

/** A line that names the karaoke company, by its index in the text. */
interface VendorLine {
  index: number;
  name: string;
}

interface ShowsFound {
  shows: Show[];
  venueLines: Set<number>;
  hosts: Host[];
}

function buildShows(lines: Line[], slots: Slot[], vendorLines: VendorLine[], ocr: number): ShowsFound {
  const venueOf = assignVenues(lines, slots);
  const vendorNames = new Set(vendorLines.map(({ name }) => key(name)));
  // A host printed on a line of its own, and the only one, hosts every show ("Hosted by KJ Sarah").
  const hostLines = [...new Map(lines.flatMap((line) => (line.host ? [[key(line.host.name), line] as const] : []))).values()];
  const hostLine = hostLines.length === 1 ? hostLines[0] : undefined;
  const onlyHost = hostLine && !hostLine.venue && hostLine.days.length === 0 ? hostLine.host : null;
  const anchors = [...slots.map((slot) => slot.line), ...venueOf.flatMap((v) => (v ? [v.index] : []))].sort((a, b) => a - b);
  // One company on the flyer runs every show; with several, the nearest one named above.
  const vendorFor = (line: number) => {
    const vendor = vendorNames.size === 1 ? vendorLines[0] : vendorLines.filter(({ index }) => index < line).at(-1);
    return vendor?.name ?? null;
  };

  const shows = new Map<string, Show>();
  const venueLines = new Set<number>();
  const hosts = new Map<string, Host>();
  slots.forEach((slot, k) => {
    const assigned = venueOf[k];
    if (!assigned) return;
    const { index: venueLine, venue } = assigned;
    const end = anchors.find((a) => a > Math.max(slot.line, venueLine)) ?? lines.length;
    const found = hostFor(lines, slot, venueLine, end, onlyHost);
    // Plain text has no word confidences: its lines count as sure and the page's confidence scales the show.
    const sure = Math.min(lines[slot.line]?.confidence ?? 1, lines[venueLine]?.confidence ?? 1);
    const host = found && sure >= UNSURE_LINE ? found : null;
    venueLines.add(venueLine);
    if (host) hosts.set(key(host.name), host);
    for (const day of slot.days) {
      const id = `${key(venue.name)}|${day}|${slot.time?.start}`;
      if (shows.has(id)) continue;
      shows.set(id, {
        venueName: venue.name,
        dayOfWeek: day,
        startTime: slot.time?.start ?? null,
        endTime: sure >= UNSURE_LINE ? (slot.time?.end ?? null) : null,
        date: slot.date,
        djName: host?.name ?? null,
        vendor: vendorFor(slot.line),
        description: null,
        confidence: showConfidence(ocr * sure, slot, venue.evidence, host !== null),
      });
    }
  });
  return { shows: [...shows.values()], venueLines, hosts: [...hosts.values()] };
}

/** The venues the shows use, plus any other name printed with an address; one entry per name. */
function buildVenues(lines: Line[], used: Set<number>, ocr: number): Venue[] {
  const venues = new Map<string, Venue>();
  for (const [i, { name, ...detail }] of venueDetails(lines)) {
    if (!used.has(i) && !detail.address) continue;
    const existing = venues.get(key(name));
    if (!existing) venues.set(key(name), { name, ...detail, confidence: 0 });
    else for (const field of ["address", "city", "state", "zip", "phone"] as const) existing[field] ??= detail[field];
  }
  return [...venues.values()].map((venue) => {
    const score =
      0.6 + (venue.address ? 0.15 : 0) + (venue.city && venue.state ? 0.1 : 0) + (venue.zip ? 0.05 : 0) + (venue.phone ? 0.1 : 0);
    return { ...venue, confidence: round(ocr * score) };
  });
}

/** A website goes to the company or venue whose name it spells; otherwise to nobody. */
function websiteOf(name: string, urls: string[]): string | null {
  const prefix = key(name.replace(/^the\s+/i, "")).slice(0, 6);
  return prefix.length >= 4 ? (urls.find((url) => key(url).includes(prefix)) ?? null) : null;
}

/**
 * Turns the OCR text of a karaoke schedule (weekly list, poster, social post) into the same
 * extraction Gemini returns. Only what the text says: anything it does not print is null.
 */
export function parseScheduleText(text: string, options: ParseOptions = {}): Extraction {
  const ocr = round(options.ocrConfidence ?? 1);
  const read = options.lines ? options.lines.map(trimSpecks) : text.split(/\r?\n/).map((line) => ({ text: line, confidence: 1 }));
  const lines = read.flatMap(({ text: raw, confidence }) =>
    splitAtTimes(normalizeLine(raw)).flatMap((piece) => analyseLine(piece, confidence) ?? []),
  );
  promotePlainVenues(lines);
  const vendorLines = lines.flatMap((line, index) => (line.vendor ? [{ index, name: line.vendor }] : []));
  const { shows, venueLines, hosts } = buildShows(lines, findSlots(lines), vendorLines, options.lines ? 1 : ocr);
  const urls = lines.flatMap((line) => (line.url ? [line.url] : []));

  const vendorNames = [...new Map(vendorLines.map(({ name }) => [key(name), name])).values()];
  const vendors: Vendor[] = vendorNames.map((name) => ({
    name,
    website: websiteOf(name, urls),
    description: null,
    confidence: round(ocr * 0.85),
  }));
  const vendorSites = new Set(vendors.map((vendor) => vendor.website));
  const venues = buildVenues(lines, venueLines, ocr).map((venue) => ({
    ...venue,
    website: websiteOf(
      venue.name,
      urls.filter((url) => !vendorSites.has(url)),
    ),
  }));
  const djs: Dj[] = hosts.map((host) => ({
    name: host.name,
    aliases: [],
    socialHandles: lines.find((line) => line.host && key(line.host.name) === key(host.name) && line.handles.length > 0)?.handles ?? [],
    confidence: round(ocr * (host.prefixed ? 0.9 : 0.7)),
  }));

  return extractionSchema.parse({ shows, venues, djs, vendors });
}
