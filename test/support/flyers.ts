import { mulberry32, type Rng } from "./random";
import sharp from "sharp";
import { WEEKDAYS, type Extraction, type Weekday } from "../../server/src/extraction/schema";

/**
 * Karaoke schedule screenshots with ground truth, drawn as SVG and rendered by sharp. Three
 * layouts like the ones people upload: a KJ company's weekly schedule, a single-venue poster
 * and a social media post. Text is dark on light and large so OCR can read it. The truth holds
 * exactly what the image prints: a field the image does not show is null.
 */

export interface TruthShow {
  venue: string;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
  dayOfWeek: Weekday;
  startTime: string | null;
  endTime: string | null;
  djName: string | null;
  vendor: string | null;
}
export interface Flyer {
  name: string;
  layout: "weekly" | "poster" | "social";
  format: "png" | "jpeg";
  bytes: Buffer;
  truth: { vendor: string | null; shows: TruthShow[] };
}

export type Venue = { name: string; address: string; city: string; state: string; zip: string; phone: string };
type Slot = { venue: Venue; day: Weekday; start: number; end: number; dj: string | null };
type Drawing = { svg: string; truth: Flyer["truth"] };

export const VENUES: Venue[] = [
  ["Shooters Sports Bar", "640 Park Ave", "Mansfield", "OH", "44903", "(419) 555-0156"],
  ["The Rusty Nail", "822 Main St", "Dayton", "OH", "45402", "(937) 555-0178"],
  ["Murphy's Pub", "2201 N High St", "Columbus", "OH", "43201", "(614) 555-0199"],
  ["Harbor Lights Inn", "58 Front St", "Marietta", "OH", "45750", "(740) 555-0125"],
  ["Blue Moon Bar & Grill", "37 Elm Street", "Toledo", "OH", "43604", "(419) 555-0112"],
  ["The Velvet Note", "77 Lake Shore Blvd", "Cleveland", "OH", "44114", "(216) 555-0171"],
  ["Starlite Lounge", "915 Broadway", "Cincinnati", "OH", "45202", "(513) 555-0147"],
  ["The Tipsy Cow", "4410 Sawmill Rd", "Dublin", "OH", "43017", "(614) 555-0163"],
  ["O'Reilly's Tavern", "1450 W 5th Ave", "Columbus", "OH", "43212", "(614) 555-0131"],
  ["Copper Kettle Taproom", "1200 S Lamar Blvd", "Austin", "TX", "78704", "(512) 555-0192"],
  ["Big Easy Saloon", "15601 Vision Dr", "Pflugerville", "TX", "78660", "(512) 555-0184"],
  ["Alcove Cantina", "119 E Main Street", "Round Rock", "TX", "78664", "(512) 555-0109"],
  ["Lone Star Icehouse", "2810 Guadalupe St", "San Marcos", "TX", "78666", "(512) 555-0117"],
  ["Red Door Tavern", "506 Walnut St", "Lancaster", "PA", "17603", "(717) 555-0140"],
  ["Sully's Corner Bar", "1900 Liberty Ave", "Pittsburgh", "PA", "15222", "(412) 555-0186"],
  ["The Tin Roof", "301 Broadway", "Nashville", "TN", "37201", "(615) 555-0153"],
  ["Honky Tonk Heaven", "88 Music Row", "Memphis", "TN", "38103", "(901) 555-0129"],
  ["Lucky Clover Pub", "742 Evergreen Ter", "Springfield", "IL", "62704", "(217) 555-0175"],
  ["Neon Moose Lodge", "12 Pine Ridge Rd", "Traverse City", "MI", "49684", "(231) 555-0102"],
  ["Sunset Grill", "4500 Gulf Blvd", "St. Pete Beach", "FL", "33706", "(727) 555-0168"],
  ["Palm Tree Tiki Bar", "210 Ocean Dr", "Daytona Beach", "FL", "32118", "(386) 555-0191"],
  ["The Local Watering Hole", "1717 Kirby Dr", "Houston", "TX", "77019", "(713) 555-0144"],
  ["Bottoms Up Bar", "66 State St", "Bowling Green", "KY", "42101", "(270) 555-0137"],
  ["Riverside Roadhouse", "2450 River Rd", "Louisville", "KY", "40206", "(502) 555-0158"],
  ["Main Street Pizza Pub", "118 N Main St", "Findlay", "OH", "45840", "(419) 555-0183"],
  ["The Hideout", "909 Cherry St", "Evansville", "IN", "47713", "(812) 555-0122"],
  ["Hoosier Taphouse", "3150 E 10th St", "Bloomington", "IN", "47408", "(812) 555-0196"],
  ["Mockingbird Bar", "5219 W Lovers Ln", "Dallas", "TX", "75209", "(214) 555-0114"],
].map(([name, address, city, state, zip, phone]) => ({ name, address, city, state, zip, phone }) as Venue);

