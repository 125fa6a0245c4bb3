import type { SourceExtraction } from "../../server/src/extraction/merge";
import type { Dj, Show, Vendor, Venue, Weekday } from "../../server/src/extraction/schema";

/**
 * A labelled set for the merge: screenshots' extracted shows, each with the venue its image
 * prints, and the true show each one is. Venues are printed the ways flyers print them (with
 * and without "The", apostrophes, "&" or "and", St or Street, N or North, a suite, the ZIP or
 * the street left off, a heading in capitals, a typo), some venues share or nearly share a name with
 * one in another city, hosts go with and without their DJ/KJ title, and a few images disagree
 * (another host, another start).
 */

type Place = Omit<Venue, "website" | "confidence">;
const at = (
  name: string,
  address: string | null,
  city: string | null,
  state: string | null,
  zip: string | null,
  phone: string | null,
): Place => ({
  name,
  address,
  city,
  state,
  zip,
  phone,
});

/** Each venue as the images print it; a record names a printing by its index. */
const VENUES = {
  rustyDayton: [
    at("The Rusty Nail", "822 Main St", "Dayton", "OH", "45402", "(937) 555-0178"),
    at("Rusty Nail", "822 Main Street", "Dayton", "Ohio", null, "937-555-0178"),
    at("THE RUSTY NAIL", null, "Dayton", "OH", null, null),
    at("Rusty Nail", "822 Main St.", null, null, "45402", null),
    at("Rusty Nial", "822 Main St", "Dayton", "OH", null, null),
  ],
  rustyColumbus: [
    at("Rusty Nail", "45 Oak Ave", "Columbus", "OH", "43215", "(614) 555-0101"),
    at("The Rusty Nail", "45 Oak Avenue", "Columbus", "OH", null, null),
    at("Rusty Nail", null, "Columbus", null, null, "614-555-0101"),
  ],
  blueMoonToledo: [
    at("Blue Moon Bar & Grill", "37 Elm Street", "Toledo", "OH", "43604", "(419) 555-0112"),
    at("Blue Moon Bar and Grill", "37 Elm St", "Toledo", "OH", null, null),
    at("The Blue Moon Bar + Grill", "37 Elm St.", null, null, null, "419.555.0112"),
  ],
  blueMoonAkron: [
    at("Blue Moon Grill", "1200 Market St", "Akron", "OH", "44308", "(330) 555-0144"),
    at("Blue Moon Grill", null, "Akron", "OH", null, null),
  ],
  oreillys: [
    at("O'Reilly's Tavern", "1450 W 5th Ave", "Columbus", "OH", "43212", "(614) 555-0131"),
    at("OReillys Tavern", "1450 West Fifth Avenue", "Columbus", "OH", null, null),
    at("O’Reilly’s Tavern", "1450 W. 5th Ave.", "Columbus", null, null, "614-555-0131"),
    at("O'REILLY'S TAVERN", null, null, null, null, "(614) 555-0131"),
  ],
  murphys: [
    at("Murphy's Pub", "2201 N High St", "Columbus", "OH", "43201", "(614) 555-0199"),
    at("Murphys Pub", "2201 North High Street", "Columbus", "OH", "43201", null),
    at("Murphy's", "2201 N. High St.", null, null, null, null),
  ],
  shooters: [
    at("Shooters Sports Bar", "640 Park Ave", "Mansfield", "OH", "44903", "(419) 555-0156"),
    at("Shooters", null, "Mansfield", "OH", null, "(419) 555-0156"),
    at("Shooter's Sports Bar", "640 Park Avenue Suite B", "Mansfield", null, null, null),
  ],
  velvet: [
    at("The Velvet Note", "77 Lake Shore Blvd", "Cleveland", "OH", "44114", "(216) 555-0171"),
    at("Velvet Note", "77 Lakeshore Boulevard", "Cleveland", "OH", null, null),
  ],
  tipsy: [
    at("The Tipsy Cow", "4410 Sawmill Rd", "Dublin", "OH", "43017", "(614) 555-0163"),
    at("Tipsy Cow", "4410 Sawmill Road, Unit 3", "Dublin", "OH", null, null),
  ],
  harbor: [
    at("Harbor Lights Inn", "58 Front St", "Marietta", "OH", "45750", "(740) 555-0125"),
    at("Harbour Lights Inn", null, "Marietta", null, null, "740-555-0125"),
  ],
  starliteCincinnati: [
    at("Starlite Lounge", "915 Broadway", "Cincinnati", "OH", "45202", "(513) 555-0147"),
    at("Starlite Lounge", "915 Broadway", "Cincinnati", "OH", null, null),
  ],
  starlightDayton: [
    at("Starlight Lounge", "300 E 3rd St", "Dayton", "OH", "45402", "(937) 555-0190"),
    at("Starlight Lounge", "300 East Third Street", "Dayton", null, null, null),
  ],
  luckyIllinois: [
    at("Lucky Clover Pub", "742 Evergreen Ter", "Springfield", "IL", "62704", "(217) 555-0175"),
    at("Lucky Clover Pub", null, "Springfield", "Illinois", null, null),
  ],
  luckyMissouri: [
    at("Lucky Clover Pub", "1800 S Glenstone Ave", "Springfield", "MO", "65804", "(417) 555-0166"),
    at("Lucky Clover Pub", null, "Springfield", "Missouri", null, null),
  ],
  copper: [
    at("Copper Kettle Taproom", "1200 S Lamar Blvd", "Austin", "TX", "78704", "(512) 555-0192"),
    at("Copper Kettle Tap Room", "1200 South Lamar Boulevard", "Austin", "TX", null, null),
  ],
  sullys: [
    at("Sully's Corner Bar", "1900 Liberty Ave", "Pittsburgh", "PA", "15222", "(412) 555-0186"),
    at("Sullys Corner Bar", "1900 Liberty Avenue", "Pittsburgh", "PA", null, null),
    at("SULLY'S CORNER BAR", null, null, null, null, "412.555.0186"),
  ],
  hideoutEvansville: [
    at("The Hideout", "909 Cherry St", "Evansville", "IN", "47713", "(812) 555-0122"),
    at("Hideout", "909 Cherry Street", "Evansville", "IN", null, null),
  ],
  hideoutBloomington: [
    at("Hideout", "210 N Walnut St", "Bloomington", "IN", "47404", "(812) 555-0133"),
    at("The Hideout", null, "Bloomington", "IN", null, null),
  ],
  mockingbird: [
    at("Mockingbird Bar", "5219 W Lovers Ln", "Dallas", "TX", "75209", "(214) 555-0114"),
    at("Mockingbird Bar", "5219 West Lovers Lane", "Dallas", "Texas", null, null),
  ],
  nightOwl: [
    at("Night Owl Lounge", "12 Pine Ridge Rd", "Traverse City", "MI", "49684", "(231) 555-0102"),
    at("Night Owl Lounge", "12 Pine Ridge Road", "Traverse City", "MI", null, null),
  ],
  bigEasy: [
    at("Big Easy Saloon", "15601 Vision Dr", "Pflugerville", "TX", "78660", "(512) 555-0184"),
    at("The Big Easy Saloon", "15601 Vision Drive", "Pflugerville", "TX", null, null),
  ],
  palm: [
    at("Palm Tree Tiki Bar", "210 Ocean Dr", "Daytona Beach", "FL", "32118", "(386) 555-0191"),
    at("Palm Tree Tiki Bar", "210 Ocean Drive", "Daytona Beach", "Florida", null, null),
  ],
  sunset: [
    at("Sunset Grill", "4500 Gulf Blvd", "St. Pete Beach", "FL", "33706", "(727) 555-0168"),
    at("Sunset Grill", "4500 Gulf Boulevard", "Saint Pete Beach", "FL", null, null),
  ],
  localHole: [
    at("The Local Watering Hole", "1717 Kirby Dr", "Houston", "TX", "77019", "(713) 555-0144"),
    at("Local Watering Hole", "1717 Kirby Drive Suite 100", "Houston", "TX", null, null),
  ],
  redDoor: [
    at("Red Door Tavern", "506 Walnut St", "Lancaster", "PA", "17603", "(717) 555-0140"),
    at("Red Door Tavern", null, "Lancaster", "PA", null, null),
  ],
} satisfies Record<string, Place[]>;
type VenueId = keyof typeof VENUES;

