import sharp from "sharp";
import { WEEKDAYS, type Weekday } from "../../server/src/extraction/schema";
import {
  DJS,
  type Flyer,
  hhmm,
  LENGTHS,
  PALETTES,
  pick,
  sample,
  STARTS,
  text,
  type TextOptions,
  timeRange,
  type TruthShow,
  VENDORS,
  VENUES,
  type Venue,
  wrap,
} from "./flyers";
import { damageImage, type ImageDamage } from "./photo-damage";
import { mulberry32, type Rng } from "./random";

/**
 * Schedules as people really upload them, with ground truth: the three layouts of flyers.ts
 * drawn in harder looks (dark themes, condensed and italic fonts, emoji), photographed,
 * shrunk to thumbnails or pasted small on a busy page, and printed in harder wording (day
 * ranges and lists, "till close", several venues on a line, times without am/pm).
 */

/** What makes an image hard: one kind per image, so each kind can be scored on its own. */
export const DAMAGES = ["photo", "thumbnail", "backdrop", "dark", "font", "emoji", "wording"] as const;
export type Damage = (typeof DAMAGES)[number];
/** The harder ways a flyer prints its days and times. */
export const WORDINGS = ["ranges", "close", "multi-venue", "bare-time"] as const;
export type Wording = (typeof WORDINGS)[number];

export interface HardFlyer extends Flyer {
  damage: Damage;
  /** The harder wordings its text uses (a flyer may mix them with plain rows). */
  wordings: Wording[];
}

/** A flyer's look: colours, font and whether emoji sit beside the text. */
interface Look {
  bg: string;
  fg: string;
  muted: string;
  accent: string;
  tint: string;
  family: string;
  italic: boolean;
  emoji: boolean;
}

/** One venue's time on a schedule row. */
interface Stop {
  venue: Venue;
  start: number;
  /** null: "till close". */
  end: number | null;
  time: string;
}
/** One row: its days, and one stop or (multi-venue) several on the same line. */
interface Entry {
  days: Weekday[];
  dayText: string;
  stops: Stop[];
  dj: string | null;
  wording: Wording | null;
  /** The row prints each stop's address. */
  addresses: boolean;
}

type Layout = "weekly" | "poster" | "social";
const LAYOUTS: Layout[] = ["weekly", "poster", "social"];
/** Wordings a layout can print: a poster is one venue, so never several on a line. */
const LAYOUT_WORDINGS: Record<Layout, Wording[]> = {
  weekly: ["ranges", "close", "multi-venue", "bare-time"],
  poster: ["ranges", "close", "bare-time"],
  social: ["ranges", "close", "multi-venue", "bare-time"],
};
/** Bare times need an evening start that reads unambiguously as one ("9-1"). */
const BARE_STARTS = [19 * 60, 20 * 60, 20 * 60 + 30, 21 * 60, 21 * 60 + 30, 22 * 60];

const DARK = [
  { bg: "#121212", fg: "#f5f5f5", muted: "#cfcfcf", accent: "#ff4fa3", tint: "#242424" },
  { bg: "#1b1035", fg: "#fbf7ff", muted: "#d6cfe6", accent: "#39e5ff", tint: "#2a1d4d" },
  { bg: "#0d1b2a", fg: "#ffffff", muted: "#c9d6e3", accent: "#ffd23f", tint: "#1b2d42" },
];
const FONTS = ["DejaVu Sans Condensed", "DejaVu Serif Condensed", "DejaVu Sans Mono", "DejaVu Serif"];
const SYMBOLS = ["★", "♪", "♫", "♥", "☎", "✔"];