export const DJS = [
  "DJ Rockin Rob",
  "KJ Big Mike",
  "DJ Melody",
  "KJ Jax",
  "KJ Sarah",
  "DJ Tony Vox",
  "KJ Lisa Marie",
  "DJ Max",
  "KJ Dee Dee",
  "DJ Sparkle",
  "KJ Marco",
  "DJ Hollywood Hank",
];
export const VENDORS = [
  "Mic Drop Productions",
  "Starlight Karaoke Entertainment",
  "Sing It Loud Karaoke",
  "Encore KJ Services",
  "High Notes Karaoke",
  "Golden Mic Entertainment",
  "Night Owl Karaoke",
  "Center Stage Productions",
];
export const STARTS = [19 * 60, 19 * 60 + 30, 20 * 60, 20 * 60 + 30, 21 * 60, 21 * 60 + 30, 22 * 60];
export const LENGTHS = [180, 210, 240, 270, 300];
export const PALETTES = [
  { bg: "#ffffff", accent: "#a3124f", tint: "#fbeef3" },
  { bg: "#fffaf0", accent: "#1d3c78", tint: "#eef2fa" },
  { bg: "#f8f8f3", accent: "#0b6147", tint: "#e9f4ef" },
  { bg: "#ffffff", accent: "#6a1b9a", tint: "#f3ebf8" },
  { bg: "#fdf6e3", accent: "#9c2a16", tint: "#f8e8dc" },
];
const LAYOUTS = ["weekly", "poster", "social"] as const;

export async function generateFlyers(count = 15, seed = 1): Promise<Flyer[]> {
  const rng = mulberry32(seed);
  const used = new Set<string>();
  const drawings = Array.from({ length: count }, (_, i) => {
    const layout = LAYOUTS[i % 3] ?? "weekly";
    const format: Flyer["format"] = i % 2 === 0 ? "jpeg" : "png";
    const drawing = layout === "weekly" ? weekly(rng, used) : layout === "poster" ? poster(rng, used) : social(rng, used);
    const name = `${String(i + 1).padStart(3, "0")}-${layout}.${format === "jpeg" ? "jpg" : "png"}`;
    return { name, layout, format, drawing };
  });
  return Promise.all(
    drawings.map(async ({ name, layout, format, drawing }) => {
      const image = sharp(Buffer.from(drawing.svg)).flatten({ background: "#ffffff" });
      const bytes = await (format === "jpeg" ? image.jpeg({ quality: 90 }) : image.png({ compressionLevel: 3 })).toBuffer();
      return { name, layout, format, bytes, truth: drawing.truth };
    }),
  );
}