interface TrueShow {
  venue: VenueId;
  day: Weekday;
  start: string;
  end: string | null;
  dj: string | null;
}
const night = (venue: VenueId, day: Weekday, start: string, end: string | null, dj: string | null): TrueShow => ({
  venue,
  day,
  start,
  end,
  dj,
});

/** The true shows, by id: one per venue, weekday and start. */
export const SHOWS = {
  "rusty-dayton-fri": night("rustyDayton", "friday", "21:00", "01:00", "DJ Max"),
  "rusty-dayton-wed": night("rustyDayton", "wednesday", "20:00", "00:00", "KJ Sarah"),
  "rusty-dayton-sun": night("rustyDayton", "sunday", "19:00", "23:00", "DJ Melody"),
  "rusty-columbus-fri": night("rustyColumbus", "friday", "21:00", "01:00", "KJ Jax"),
  "rusty-columbus-tue": night("rustyColumbus", "tuesday", "20:00", "00:00", "KJ Jax"),
  "blue-moon-toledo-thu": night("blueMoonToledo", "thursday", "21:00", "01:00", "DJ Sparkle"),
  "blue-moon-toledo-sat": night("blueMoonToledo", "saturday", "22:00", "02:00", "DJ Sparkle"),
  "blue-moon-akron-thu": night("blueMoonAkron", "thursday", "21:00", "01:00", "KJ Marco"),
  "oreillys-mon": night("oreillys", "monday", "20:00", "00:00", "KJ Lisa Marie"),
  "oreillys-wed": night("oreillys", "wednesday", "21:00", null, "DJ Hollywood Hank"),
  "oreillys-fri": night("oreillys", "friday", "22:00", "02:00", "DJ Hollywood Hank"),
  "murphys-tue": night("murphys", "tuesday", "21:00", "01:00", "DJ Tony Vox"),
  "murphys-thu": night("murphys", "thursday", "20:00", null, "KJ Dee Dee"),
  "murphys-sat": night("murphys", "saturday", "21:00", "01:00", "KJ Dee Dee"),
  "shooters-wed": night("shooters", "wednesday", "20:00", null, "DJ Rockin Rob"),
  "shooters-thu": night("shooters", "thursday", "20:00", "00:00", "DJ Rockin Rob"),
  "shooters-sat": night("shooters", "saturday", "20:00", "00:00", "DJ Rockin Rob"),
  "velvet-wed": night("velvet", "wednesday", "20:30", "00:30", "KJ Big Mike"),
  "velvet-sun-afternoon": night("velvet", "sunday", "14:00", "17:00", "KJ Big Mike"),
  "velvet-sun-evening": night("velvet", "sunday", "20:00", "00:00", "DJ Melody"),
  // Two images disagree on Thursday's start and none lists both: two shows, each flagged.
  "velvet-thu-2000": night("velvet", "thursday", "20:00", null, "KJ Big Mike"),
  "velvet-thu-2030": night("velvet", "thursday", "20:30", null, "KJ Big Mike"),
  "tipsy-tue": night("tipsy", "tuesday", "21:00", "01:00", "KJ Jax"),
  "tipsy-sat": night("tipsy", "saturday", "21:00", null, "KJ Jax"),
  "harbor-fri": night("harbor", "friday", "20:00", "00:00", "DJ Max"),
  "harbor-sat": night("harbor", "saturday", "21:00", null, "DJ Max"),
  "starlite-cincinnati-sat": night("starliteCincinnati", "saturday", "21:00", "01:00", "KJ Sarah"),
  "starlight-dayton-sat": night("starlightDayton", "saturday", "21:00", "01:00", "DJ Melody"),
  "lucky-illinois-wed": night("luckyIllinois", "wednesday", "21:00", null, "KJ Marco"),
  "lucky-missouri-wed": night("luckyMissouri", "wednesday", "21:00", null, "DJ Sparkle"),
  "copper-wed": night("copper", "wednesday", "22:00", "01:00", "KJ Lisa Marie"),
  "copper-fri": night("copper", "friday", "20:00", "00:00", "KJ Lisa Marie"),
  "copper-sun": night("copper", "sunday", "19:00", null, "DJ Tony Vox"),
  "sullys-mon": night("sullys", "monday", "20:00", null, "KJ Dee Dee"),
  "sullys-thu": night("sullys", "thursday", "21:00", null, "KJ Dee Dee"),
  "hideout-evansville-fri": night("hideoutEvansville", "friday", "21:00", null, "DJ Hollywood Hank"),
  "hideout-bloomington-fri": night("hideoutBloomington", "friday", "21:00", null, "KJ Marco"),
  "mockingbird-tue": night("mockingbird", "tuesday", "20:00", null, "DJ Sparkle"),
  "mockingbird-fri": night("mockingbird", "friday", "21:00", null, "DJ Sparkle"),
  "night-owl-fri-midnight": night("nightOwl", "friday", "00:00", "02:00", "DJ Max"),
  "night-owl-sat-evening": night("nightOwl", "saturday", "21:00", "23:30", "KJ Jax"),
  "night-owl-sat-midnight": night("nightOwl", "saturday", "00:00", "02:00", "DJ Max"),
  "big-easy-thu": night("bigEasy", "thursday", "20:00", "00:00", "KJ Big Mike"),
  "big-easy-fri": night("bigEasy", "friday", "21:00", "02:00", "KJ Big Mike"),
  "palm-fri": night("palm", "friday", "20:00", null, "KJ Sarah"),
  "palm-sun": night("palm", "sunday", "18:00", "22:00", "KJ Sarah"),
  "sunset-thu": night("sunset", "thursday", "20:00", null, "DJ Melody"),
  "local-tue": night("localHole", "tuesday", "20:00", null, "KJ Lisa Marie"),
  "local-sat": night("localHole", "saturday", "21:00", null, "KJ Lisa Marie"),
  "red-door-tue": night("redDoor", "tuesday", "19:30", null, "DJ Rockin Rob"),
} satisfies Record<string, TrueShow>;
export type ShowId = keyof typeof SHOWS;