export async function generateHardFlyers(count = 63, seed = 1): Promise<HardFlyer[]> {
  const rng = mulberry32(seed);
  const drawings = Array.from({ length: count }, (_, i) => {
    // 7 damages and 3 layouts are coprime: 63 images hold every pair three times.
    const damage = DAMAGES[i % DAMAGES.length] ?? "wording";
    const layout = LAYOUTS[i % LAYOUTS.length] ?? "weekly";
    const allowed = LAYOUT_WORDINGS[layout];
    const wording = allowed[Math.floor(i / LAYOUTS.length) % allowed.length] ?? "ranges";
    const look = lookFor(rng, damage);
    const entries = layout === "poster" ? posterEntries(rng, wording) : rowEntries(rng, wording, layout);
    const vendor = layout === "poster" && rng() < 0.4 ? null : pick(rng, VENDORS);
    const svg =
      layout === "weekly"
        ? weekly(rng, look, entries, vendor)
        : layout === "poster"
          ? poster(rng, look, entries, vendor)
          : social(rng, look, entries, vendor ?? pick(rng, VENDORS));
    const shows = truthOf(entries, vendor, layout !== "social");
    const wordings = [...new Set(entries.flatMap((e) => (e.wording ? [e.wording] : [])))];
    const imageDamage: ImageDamage | null = damage === "photo" || damage === "thumbnail" || damage === "backdrop" ? damage : null;
    const format: Flyer["format"] = imageDamage || i % 2 === 0 ? "jpeg" : "png";
    const name = `${String(i + 1).padStart(3, "0")}-${layout}-${damage}.${format === "jpeg" ? "jpg" : "png"}`;
    return { name, layout, damage, imageDamage, format, svg, wordings, truth: { vendor, shows }, damageSeed: Math.floor(rng() * 2 ** 31) };
  });
  return Promise.all(
    drawings.map(async ({ svg, imageDamage, damageSeed, ...flyer }) => {
      const rendered = await sharp(Buffer.from(svg)).flatten({ background: "#ffffff" }).png({ compressionLevel: 1 }).toBuffer();
      const bytes = imageDamage
        ? await damageImage(rendered, imageDamage, mulberry32(damageSeed))
        : flyer.format === "jpeg"
          ? await sharp(rendered).jpeg({ quality: 88 }).toBuffer()
          : await sharp(rendered).png({ compressionLevel: 3 }).toBuffer();
      return { ...flyer, bytes };
    }),
  );
}

function lookFor(rng: Rng, damage: Damage): Look {
  const light = pick(rng, PALETTES);
  const base: Look = {
    bg: light.bg,
    fg: "#111111",
    muted: "#333333",
    accent: light.accent,
    tint: light.tint,
    family: "DejaVu Sans",
    italic: false,
    emoji: false,
  };
  if (damage === "dark") return { ...base, ...pick(rng, DARK) };
  if (damage === "font") return { ...base, family: pick(rng, FONTS), italic: rng() < 0.5 };
  if (damage === "emoji") return { ...base, emoji: true };
  return base;
}

const DAY_SHORT = (day: Weekday) => day.slice(0, 3);
const cap = (s: string) => s.slice(0, 1).toUpperCase() + s.slice(1);

/** "MON-THU", "Wed & Fri", "every Tuesday": the days and how the row prints them. */
function dayWording(rng: Rng, free: Weekday[]): { days: Weekday[]; text: string } {
  const kind = pick(rng, ["range", "list", "every"] as const);
  if (kind === "range") {
    for (let tries = 0; tries < 20; tries++) {
      const from = Math.floor(rng() * 5);
      const length = 2 + Math.floor(rng() * 3);
      const days = WEEKDAYS.slice(from, from + length);
      if (days.length < 2 || !days.every((d) => free.includes(d))) continue;
      const [first, last] = [days[0] as Weekday, days.at(-1) as Weekday];
      const text = pick(rng, [
        `${DAY_SHORT(first)}-${DAY_SHORT(last)}`,
        `${cap(DAY_SHORT(first))} - ${cap(DAY_SHORT(last))}`,
        `${cap(first)} thru ${cap(last)}`,
      ]);
      return { days, text };
    }
  }
  if (kind === "list" || kind === "range") {
    const days = sample(rng, free, Math.min(free.length, 2 + Math.floor(rng() * 2))).sort(
      (a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b),
    );
    const names = days.map((d) => cap(DAY_SHORT(d)));
    const text = names.length === 2 ? `${names[0]} & ${names[1]}` : `${names.slice(0, -1).join(", ")} & ${names.at(-1)}`;
    return { days, text };
  }
  const day = pick(rng, free);
  return { days: [day], text: pick(rng, [`every ${cap(day)}`, `${cap(day)}s`, `Every ${cap(day)}`]) };
}

