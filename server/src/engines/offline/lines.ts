import type { Weekday } from "../../extraction/schema";
import { findDays, type Span } from "./days";
import { cleanName, normalizeLine, titleCase } from "./normalize";
import { findHandles, findHost, findVendor, type Host } from "./people";
import { findPhone, findUrl, hasVenueWord, parseAddress, type Address } from "./places";
import { findDate, findTimeRange, type TimeRange } from "./times";

/** How a venue name was recognised, strongest first. */
export type VenueEvidence = "explicit" | "structural" | "keyword" | "plain";

/** What one line of OCR text says. */
export interface Line {
  text: string;
  /** 0 to 1: how sure the OCR was of the line's words. */
  confidence: number;
  days: Weekday[];
  time: TimeRange | null;
  date: string | null;
  host: Host | null;
  handles: string[];
  vendor: string | null;
  phone: string | null;
  url: string | null;
  address: Address | null;
  venue: { name: string; evidence: VenueEvidence } | null;
}

const GAP = "\n";

function blank(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const [start, end] of spans) out = out.slice(0, start) + GAP.repeat(end - start) + out.slice(end);
  return out;
}

const STOP_WORDS = new Set(
  (
    "karaoke night nights weekly schedule every like comment share public come sing with us no cover this week week's shows show out " +
    "and the ladies specials special drink drinks happy hour open mic trivia bingo live music band contest prizes free all ages welcome " +
    "starting starts tonight join hosted by at on in of a to for from till til close late follow followers reply see more new our " +
    "your best fun great nite party singers singer sign up call text phone tel info details contact book reservations"
  ).split(" "),
);

/** A venue-like name: a few words, mostly letters, not prose and not only filler words. */
function nameLike(text: string): boolean {
  if (text.length < 3 || text.length > 60 || /[!?]/.test(text) || /:$/.test(text)) return false;
  const words = text.split(" ");
  if (words.length > 8 || !words.some((word) => /[A-Za-z]{3}/.test(word))) return false;
  const compact = text.replace(/\s/g, "");
  if (compact.replace(/[^\p{L}]/gu, "").length / compact.length < 0.6) return false;
  if (!/^[\p{L}\p{N}]/u.test(text)) return false;
  return !words.every((word) => {
    const bare = word.toLowerCase().replace(/[^a-z']/g, "");
    return bare === "" || STOP_WORDS.has(bare) || /^\d+\w?\+?$/.test(word);
  });
}

const capitalize = (text: string) => text.replace(/^[a-z]/, (c) => c.toUpperCase());

const LEAD_FILLER = /^(?:(?:every|each|on|karaoke|night|nights|tonight|live|join us|come|starts?|starting)\s+)+/i;
const EXPLICIT = /^(?:(?:karaoke|live|night|nights|tonight|join us|sing|every\s+\w+)\s+)*(?:at|@)\s+(.+)$/i;
const TRAILING_HOST = /\s+(?:with|w\/|featuring|feat\.|hosted by)\s.*$/i;
const LABELLED = /^(?:venue|location|where|place)\s*[:-]\s*(.+)$/i;

function findVenue(masked: string, structured: boolean): Line["venue"] {
  const segments = masked
    .split(/\n+|\s[-|:]\s|\s?\|\s?|,\s/)
    .map((segment) => cleanName(segment))
    .filter(Boolean);
  for (const segment of segments) {
    const [, named] = EXPLICIT.exec(segment) ?? LABELLED.exec(segment) ?? [];
    const name = named && cleanName(named);
    if (name && nameLike(name)) return { name: capitalize(titleCase(name)), evidence: "explicit" };
  }
  for (const segment of segments) {
    // A host the host pattern could not read still follows "with".
    const name = cleanName(segment.replace(LEAD_FILLER, "").replace(TRAILING_HOST, ""));
    if (!nameLike(name)) continue;
    const evidence: VenueEvidence = structured ? "structural" : hasVenueWord(name) ? "keyword" : "plain";
    return { name: titleCase(name), evidence };
  }
  return null;
}

/** A bare range ("7-10", "8 till 11") that is all a line says. */
function onlyTime(masked: string): TimeRange | null {
  const time = findTimeRange(masked, true);
  if (!time) return null;
  const rest = masked.slice(0, time.span[0]) + masked.slice(time.span[1]);
  return /[A-Za-z0-9]/.test(rest) ? null : time;
}

export function analyseLine(raw: string, confidence = 1): Line | null {
  const text = normalizeLine(raw);
  if (!/[A-Za-z0-9]{2}/.test(text)) return null;
  const line: Line = {
    text,
    confidence,
    days: [],
    time: null,
    date: null,
    host: null,
    handles: [],
    vendor: null,
    phone: null,
    url: null,
    address: null,
    venue: null,
  };

  const url = findUrl(text);
  const phone = findPhone(text);
  const handles = findHandles(text);
  line.url = url?.url ?? null;
  line.phone = phone?.phone ?? null;
  line.handles = handles.handles;
  let masked = blank(text, [...(url ? [url.span] : []), ...(phone ? [phone.span] : []), ...handles.spans]);

  line.vendor = findVendor(masked.replace(/\n+/g, " ").trim());
  if (line.vendor) return line;

  const date = findDate(masked);
  if (date) masked = blank(masked, [date.span]);
  line.date = date?.date ?? null;
  const days = findDays(masked);
  line.days = days.days;
  masked = blank(masked, days.spans);
  // A bare "9-1" reads as a show time on a weekday's line, or on a line that holds nothing else.
  line.time = findTimeRange(masked, days.days.length > 0) ?? onlyTime(masked);
  if (line.time) masked = blank(masked, [line.time.span]);
  line.host = findHost(masked);
  if (line.host) masked = blank(masked, [line.host.span]);

  const structured = line.days.length > 0 || line.time !== null || line.host !== null;
  if (!structured) line.address = parseAddress(masked.replace(/\n+/g, " "));
  if (!line.address) line.venue = findVenue(masked, structured);
  return line;
}