/** A show as one image prints it: its venue printing (-1: the venue's name only, no venue listed) and what it reads differently. */
type Printed = [ShowId, number, Partial<Show>?];
interface Image {
  id: string;
  vendor: string | null;
  shows: Printed[];
  /** Aliases the image prints for a host. */
  aliases?: Record<string, string[]>;
}
const weekly = (id: string, vendor: string, shows: Printed[], aliases?: Record<string, string[]>): Image => ({
  id,
  vendor,
  shows,
  aliases,
});
const poster = (id: string, shows: Printed[]): Image => ({ id, vendor: null, shows });

const IMAGES: Image[] = [
  // Companies' weekly schedules, each printed twice (another week, another design).
  weekly("w01", "Mic Drop Productions", [
    ["rusty-dayton-fri", 0],
    ["rusty-dayton-wed", 0],
    ["oreillys-mon", 0],
    ["murphys-tue", 0],
    ["velvet-wed", 0],
  ]),
  weekly(
    "w02",
    "Starlight Karaoke Entertainment",
    [
      ["rusty-columbus-fri", 0],
      ["rusty-columbus-tue", 0],
      ["tipsy-tue", 0],
      ["murphys-sat", 0],
      ["oreillys-fri", 0],
    ],
    { "KJ Jax": ["Jackson"] },
  ),
  weekly("w03", "Sing It Loud Karaoke", [
    ["blue-moon-toledo-thu", 0],
    ["blue-moon-toledo-sat", 0],
    ["shooters-thu", 0],
    ["shooters-sat", 0],
    ["harbor-fri", 0],
  ]),
  weekly("w04", "Encore KJ Services", [
    ["copper-wed", 0],
    ["copper-fri", 0],
    ["big-easy-fri", 0],
    ["big-easy-thu", 0],
    ["mockingbird-tue", 0],
    ["local-sat", 0],
  ]),
  weekly("w05", "High Notes Karaoke", [
    ["sullys-thu", 0],
    ["sullys-mon", 0],
    ["red-door-tue", 0],
    ["hideout-evansville-fri", 0],
    ["lucky-illinois-wed", 0],
  ]),
  weekly("w06", "Golden Mic Entertainment", [
    ["starlite-cincinnati-sat", 0],
    ["starlight-dayton-sat", 0],
    ["blue-moon-akron-thu", 0],
    ["night-owl-sat-midnight", 0],
    ["night-owl-sat-evening", 0],
  ]),
  weekly("w07", "Night Owl Karaoke", [
    ["palm-sun", 0],
    ["sunset-thu", 0],
    ["palm-fri", 0],
    ["lucky-missouri-wed", 0],
    ["hideout-bloomington-fri", 0],
  ]),
  weekly("w08", "Center Stage Productions", [
    ["velvet-sun-afternoon", 0],
    ["velvet-sun-evening", 0],
    ["velvet-thu-2000", 0],
    ["oreillys-wed", 0],
    ["murphys-thu", 0],
  ]),
  weekly("w09", "Mic Drop Productions", [
    ["rusty-dayton-fri", 1, { djName: "Max", startTime: "9:00 PM" }],
    ["rusty-dayton-wed", 1],
    ["rusty-dayton-sun", 1],
    ["oreillys-mon", 1],
    ["murphys-tue", 1, { djName: "Tony Vox" }],
  ]),
  weekly("w10", "Starlight Karaoke Ent.", [
    ["rusty-columbus-fri", 1],
    ["rusty-columbus-tue", 1, { djName: "Jackson" }],
    ["tipsy-tue", 1],
    ["tipsy-sat", 1],
    ["oreillys-fri", 1],
  ]),
  weekly("w11", "SING IT LOUD KARAOKE", [
    ["blue-moon-toledo-thu", 1],
    ["blue-moon-toledo-sat", 1],
    ["shooters-thu", 2],
    ["shooters-wed", 2],
    ["harbor-sat", 1],
    ["harbor-fri", 1],
  ]),
  weekly("w12", "Encore KJ Services", [
    ["copper-wed", 1],
    ["copper-sun", 1],
    ["big-easy-fri", 1],
    ["mockingbird-tue", 1],
    ["mockingbird-fri", 1],
    ["local-tue", 1],
    ["local-sat", 1],
  ]),
  weekly("w13", "High Notes Karaoke", [
    ["sullys-thu", 1],
    ["sullys-mon", 1],
    ["red-door-tue", 1],
    ["hideout-evansville-fri", 1],
    ["lucky-illinois-wed", 1],
  ]),
  weekly("w14", "Golden Mic Entertainment", [
    ["starlite-cincinnati-sat", 1],
    ["starlight-dayton-sat", 1],
    ["blue-moon-akron-thu", 1],
    ["night-owl-sat-midnight", 1, { startTime: "Midnight" }],
    ["night-owl-fri-midnight", 1],
  ]),
  weekly("w15", "Night Owl Karaoke", [
    ["palm-sun", 1],
    ["sunset-thu", 1],
    ["palm-fri", 1],
    ["lucky-missouri-wed", 1],
    ["hideout-bloomington-fri", 1],
  ]),
  weekly("w16", "Center Stage Productions", [
    ["velvet-sun-afternoon", 1],
    ["velvet-sun-evening", 1],
    ["velvet-thu-2030", 1],
    ["oreillys-wed", 1],
    ["murphys-thu", 1],
  ]),

  // Venues' own posters: one venue, its nights.
  poster("p01", [
    ["rusty-dayton-fri", 0, { djName: "KJ Sarah" }],
    ["rusty-dayton-sun", 0],
  ]),
  poster("p02", [
    ["rusty-dayton-fri", 2],
    ["rusty-dayton-wed", 2],
  ]),
  poster("p03", [
    ["rusty-dayton-fri", 3],
    ["rusty-dayton-sun", 3, { djName: "Melody" }],
  ]),
  poster("p04", [
    ["rusty-columbus-fri", 2],
    ["rusty-columbus-tue", 2],
  ]),
  poster("p05", [
    ["oreillys-mon", 2],
    ["oreillys-fri", 2],
    ["oreillys-wed", 2],
  ]),
  poster("p06", [
    ["oreillys-fri", 3, { djName: "Hollywood Hank" }],
    ["oreillys-wed", 3],
  ]),
  poster("p07", [
    ["murphys-tue", 2, { djName: "KJ Tony Vox" }],
    ["murphys-sat", 2],
    ["murphys-thu", 2],
  ]),
  poster("p08", [
    ["shooters-thu", 1],
    ["shooters-sat", 1],
    ["shooters-wed", 1],
  ]),
  poster("p09", [
    ["velvet-wed", 1],
    ["velvet-sun-afternoon", 1],
    ["velvet-sun-evening", 1],
  ]),
  poster("p10", [
    ["tipsy-tue", 0, { startTime: null, endTime: null }],
    ["tipsy-sat", 0],
  ]),
  poster("p11", [
    ["harbor-fri", 1],
    ["harbor-sat", 1],
  ]),
  poster("p12", [
    ["big-easy-fri", 1],
    ["big-easy-thu", 1],
  ]),
  poster("p13", [
    ["night-owl-sat-evening", 1],
    ["night-owl-sat-midnight", 1, { startTime: "12am" }],
    ["night-owl-fri-midnight", 1],
  ]),
  poster("p14", [
    ["blue-moon-toledo-thu", 2],
    ["blue-moon-toledo-sat", 2],
  ]),
  poster("p15", [["blue-moon-akron-thu", 0]]),
  poster("p16", [
    ["copper-wed", 0],
    ["copper-fri", 0],
    ["copper-sun", 0],
  ]),
  poster("p17", [
    ["sullys-thu", 2],
    ["sullys-mon", 2],
  ]),
  poster("p18", [
    ["mockingbird-tue", 0],
    ["mockingbird-fri", 0],
  ]),
  poster("p19", [
    ["local-sat", 1],
    ["local-tue", 1],
  ]),
  poster("p20", [
    ["palm-sun", 0],
    ["palm-fri", 0],
  ]),
  poster("p21", [["sunset-thu", 1]]),
  poster("p22", [["red-door-tue", 1]]),
  poster("p23", [["starlite-cincinnati-sat", 0]]),
  poster("p24", [["starlight-dayton-sat", 1]]),
  poster("p25", [["lucky-missouri-wed", 0]]),
  poster("p26", [["lucky-illinois-wed", 0]]),
  poster("p27", [["hideout-bloomington-fri", 1]]),
  poster("p28", [["hideout-evansville-fri", 1]]),

  // Social media posts: a few nights, often with less of the venue.
  poster("s01", [
    ["tipsy-tue", -1],
    ["tipsy-sat", -1],
  ]),
  poster("s02", [["shooters-sat", 1, { djName: "Rockin Rob" }]]),
  poster("s03", [["big-easy-fri", 0, { endTime: "2am" }]]),
  poster("s04", [
    ["murphys-tue", 1],
    ["murphys-sat", 1],
  ]),
  poster("s05", [["oreillys-mon", 1]]),
  poster("s06", [
    ["rusty-dayton-fri", 1],
    ["rusty-dayton-wed", 1],
  ]),
  poster("s07", [
    ["velvet-sun-evening", 0],
    ["velvet-wed", 0],
  ]),
  poster("s08", [
    ["copper-wed", 1],
    ["copper-fri", 1],
  ]),
  poster("s09", [["sunset-thu", 0]]),
  poster("s10", [["palm-sun", 1]]),
  poster("s11", [["red-door-tue", 0]]),
  poster("s12", [["lucky-illinois-wed", 1]]),
  poster("s13", [["lucky-missouri-wed", 1]]),
  poster("s14", [["hideout-evansville-fri", 0]]),
  poster("s15", [["hideout-bloomington-fri", 0]]),
  poster("s16", [
    ["rusty-dayton-sun", 4],
    ["rusty-dayton-wed", 4],
  ]),
];