/** The printed time of a stop in a wording, and its truth (end null for "till close"). */
function stopTime(rng: Rng, wording: Wording | null): { start: number; end: number | null; time: string } {
  const style = pick(rng, ["long", "compact", "lower"] as const);
  if (wording === "close") {
    const start = pick(rng, STARTS);
    const opening = timeRange(start, start, style).split(/ - |-/)[0] ?? "";
    return { start, end: null, time: `${opening}${pick(rng, [" - CLOSE", " till close", " 'til close", " to close"])}` };
  }
  if (wording === "bare-time") {
    const start = pick(rng, BARE_STARTS);
    const end = (start + pick(rng, LENGTHS)) % (24 * 60);
    const bare = (minutes: number) => {
      const h = Math.floor(minutes / 60) % 12 || 12;
      const m = minutes % 60;
      return m === 0 && rng() < 0.7 ? `${h}` : `${h}:${String(m).padStart(2, "0")}`;
    };
    return { start, end, time: `${bare(start)}${pick(rng, ["-", " - ", " till "])}${bare(end)}` };
  }
  const start = pick(rng, STARTS);
  const end = (start + pick(rng, LENGTHS)) % (24 * 60);
  return { start, end, time: timeRange(start, end, style) };
}

/** Weekly and social rows: 4-6 rows, most in the flyer's wording. */
function rowEntries(rng: Rng, wording: Wording, layout: Layout): Entry[] {
  const free = [...WEEKDAYS];
  const taken = new Set<string>();
  const venue = () => {
    const choice = pick(
      rng,
      VENUES.filter((v) => !taken.has(v.name)),
    );
    taken.add(choice.name);
    return choice;
  };
  const rows = layout === "weekly" ? 3 + Math.floor(rng() * 3) : 2 + Math.floor(rng() * 3);
  const entries: Entry[] = [];
  for (let r = 0; r < rows && free.length > 0; r++) {
    const hard = r === 0 || rng() < 0.6 ? wording : null;
    const { days, text } = hard === "ranges" && free.length >= 2 ? dayWording(rng, free) : single(rng, free, layout);
    for (const d of days) free.splice(free.indexOf(d), 1);
    const stops = Array.from({ length: hard === "multi-venue" ? 2 : 1 }, () => ({
      venue: venue(),
      ...stopTime(rng, hard === "ranges" ? null : hard),
    }));
    entries.push({
      days,
      dayText: text,
      stops,
      dj: hard === "multi-venue" ? null : pick(rng, DJS),
      wording: hard,
      addresses: hard !== "multi-venue",
    });
  }
  return entries.sort((a, b) => WEEKDAYS.indexOf(a.days[0] as Weekday) - WEEKDAYS.indexOf(b.days[0] as Weekday));
}

function single(rng: Rng, free: Weekday[], layout: Layout): { days: Weekday[]; text: string } {
  const day = pick(rng, free);
  return { days: [day], text: layout === "weekly" ? day.toUpperCase() : cap(DAY_SHORT(day)) };
}

/** A poster: one venue, one row. */
function posterEntries(rng: Rng, wording: Wording): Entry[] {
  const { days, text } = wording === "ranges" ? dayWording(rng, [...WEEKDAYS]) : { days: [pick(rng, WEEKDAYS)], text: "" };
  const dayText = wording === "ranges" ? text : `EVERY ${(days[0] as Weekday).toUpperCase()}`;
  const stop = { venue: pick(rng, VENUES), ...stopTime(rng, wording === "ranges" ? null : wording) };
  return [{ days, dayText, stops: [stop], dj: rng() < 0.85 ? pick(rng, DJS) : null, wording, addresses: true }];
}

function truthOf(entries: Entry[], vendor: string | null, printsZipAndPhone: boolean): TruthShow[] {
  return entries.flatMap((entry) =>
    entry.days.flatMap((day) =>
      entry.stops.map((stop) => ({
        venue: stop.venue.name,
        address: entry.addresses ? stop.venue.address : null,
        city: entry.addresses ? stop.venue.city : null,
        state: entry.addresses ? stop.venue.state : null,
        zip: entry.addresses && printsZipAndPhone ? stop.venue.zip : null,
        phone: entry.addresses && printsZipAndPhone ? stop.venue.phone : null,
        dayOfWeek: day,
        startTime: hhmm(stop.start),
        endTime: stop.end === null ? null : hhmm(stop.end),
        djName: entry.dj,
        vendor,
      })),
    ),
  );
}

