import { distance } from "fastest-levenshtein";
import { WEEKDAYS, type Weekday } from "../../extraction/schema";

export type Span = readonly [start: number, end: number];

const ABBREVIATIONS: Record<string, Weekday> = {
  mon: "monday",
  tue: "tuesday",
  tues: "tuesday",
  wed: "wednesday",
  weds: "wednesday",
  thu: "thursday",
  thur: "thursday",
  thurs: "thursday",
  fri: "friday",
  sat: "saturday",
  sun: "sunday",
};

const CONNECTING_WORDS = /^(and|to|thru|through|night|nights|nite|at|from|with|w|only|evening|evenings|late|special|karaoke)$/;

interface DayToken {
  day: Weekday;
  start: number;
  end: number;
}

/** A full weekday name, allowing a plural and one OCR slip ("TUESOAY"), two in long names. */
function fullDay(word: string): Weekday | null {
  const base = word.replace(/'?s$/, "");
  if (base.length < 6) return null;
  for (const day of WEEKDAYS) {
    const allowed = day.length >= 8 ? 2 : 1;
    if (base === day || distance(base, day) <= allowed) return day;
  }
  return null;
}

function tokens(text: string): DayToken[] {
  const found: DayToken[] = [];
  for (const match of text.matchAll(/[A-Za-z][A-Za-z']*\.?/g)) {
    const raw = match[0];
    const start = match.index;
    const word = raw.replace(/\.$/, "").toLowerCase();
    const full = fullDay(word);
    if (full) {
      found.push({ day: full, start, end: start + raw.length });
      continue;
    }
    const abbreviated = ABBREVIATIONS[word];
    if (!abbreviated) continue;
    // "Sun Valley Bar" is not a Sunday: an abbreviation must stand apart from the words after it.
    const after = text.slice(start + raw.length);
    const nextWord = /^\s+([A-Za-z]+)/.exec(after)?.[1]?.toLowerCase();
    const standsApart = raw.endsWith(".") || !nextWord || CONNECTING_WORDS.test(nextWord) || ABBREVIATIONS[nextWord] || fullDay(nextWord);
    if (!standsApart) continue;
    found.push({ day: abbreviated, start, end: start + raw.length });
  }
  return found;
}

function range(from: Weekday, to: Weekday): Weekday[] {
  const start = WEEKDAYS.indexOf(from);
  const week = [...WEEKDAYS.slice(start), ...WEEKDAYS.slice(0, start)];
  return week.slice(0, week.indexOf(to) + 1);
}

/**
 * Weekdays named in a line: "Wed & Fri", "EVERY TUESDAY", "Mon-Wed" (a range), "Thursdays",
 * "nightly". Spans cover the day words and the connectors between them.
 */
export function findDays(text: string): { days: Weekday[]; spans: Span[] } {
  const nightly = /\b(?:nightly|every\s+night|7\s+nights(?:\s+a\s+week)?|seven\s+nights(?:\s+a\s+week)?)\b/i.exec(text);
  if (nightly) return { days: [...WEEKDAYS], spans: [[nightly.index, nightly.index + nightly[0].length]] };

  const found = tokens(text);
  const days: Weekday[] = [];
  const spans: Span[] = [];
  for (const [i, token] of found.entries()) {
    const previous = found[i - 1];
    const between = previous ? text.slice(previous.end, token.start).trim().toLowerCase() : null;
    if (previous && between !== null && /^(-|to|thru|through|til|till|until)$/.test(between)) {
      days.push(...range(previous.day, token.day).slice(1));
      spans.push([previous.end, token.end]);
    } else {
      days.push(token.day);
      spans.push(
        previous && between !== null && /^(&|and|,|\/|\+|,\s*and|,\s*&)?$/.test(between)
          ? [previous.end, token.end]
          : [token.start, token.end],
      );
    }
  }
  return { days: [...new Set(days)], spans };
}