export interface LabelledRecord {
  /** Unique per record; also the show's description, so a merged show tells which records it holds. */
  id: string;
  image: string;
  truth: ShowId;
  show: Show;
  /** The venue as its image lists it; null when the image names the venue only. */
  venue: Place | null;
}

/** Readers are not equally sure of every line: a spread of confidences, fixed by the record. */
const confidenceOf = (id: string) => 0.7 + ([...id].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 29) / 100;

export const RECORDS: LabelledRecord[] = IMAGES.flatMap((image) =>
  image.shows.map(([truth, printing, reads], i): LabelledRecord => {
    const s: TrueShow = SHOWS[truth];
    const venue = printing < 0 ? null : (VENUES[s.venue][printing] ?? null);
    const id = `${image.id}-${i + 1}`;
    const show: Show = {
      venueName: venue?.name ?? VENUES[s.venue][0]?.name ?? s.venue,
      dayOfWeek: s.day,
      startTime: s.start,
      endTime: s.end,
      date: null,
      djName: s.dj,
      vendor: image.vendor,
      description: id,
      confidence: confidenceOf(id),
      ...reads,
    };
    return { id, image: image.id, truth, show, venue };
  }),
);

/** The images' extractions: each image's shows, the venues it lists, its hosts and its company. */
export function sourcesOf(records: LabelledRecord[]): SourceExtraction[] {
  const images = [...new Set(records.map((r) => r.image))];
  return images.map((imageId, n): SourceExtraction => {
    const own = records.filter((r) => r.image === imageId);
    const image = IMAGES.find((i) => i.id === imageId);
    const confidence = 0.9;
    const venues: Venue[] = [...new Set(own.flatMap((r) => (r.venue ? [r.venue] : [])))].map((v) => ({ ...v, website: null, confidence }));
    const djs: Dj[] = [...new Set(own.flatMap((r) => (r.show.djName ? [r.show.djName] : [])))].map((name) => ({
      name,
      aliases: image?.aliases?.[name] ?? [],
      socialHandles: [],
      confidence,
    }));
    const vendors: Vendor[] = image?.vendor ? [{ name: image.vendor, website: null, description: null, confidence }] : [];
    return { imageId, attemptId: n + 1, extraction: { shows: own.map((r) => r.show), venues, djs, vendors } };
  });
}