/** A line of text in the look, with an emoji drawn before it and a symbol after it when the look has them. */
function say(rng: Rng, look: Look, x: number, y: number, content: string, size: number, o: TextOptions = {}): string {
  const options = { family: look.family, italic: look.italic, ...o };
  if (!look.emoji || rng() < 0.35) return text(x, y, content, size, options);
  const symbol = pick(rng, SYMBOLS);
  if (o.anchor === "middle") return text(x, y, `${symbol} ${content} ${symbol}`, size, options);
  return emojiAt(rng, x + size * 0.45, y - size * 0.35, size * 0.5) + text(x + size * 1.1, y, `${content} ${symbol}`, size, options);
}

/** A colour emoji drawn as shapes (no emoji font on the machine): a microphone, a party ball or a star. */
function emojiAt(rng: Rng, cx: number, cy: number, r: number): string {
  const kind = pick(rng, ["mic", "ball", "star"] as const);
  if (kind === "mic")
    return `<rect x="${cx - r * 0.2}" y="${cy}" width="${r * 0.4}" height="${r * 1.1}" fill="#555"/><circle cx="${cx}" cy="${cy - r * 0.2}" r="${r * 0.6}" fill="#9e9e9e" stroke="#333" stroke-width="2"/>`;
  if (kind === "ball")
    return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffb300"/><circle cx="${cx - r * 0.3}" cy="${cy - r * 0.3}" r="${r * 0.25}" fill="#e91e63"/>`;
  const points = Array.from({ length: 10 }, (_, k) => {
    const a = (Math.PI * k) / 5 - Math.PI / 2;
    const d = k % 2 === 0 ? r : r * 0.45;
    return `${(cx + d * Math.cos(a)).toFixed(1)},${(cy + d * Math.sin(a)).toFixed(1)}`;
  }).join(" ");
  return `<polygon points="${points}" fill="#fdd835" stroke="#f57f17" stroke-width="2"/>`;
}

const stopsText = (entry: Entry, withTime: boolean) =>
  entry.stops.map((s) => (withTime ? `${s.venue.name} ${s.time}` : s.venue.name)).join(pickSeparator(entry));
const pickSeparator = (entry: Entry) => ((entry.stops[0]?.venue.name.length ?? 0) % 2 === 0 ? " & " : " | ");

function weekly(rng: Rng, look: Look, entries: Entry[], vendor: string | null): string {
  const W = 1000;
  const rowH = 138;
  const top = 250;
  const H = top + entries.length * rowH + 110;
  const rows = entries.map((entry, i) => {
    const y = top + i * rowH;
    const [stop] = entry.stops;
    const multi = entry.stops.length > 1;
    const heading = multi ? entry.dayText.toUpperCase() : `${entry.dayText.toUpperCase()}  ${stop?.time ?? ""}`;
    const second = multi ? stopsText(entry, true) : `${stop?.venue.name} with ${entry.dj}`;
    const v = stop?.venue;
    return [
      i % 2 === 0 ? `<rect x="40" y="${y}" width="${W - 80}" height="${rowH - 8}" rx="10" fill="${look.tint}"/>` : "",
      say(rng, look, 70, y + 44, heading, 34, { bold: true, fill: look.accent, max: W - 180 }),
      say(rng, look, 70, y + 86, second, 32, { fill: look.fg, max: W - 180 }),
      entry.addresses && v
        ? text(70, y + 120, `${v.address}, ${v.city}, ${v.state} ${v.zip}   ${v.phone}`, 25, {
            family: look.family,
            italic: look.italic,
            fill: look.muted,
            max: W - 140,
          })
        : "",
    ].join("");
  });
  const body = [
    `<rect width="${W}" height="${H}" fill="${look.bg}"/>`,
    `<rect width="${W}" height="22" fill="${look.accent}"/>`,
    vendor ? say(rng, look, W / 2, 110, vendor.toUpperCase(), 50, { bold: true, fill: look.accent, anchor: "middle", max: W - 160 }) : "",
    say(rng, look, W / 2, 170, pick(rng, ["WEEKLY KARAOKE SCHEDULE", "THIS WEEK'S KARAOKE SHOWS", "KARAOKE ALL WEEK LONG"]), 32, {
      fill: look.fg,
      anchor: "middle",
      max: W - 160,
    }),
    `<rect x="60" y="205" width="${W - 120}" height="3" fill="${look.accent}"/>`,
    ...rows,
    say(rng, look, W / 2, H - 50, pick(rng, ["Come sing with us! No cover. 21+", "New singers always welcome!"]), 28, {
      fill: look.muted,
      anchor: "middle",
      max: W - 160,
    }),
  ].join("");
  return wrap(W, H, body);
}