/** What a perfect model returns for a flyer: one show per weekday, each venue, DJ and vendor once. */
export function extractionFromTruth(truth: Flyer["truth"]): Extraction {
  const confidence = 0.95;
  const unique = <T>(items: T[]) => [...new Set(items)];
  const shows = truth.shows.map((s) => ({
    venueName: s.venue,
    dayOfWeek: s.dayOfWeek,
    startTime: s.startTime,
    endTime: s.endTime,
    date: null,
    djName: s.djName,
    vendor: s.vendor,
    description: null,
    confidence,
  }));
  const venues = unique(truth.shows.map((s) => s.venue)).map((name) => {
    const s = truth.shows.find((show) => show.venue === name)!;
    return { name, address: s.address, city: s.city, state: s.state, zip: s.zip, phone: s.phone, website: null, confidence };
  });
  const djs = unique(truth.shows.flatMap((s) => (s.djName ? [s.djName] : []))).map((name) => ({
    name,
    aliases: [],
    socialHandles: [],
    confidence,
  }));
  const vendorNames = unique([truth.vendor, ...truth.shows.map((s) => s.vendor)].filter((v): v is string => v !== null));
  const vendors = vendorNames.map((name) => ({ name, website: null, description: null, confidence }));
  return { shows, venues, djs, vendors };
}

function weekly(rng: Rng, used: Set<string>): Drawing {
  const vendor = pick(rng, VENDORS);
  const days = sample(rng, [...WEEKDAYS], 4 + Math.floor(rng() * 4)).sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  const taken = new Set<string>();
  const slots = days.map((day) => {
    const venue = freeVenue(rng, used, day, taken);
    taken.add(venue.name);
    return slot(rng, venue, day, pick(rng, DJS));
  });
  const style = pick(rng, ["long", "compact"] as const);
  const { bg, accent, tint } = pick(rng, PALETTES);
  const W = 1000;
  const rowH = 138;
  const top = 250;
  const H = top + slots.length * rowH + 110;
  const rows = slots.map((s, i) => {
    const y = top + i * rowH;
    return [
      i % 2 === 0 ? `<rect x="40" y="${y}" width="${W - 80}" height="${rowH - 8}" rx="10" fill="${tint}"/>` : "",
      text(70, y + 44, `${s.day.toUpperCase()}  ${timeRange(s.start, s.end, style)}`, 34, { bold: true, fill: accent, max: W - 140 }),
      text(70, y + 86, `${s.venue.name} with ${s.dj}`, 32, { fill: "#111111", max: W - 140 }),
      text(70, y + 120, `${s.venue.address}, ${s.venue.city}, ${s.venue.state} ${s.venue.zip}   ${s.venue.phone}`, 25, {
        fill: "#333333",
        max: W - 140,
      }),
    ].join("");
  });
  const svg = [
    `<rect width="${W}" height="${H}" fill="${bg}"/>`,
    `<rect width="${W}" height="22" fill="${accent}"/>`,
    text(W / 2, 110, vendor.toUpperCase(), 50, { bold: true, fill: accent, anchor: "middle", max: W - 100 }),
    text(W / 2, 170, pick(rng, ["WEEKLY KARAOKE SCHEDULE", "THIS WEEK'S KARAOKE SHOWS", "KARAOKE ALL WEEK LONG"]), 32, {
      fill: "#222222",
      anchor: "middle",
    }),
    `<rect x="60" y="205" width="${W - 120}" height="3" fill="${accent}"/>`,
    ...rows,
    text(
      W / 2,
      H - 50,
      pick(rng, ["Come sing with us! No cover. 21+", "Free to sing. Drink specials all night!", "New singers always welcome!"]),
      28,
      { fill: "#333333", anchor: "middle" },
    ),
  ].join("");
  return { svg: wrap(W, H, svg), truth: { vendor, shows: slots.map((s) => truthOf(s, vendor, true)) } };
}

