import type { Span } from "./days";

export interface TimeRange {
  /** 24-hour HH:MM. */
  start: string;
  end: string | null;
  /** am/pm was guessed (an evening show) rather than printed. */
  inferred: boolean;
  span: Span;
}

type Meridiem = "a" | "p" | null;

interface Clock {
  hour: number;
  minute: number;
  meridiem: Meridiem;
  /** Printed as 24-hour time ("21:00", "01:00"). */
  twentyFour: boolean;
  hasMinutes: boolean;
}

const CLOCK = String.raw`(\d{1,2})(?:\s?[:.]\s?(\d{2}))?(?:\s?([ap])(?:\.?\s?m)?\.?(?![a-z]))?`;
const WORD_TIME = "midnight|noon";
const OPEN_END = String.raw`close|closing|late|\?+`;
const SEPARATOR = String.raw`\s*(?:-+|~|\bto\b|\btil+\b|\btill\b|'til\b|\buntil\b|\bthru\b)\s*`;

const RANGE = new RegExp(
  String.raw`(?<![\d:.$])(?:${CLOCK}|(${WORD_TIME}))${SEPARATOR}(?:${CLOCK}|(${WORD_TIME})|(${OPEN_END}))(?![\d:])`,
  "gi",
);
const SINGLE = /(?<![\d:.$])(\d{1,2})(?:\s?[:.]\s?(\d{2}))?\s?([ap])\.?\s?m\.?(?![a-z\d])/gi;
const SINGLE_24 = /(?<![\d:.$])([01]\d|2[0-3]):([0-5]\d)(?![\d:])/g;

function clock(hour?: string, minute?: string, meridiem?: string): Clock | null {
  if (hour === undefined) return null;
  const h = Number(hour);
  const m = minute === undefined ? 0 : Number(minute);
  const mer = (meridiem?.toLowerCase() ?? null) as Meridiem;
  if (m > 59 || h > 23 || (mer && (h < 1 || h > 12))) return null;
  return {
    hour: h,
    minute: m,
    meridiem: mer,
    twentyFour: !mer && (h >= 13 || h === 0 || hour.startsWith("0")),
    hasMinutes: minute !== undefined,
  };
}

function wordClock(word: string): Clock {
  return /noon/i.test(word)
    ? { hour: 12, minute: 0, meridiem: "p", twentyFour: false, hasMinutes: false }
    : { hour: 12, minute: 0, meridiem: "a", twentyFour: false, hasMinutes: false };
}

function to24(c: Clock): string {
  let hour = c.hour;
  if (c.meridiem === "p" && hour < 12) hour += 12;
  if (c.meridiem === "a" && hour === 12) hour = 0;
  return `${String(hour).padStart(2, "0")}:${String(c.minute).padStart(2, "0")}`;
}

/** The meridiem of the end of a show that starts at `start` (its meridiem known). */
function endMeridiem(start: Clock, endHour: number): Meridiem {
  const startHour = start.hour % 12;
  const later = endHour % 12 > startHour;
  if (start.meridiem === "p") return later ? "p" : "a";
  return later ? "a" : "p";
}

/** The meridiem of a start printed bare before an end that has one ("8-11pm", "9-2am"). */
function startMeridiem(startHour: number, end: Clock): Meridiem {
  const before = startHour % 12 < end.hour % 12;
  if (end.meridiem === "p") return before ? "p" : "a";
  return before ? "a" : "p";
}

function resolve(a: Clock, b: Clock | null): { start: string; end: string | null; inferred: boolean } {
  if (!b) return { start: to24(a), end: null, inferred: false };
  const bare = !a.meridiem && !b.meridiem;
  if (bare && (a.twentyFour || b.twentyFour)) return { start: to24(a), end: to24(b), inferred: false };
  // "9:00-1:00" on a karaoke schedule is an evening.
  if (bare) a = { ...a, meridiem: "p" };
  else if (!a.meridiem) a = { ...a, meridiem: startMeridiem(a.hour, b) };
  if (!b.meridiem && !b.twentyFour) b = { ...b, meridiem: endMeridiem(a, b.hour) };
  return { start: to24(a), end: to24(b), inferred: bare };
}

/**
 * The first show time in a line: a range ("7:30 PM - 11:30 PM", "8PM-12AM", "21:00-01:00",
 * "9pm-close") or a single time with am/pm. A bare "9-1" counts only when `allowBare` (a line
 * that also names a weekday).
 */
export function findTimeRange(text: string, allowBare = false): TimeRange | null {
  for (const m of text.matchAll(RANGE)) {
    const span: Span = [m.index, m.index + m[0].length];
    const a = m[4] ? wordClock(m[4]) : clock(m[1], m[2], m[3]);
    const b = m[8] ? wordClock(m[8]) : m[9] ? null : clock(m[5], m[6], m[7]);
    if (!a || (!b && !m[9])) continue;
    const printedMeridiem = a.meridiem || b?.meridiem || m[4] || m[8];
    const colons = a.hasMinutes || b?.hasMinutes || a.twentyFour;
    if (!printedMeridiem && !colons && !allowBare) continue;
    return { ...resolve(a, b), span };
  }
  for (const m of text.matchAll(SINGLE)) {
    const a = clock(m[1], m[2], m[3]);
    if (a) return { start: to24(a), end: null, inferred: false, span: [m.index, m.index + m[0].length] };
  }
  for (const m of text.matchAll(SINGLE_24)) {
    const a = clock(m[1], m[2]);
    if (a && a.hour >= 13) return { start: to24(a), end: null, inferred: false, span: [m.index, m.index + m[0].length] };
  }
  return null;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || year < 2000 || year > 2100) return null;
  return date.toISOString().slice(0, 10);
}

/** A calendar date printed with its year ("3/14/2025", "March 14, 2025", "2025-03-14"); else null. */
export function findDate(text: string): { date: string; span: Span } | null {
  // Each pattern has exactly three groups, none optional.
  const patterns: [RegExp, (a: string, b: string, c: string) => string | null][] = [
    [/\b(20\d\d)-(\d\d)-(\d\d)\b/, (year, month, day) => isoDate(+year, +month, +day)],
    [/\b(\d{1,2})\/(\d{1,2})\/(20\d\d|\d\d)\b/, (month, day, year) => isoDate(year.length === 2 ? 2000 + +year : +year, +month, +day)],
    [
      /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(20\d\d)\b/i,
      (month, day, year) => isoDate(+year, MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1, +day),
    ],
  ];
  for (const [pattern, read] of patterns) {
    const m = pattern.exec(text);
    if (!m) continue;
    const [, a = "", b = "", c = ""] = m;
    const date = read(a, b, c);
    if (date) return { date, span: [m.index, m.index + m[0].length] };
  }
  return null;
}

/**
 * Several venues on one line, each with its time ("Murphy's Pub 8pm-12am | The Tin Roof 9pm-1am"):
 * the line cut after each time range that a separator (| & , · / +) and more text follow. A line
 * with one time range comes back whole.
 */
export function splitAtTimes(line: string): string[] {
  const ends = [...line.matchAll(RANGE)].map((m) => m.index + m[0].length);
  if (ends.length < 2) return [line];
  const pieces: string[] = [];
  let from = 0;
  for (const end of ends) {
    const separator = /^\s*[|&,·/+•]\s*(?=\S)/.exec(line.slice(end));
    if (!separator || !/[A-Za-z]{2}/.test(line.slice(end))) continue;
    pieces.push(line.slice(from, end).trim());
    from = end + separator[0].length;
  }
  pieces.push(line.slice(from).trim());
  return pieces.filter(Boolean);
}