function poster(rng: Rng, look: Look, entries: Entry[], vendor: string | null): string {
  const [entry] = entries;
  const stop = entry?.stops[0];
  if (!entry || !stop) throw new Error("a poster needs one entry");
  const v = stop.venue;
  const W = 1000;
  const H = 1250;
  const o = { anchor: "middle" as const, max: W - 160 };
  const body = [
    `<rect width="${W}" height="${H}" fill="${look.bg}"/>`,
    `<rect x="24" y="24" width="${W - 48}" height="${H - 48}" fill="none" stroke="${look.accent}" stroke-width="8" rx="18"/>`,
    say(rng, look, W / 2, 230, "KARAOKE", 150, { ...o, bold: true, fill: look.accent }),
    say(rng, look, W / 2, 330, "NIGHT", 84, { ...o, bold: true, fill: look.fg }),
    say(rng, look, W / 2, 470, entry.dayText.toUpperCase(), 52, { ...o, bold: true, fill: look.fg }),
    say(rng, look, W / 2, 550, stop.time, 50, { ...o, fill: look.accent }),
    say(rng, look, W / 2, 690, `at ${v.name}`, 56, { ...o, bold: true, fill: look.fg }),
    text(W / 2, 760, `${v.address}, ${v.city}, ${v.state} ${v.zip}`, 32, {
      ...o,
      family: look.family,
      italic: look.italic,
      fill: look.muted,
    }),
    text(W / 2, 812, v.phone, 32, { ...o, family: look.family, italic: look.italic, fill: look.muted }),
    entry.dj ? say(rng, look, W / 2, 930, `Hosted by ${entry.dj}`, 46, { ...o, fill: look.fg }) : "",
    vendor ? say(rng, look, W / 2, 1110, `Karaoke by ${vendor}`, 32, { ...o, fill: look.muted }) : "",
  ].join("");
  return wrap(W, H, body);
}

function social(rng: Rng, look: Look, entries: Entry[], vendor: string): string {
  const W = 1080;
  const H = 520 + entries.length * 115;
  const dark = look.fg !== "#111111";
  const card = dark ? look.tint : "#ffffff";
  const lines = entries.flatMap((entry, i) => {
    const y = 340 + i * 115;
    const [stop] = entry.stops;
    const what = entry.stops.length > 1 ? stopsText(entry, true) : `${stop?.venue.name} ${stop?.time} w/ ${entry.dj}`;
    const v = stop?.venue;
    return [
      say(rng, look, 80, y, `${entry.dayText} - ${what}`, 31, { fill: look.fg, max: W - 200 }),
      entry.addresses && v
        ? text(110, y + 44, `${v.address}, ${v.city}, ${v.state}`, 26, {
            family: look.family,
            italic: look.italic,
            fill: look.muted,
            max: W - 190,
          })
        : "",
    ];
  });
  const body = [
    `<rect width="${W}" height="${H}" fill="${dark ? look.bg : "#f0f2f5"}"/>`,
    `<rect x="30" y="30" width="${W - 60}" height="${H - 60}" rx="20" fill="${card}"/>`,
    `<circle cx="112" cy="118" r="46" fill="${look.accent}"/>`,
    text(185, 108, vendor, 34, { bold: true, fill: look.fg, max: W - 260, family: look.family, italic: look.italic }),
    text(185, 152, `${1 + Math.floor(rng() * 23)}h · Public`, 24, { fill: look.muted }),
    say(rng, look, 80, 250, pick(rng, ["This week's karaoke shows! Come out and sing:", "Where to find us this week:"]), 31, {
      fill: look.fg,
      max: W - 200,
    }),
    ...lines,
    `<rect x="60" y="${H - 150}" width="${W - 120}" height="2" fill="#ced0d4"/>`,
    ...["Like", "Comment", "Share"].map((w, i) => text(190 + i * 350, H - 88, w, 28, { fill: look.muted, anchor: "middle" })),
  ].join("");
  return wrap(W, H, body);
}