function poster(rng: Rng, used: Set<string>): Drawing {
  const vendor = rng() < 0.6 ? pick(rng, VENDORS) : null;
  const dj = rng() < 0.85 ? pick(rng, DJS) : null;
  const first = pick(rng, WEEKDAYS);
  const venue = freeVenue(rng, used, first, new Set());
  const second = WEEKDAYS.filter((d) => d !== first && !used.has(`${venue.name}|${d}`));
  const days = [first, ...(rng() < 0.5 && second.length > 0 ? [pick(rng, second)] : [])].sort(
    (a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b),
  );
  const base = slot(rng, venue, first, dj);
  const slots = days.map((day) => ({ ...base, day }));
  for (const s of slots) used.add(`${venue.name}|${s.day}`);

  const short = rng() < 0.5;
  const dayWords = days.map((d) => (short ? d.slice(0, 3) : d).toUpperCase()).join(" & ");
  const style = pick(rng, ["long", "compact"] as const);
  const family = pick(rng, ["DejaVu Serif", "DejaVu Sans"]);
  const { bg, accent } = pick(rng, PALETTES);
  const W = 1000;
  const H = 1250;
  const o = { family, anchor: "middle" as const, max: W - 120 };
  const svg = [
    `<rect width="${W}" height="${H}" fill="${bg}"/>`,
    `<rect x="24" y="24" width="${W - 48}" height="${H - 48}" fill="none" stroke="${accent}" stroke-width="8" rx="18"/>`,
    text(W / 2, 230, "KARAOKE", 150, { ...o, bold: true, fill: accent }),
    text(W / 2, 330, "NIGHT", 84, { ...o, bold: true, fill: "#111111" }),
    text(W / 2, 470, `EVERY ${dayWords}`, 52, { ...o, bold: true, fill: "#111111" }),
    text(W / 2, 550, timeRange(base.start, base.end, style), 50, { ...o, fill: accent }),
    text(W / 2, 690, `at ${venue.name}`, 56, { ...o, bold: true, fill: "#111111" }),
    text(W / 2, 760, `${venue.address}, ${venue.city}, ${venue.state} ${venue.zip}`, 32, { ...o, fill: "#333333" }),
    text(W / 2, 812, venue.phone, 32, { ...o, fill: "#333333" }),
    dj ? text(W / 2, 930, `Hosted by ${dj}`, 46, { ...o, fill: "#111111" }) : "",
    vendor ? text(W / 2, 1110, `Karaoke by ${vendor}`, 32, { ...o, fill: "#333333" }) : "",
  ].join("");
  return { svg: wrap(W, H, svg), truth: { vendor, shows: slots.map((s) => truthOf(s, vendor, true)) } };
}

function social(rng: Rng, used: Set<string>): Drawing {
  const vendor = pick(rng, VENDORS);
  const days = sample(rng, [...WEEKDAYS], 2 + Math.floor(rng() * 3));
  const taken = new Set<string>();
  const slots = days.map((day) => {
    const venue = freeVenue(rng, used, day, taken);
    taken.add(venue.name);
    return slot(rng, venue, day, pick(rng, DJS));
  });
  const avatar = pick(rng, ["#ffca28", "#42a5f5", "#ef5350", "#66bb6a", "#ab47bc"]);
  const W = 1080;
  const H = 520 + slots.length * 115;
  const lines = slots.flatMap((s, i) => {
    const y = 340 + i * 115;
    const day = s.day.slice(0, 1).toUpperCase() + s.day.slice(1, 3);
    return [
      text(80, y, `${day} - ${s.venue.name} ${timeRange(s.start, s.end, "lower")} w/ ${s.dj}`, 31, { fill: "#050505", max: W - 160 }),
      text(110, y + 44, `${s.venue.address}, ${s.venue.city}, ${s.venue.state}`, 26, { fill: "#4b4f56", max: W - 190 }),
    ];
  });
  const svg = [
    `<rect width="${W}" height="${H}" fill="#f0f2f5"/>`,
    `<rect x="30" y="30" width="${W - 60}" height="${H - 60}" rx="20" fill="#ffffff"/>`,
    `<circle cx="112" cy="118" r="46" fill="${avatar}"/>`,
    text(185, 108, vendor, 34, { bold: true, fill: "#050505", max: W - 260 }),
    text(185, 152, `${1 + Math.floor(rng() * 23)}h · Public`, 24, { fill: "#65676b" }),
    text(
      80,
      250,
      pick(rng, ["This week's karaoke shows! Come out and sing:", "Where to find us this week:", "Grab the mic! Our shows this week:"]),
      31,
      { fill: "#050505" },
    ),
    ...lines,
    `<rect x="60" y="${H - 150}" width="${W - 120}" height="2" fill="#ced0d4"/>`,
    ...["Like", "Comment", "Share"].map((w, i) => text(190 + i * 350, H - 88, w, 28, { fill: "#65676b", anchor: "middle" })),
  ].join("");
  return { svg: wrap(W, H, svg), truth: { vendor, shows: slots.map((s) => truthOf(s, vendor, false)) } };
}

