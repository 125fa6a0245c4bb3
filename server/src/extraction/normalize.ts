import { WEEKDAYS, type Weekday } from "./schema";

/**
 * Comparison keys for names, hosts, weekdays and times: two spellings of the same thing get the
 * same key. Keys are only for comparing; the merge keeps the value as printed beside them.
 */

/** "The O'Reilly's Bar & Grill!" and "oreillys bar and grill" are the same name. */
export function nameKey(value: string | null | undefined): string {
  return (value ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’‘`´]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "");
}

/**
 * The name key without its spaces: "Lake Shore" and "Lakeshore", "O Reillys" and "OReillys"
 * (an apostrophe read as a space) compare equal.
 */
export const compactKey = (value: string | null | undefined): string => nameKey(value).replace(/ /g, "");

/** Host titles a flyer may print or leave off: "DJ Max", "KJ Max", "D.J. Max" and "Max" are one host. */
const HOST_TITLES = /^(?:(?:dj|kj|mc|vj|d j|k j|m c)\s+)+/;

export function hostKey(value: string | null | undefined): string {
  const key = nameKey(value);
  // A host called just "DJ" keeps the title as the name rather than becoming nameless.
  return key.replace(HOST_TITLES, "") || key;
}

/** Company-form words that do not tell two karaoke companies apart. */
const COMPANY_FORMS = /\s+(?:llc|inc|co|ltd|company|corp)$/;
/** Words companies abbreviate on a crowded flyer. */
const COMPANY_WORDS: Record<string, string> = {
  ent: "entertainment",
  entmt: "entertainment",
  prod: "productions",
  prods: "productions",
  svcs: "services",
};

/** "Starlight Karaoke Ent." and "STARLIGHT KARAOKE ENTERTAINMENT, LLC" are one company. */
export const vendorKey = (value: string | null | undefined): string =>
  nameKey(value)
    .replace(COMPANY_FORMS, "")
    .split(" ")
    .map((word) => COMPANY_WORDS[word] ?? word)
    .join(" ");

/** Spellings that are not a prefix of the day's name. */
const DAY_SPELLINGS: Record<string, Weekday> = { weds: "wednesday", thurs: "thursday", thur: "thursday", tues: "tuesday" };

/** "Mon", "mon.", "Mondays", "MONDAY nights" are all "monday"; anything else is "". */
export function weekdayKey(value: string | null | undefined): Weekday | "" {
  const [word = ""] = nameKey(value).split(" ");
  const singular = word.endsWith("days") ? word.slice(0, -1) : word;
  const spelled = DAY_SPELLINGS[singular];
  if (spelled) return spelled;
  if (singular.length < 2) return "";
  const found = WEEKDAYS.filter((day) => day.startsWith(singular));
  return found.length === 1 && found[0] ? found[0] : "";
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A time as "HH:MM" (24-hour): "9pm", "9:00 PM", "21:00", "2100" and "9.00 p.m." are "21:00";
 * "Midnight" and "12am" are "00:00", "noon" is "12:00". An end "till close" is "close". Anything
 * unreadable is "".
 */
export function timeKey(value: string | null | undefined): string {
  const text = (value ?? "").trim().toLowerCase().replace(/\./g, "").replace(/\s+/g, " ");
  if (/^(?:12 )?midnight$/.test(text)) return "00:00";
  if (/^(?:12 )?noon$/.test(text)) return "12:00";
  if (/^(?:(?:til|till|until|to) )?(?:close|closing|late)$/.test(text)) return "close";
  const [, h, m = "00", meridiem] = text.match(/^(\d{1,2})(?:[:h]?(\d{2}))? ?(am|pm|a|p)?$/) ?? [];
  if (h === undefined) return "";
  let hours = Number(h);
  const minutes = Number(m);
  if (minutes > 59) return "";
  if (meridiem) {
    if (hours < 1 || hours > 12) return "";
    hours = (hours % 12) + (meridiem.startsWith("p") ? 12 : 0);
  } else if (hours > 23) return "";
  return `${pad(hours)}:${pad(minutes)}`;
}

/** Hours before this belong to the night before: a karaoke night runs past midnight. */
const NIGHT_ENDS_AT = 6 * 60;

/**
 * Minutes into the show's night: a start or end earlier than 06:00 is after midnight, so it
 * counts from the next day. A show 21:00–02:00 ends the next day, and a Friday "Midnight"
 * show comes after Friday's 21:00 one. null for an unreadable time.
 */
export function nightMinutes(value: string | null | undefined): number | null {
  const [h, m] = timeKey(value).split(":").map(Number);
  if (h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m)) return null;
  const minutes = h * 60 + m;
  return minutes < NIGHT_ENDS_AT ? minutes + 24 * 60 : minutes;
}