function slot(rng: Rng, venue: Venue, day: Weekday, dj: string | null): Slot {
  const start = pick(rng, STARTS);
  return { venue, day, start, end: (start + pick(rng, LENGTHS)) % (24 * 60), dj };
}

/** A venue not yet on this flyer whose weekday no earlier flyer used, so flyers never repeat a show. */
function freeVenue(rng: Rng, used: Set<string>, day: Weekday, taken: Set<string>): Venue {
  const fresh = VENUES.filter((v) => !taken.has(v.name) && !used.has(`${v.name}|${day}`));
  const venue = pick(rng, fresh.length > 0 ? fresh : VENUES.filter((v) => !taken.has(v.name)));
  used.add(`${venue.name}|${day}`);
  return venue;
}

function truthOf(s: Slot, vendor: string | null, printsZipAndPhone: boolean): TruthShow {
  const { name, address, city, state, zip, phone } = s.venue;
  return {
    venue: name,
    address,
    city,
    state,
    zip: printsZipAndPhone ? zip : null,
    phone: printsZipAndPhone ? phone : null,
    dayOfWeek: s.day,
    startTime: hhmm(s.start),
    endTime: hhmm(s.end),
    djName: s.dj,
    vendor,
  };
}

export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** "7:30 PM - 11:30 PM", "8PM-12AM" or "8pm-1:30am": never "close", the truth needs an end. */
export function timeRange(start: number, end: number, style: "long" | "compact" | "lower"): string {
  const clock = (minutes: number) => {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    const hour12 = h % 12 === 0 ? 12 : h % 12;
    const mm = String(m).padStart(2, "0");
    const meridiem = h < 12 ? "AM" : "PM";
    if (style === "long") return `${hour12}:${mm} ${meridiem}`;
    const short = m === 0 ? `${hour12}` : `${hour12}:${mm}`;
    return style === "compact" ? `${short}${meridiem}` : `${short}${meridiem.toLowerCase()}`;
  };
  return `${clock(start)}${style === "long" ? " - " : "-"}${clock(end)}`;
}

export type TextOptions = { bold?: boolean; italic?: boolean; fill?: string; anchor?: "start" | "middle"; family?: string; max?: number };

/** One line of SVG text, shrunk when its estimated width would pass `max`. */
export function text(x: number, y: number, content: string, size: number, o: TextOptions = {}): string {
  const family = o.family ?? "DejaVu Sans";
  const fitted = o.max ? Math.min(size, Math.floor(o.max / emWidth(content, o.bold ?? false, family))) : size;
  return `<text x="${x}" y="${y}" font-family="${family}" font-size="${fitted}" font-weight="${o.bold ? "bold" : "normal"}"${o.italic ? ' font-style="italic"' : ""} fill="${o.fill ?? "#111111"}" text-anchor="${o.anchor ?? "start"}" xml:space="preserve">${escapeXml(content)}</text>`;
}

/** Width in em, from rough DejaVu advance widths (generous, so text never overflows). */
function emWidth(s: string, bold: boolean, family: string): number {
  let em = 0;
  for (const c of s) em += c === " " ? 0.32 : /[A-Z]/.test(c) ? 0.74 : /[0-9]/.test(c) ? 0.64 : /[a-z]/.test(c) ? 0.6 : 0.4;
  return em * (bold ? 1.1 : 1) * (family.includes("Serif") ? 1.03 : 1);
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const wrap = (w: number, h: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export function sample<T>(rng: Rng, items: T[], n: number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}
