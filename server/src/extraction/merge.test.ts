import { describe, expect, it } from "vitest";
import { showOf } from "../../../test/support/extractions";
import { mergeExtractions, type SourceExtraction } from "./merge";
import type { Dj, Extraction, Show, Vendor, Venue } from "./schema";

const show = (over: Partial<Show> = {}): Show => showOf({ confidence: 0.8, ...over });

const venue = (over: Partial<Venue> = {}): Venue => ({
  name: "The Rusty Nail",
  address: null,
  city: null,
  state: null,
  zip: null,
  phone: null,
  website: null,
  confidence: 0.8,
  ...over,
});

const dj = (over: Partial<Dj> = {}): Dj => ({ name: "DJ Mike", aliases: [], socialHandles: [], confidence: 0.8, ...over });
const vendor = (over: Partial<Vendor> = {}): Vendor => ({
  name: "Star Karaoke",
  website: null,
  description: null,
  confidence: 0.8,
  ...over,
});

const image = (imageId: string, parts: Partial<Extraction>, attemptId: number | null = null): SourceExtraction => ({
  imageId,
  attemptId,
  extraction: { shows: [], venues: [], djs: [], vendors: [], ...parts },
});

const dayton = { address: "822 Main St", city: "Dayton", state: "OH", zip: "45402", phone: "(937) 555-0178" };
const columbus = { address: "45 Oak Ave", city: "Columbus", state: "OH", zip: "43215", phone: "(614) 555-0101" };

describe("mergeExtractions: shows", () => {
  it("returns empty lists for no input", () => {
    expect(mergeExtractions([])).toEqual({ shows: [], venues: [], djs: [], vendors: [] });
  });

  it("merges the same show read from two images into one that names both sources", () => {
    const { shows } = mergeExtractions([image("img-a", { shows: [show()] }), image("img-b", { shows: [show()] })]);
    expect(shows).toHaveLength(1);
    expect(shows[0]!.sources).toEqual(["img-a", "img-b"]);
    expect(shows[0]!.conflicts).toEqual({});
  });

  it("does not list an image twice when it repeats the same show", () => {
    const { shows } = mergeExtractions([image("img-a", { shows: [show(), show()] })]);
    expect(shows).toHaveLength(1);
    expect(shows[0]!.sources).toEqual(["img-a"]);
  });

  it("fills fields one image lacks from the other, without recording a conflict", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ endTime: null, djName: "DJ Mike", vendor: null })] }),
      image("img-b", { shows: [show({ endTime: "23:00", djName: null, vendor: "Star Karaoke" })] }),
    ]);
    expect(shows).toHaveLength(1);
    const merged = shows[0]!;
    expect(merged.endTime).toBe("23:00");
    expect(merged.djName).toBe("DJ Mike");
    expect(merged.vendor).toBe("Star Karaoke");
    expect(merged.conflicts).toEqual({});
  });

  it("a null in a later image never erases a value from an earlier one", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ endTime: "23:00", djName: "DJ Mike", confidence: 0.5 })] }),
      image("img-b", { shows: [show({ endTime: null, djName: null, confidence: 0.99 })] }),
    ]);
    expect(shows[0]!.endTime).toBe("23:00");
    expect(shows[0]!.djName).toBe("DJ Mike");
    expect(shows[0]!.confidence).toBe(0.99);
  });

  it("keeps the more confident value when images disagree and records every distinct value", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Mike", confidence: 0.6 })] }),
      image("img-b", { shows: [show({ djName: "KJ Sarah", confidence: 0.9 })] }),
      image("img-c", { shows: [show({ djName: "DJ Tony", confidence: 0.7 })] }),
    ]);
    expect(shows).toHaveLength(1);
    const merged = shows[0]!;
    expect(merged.djName).toBe("KJ Sarah");
    expect(merged.confidence).toBe(0.9);
    expect(merged.sources).toEqual(["img-a", "img-b", "img-c"]);
    expect(new Set(merged.conflicts.djName)).toEqual(new Set(["DJ Mike", "KJ Sarah", "DJ Tony"]));
    expect(merged.conflicts.djName).toHaveLength(3);
  });

  it("keeps the earlier value when the disagreeing one is less confident", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ endTime: "23:00", confidence: 0.9 })] }),
      image("img-b", { shows: [show({ endTime: "01:00", confidence: 0.4 })] }),
    ]);
    expect(shows[0]!.endTime).toBe("23:00");
    expect(shows[0]!.conflicts.endTime).toEqual(["23:00", "01:00"]);
    expect(shows[0]!.confidence).toBe(0.9);
  });

  it("lists the kept value first in a conflict (as Provenance.conflicts documents), also when the later image wins", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Mike", confidence: 0.5 })] }),
      image("img-b", { shows: [show({ djName: "KJ Sarah", confidence: 0.9 })] }),
    ]);
    expect(shows[0]!.djName).toBe("KJ Sarah");
    expect(shows[0]!.conflicts.djName![0]).toBe("KJ Sarah");
  });

  it("does not record a conflict for values that differ only in spelling", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Mike", confidence: 0.5 })] }),
      image("img-b", { shows: [show({ djName: "dj mike!", confidence: 0.9 })] }),
    ]);
    expect(shows[0]!.conflicts).toEqual({});
    expect(shows[0]!.djName).toBe("DJ Mike");
  });

  it("does not repeat a value in a conflict list when a third image repeats it", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Mike", confidence: 0.5 })] }),
      image("img-b", { shows: [show({ djName: "KJ Sarah", confidence: 0.4 })] }),
      image("img-c", { shows: [show({ djName: "kj sarah", confidence: 0.3 })] }),
    ]);
    expect(shows[0]!.conflicts.djName).toHaveLength(2);
  });

  it("treats differently spelled venue names as the same venue", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "The Rusty Nail" })] }),
      image("img-b", { shows: [show({ venueName: "rusty nail" })] }),
      image("img-c", { shows: [show({ venueName: "Rusty Nail!" })] }),
    ]);
    expect(shows).toHaveLength(1);
    expect(shows[0]!.sources).toEqual(["img-a", "img-b", "img-c"]);
    expect(shows[0]!.venueName).toBe("The Rusty Nail");
    expect(shows[0]!.conflicts).toEqual({});
  });

  it("keeps different venues apart", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "The Rusty Nail" })] }),
      image("img-b", { shows: [show({ venueName: "The Rusty Anchor" })] }),
    ]);
    expect(shows).toHaveLength(2);
  });

  it("makes two shows of the same venue on different weekdays", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ dayOfWeek: "friday" })] }),
      image("img-b", { shows: [show({ dayOfWeek: "saturday" })] }),
    ]);
    expect(shows.map((s) => s.dayOfWeek)).toEqual(["friday", "saturday"]);
    expect(shows.map((s) => s.sources)).toEqual([["img-a"], ["img-b"]]);
  });

  it("makes two shows of the same venue and day at different start times", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "14:00" })] }),
      image("img-b", { shows: [show({ startTime: "21:00" })] }),
    ]);
    expect(shows).toHaveLength(2);
  });

  it('treats "07:30" and "7:30" as the same start', () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "07:30" })] }),
      image("img-b", { shows: [show({ startTime: "7:30" })] }),
    ]);
    expect(shows).toHaveLength(1);
    expect(shows[0]!.sources).toEqual(["img-a", "img-b"]);
    expect(shows[0]!.key).toBe("rusty nail|friday|07:30");
  });

  it('does not report "07:30" vs "7:30" as a startTime conflict', () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "07:30" })] }),
      image("img-b", { shows: [show({ startTime: "7:30" })] }),
    ]);
    expect(shows[0]!.conflicts).toEqual({});
  });

  it("joins the venue's address fields onto its shows, matching names loosely", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "Rusty Nail!" })] }),
      image("img-b", {
        venues: [
          venue({ name: "The Rusty Nail", address: "12 Main St", city: "Springfield", state: "IL", zip: "62701", phone: "555-0100" }),
        ],
      }),
    ]);
    expect(shows[0]).toMatchObject({ address: "12 Main St", city: "Springfield", state: "IL", zip: "62701", phone: "555-0100" });
  });

  it("leaves address fields null for a show whose venue is unknown", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "Elsewhere" })], venues: [venue({ address: "12 Main St" })] }),
    ]);
    expect(shows[0]).toMatchObject({ address: null, city: null, state: null, zip: null, phone: null });
  });

  it("sorts shows monday to sunday, then by start time", () => {
    const { shows } = mergeExtractions([
      image("img-a", {
        shows: [
          show({ venueName: "A", dayOfWeek: "sunday", startTime: "20:00" }),
          show({ venueName: "B", dayOfWeek: "monday", startTime: "21:00" }),
          show({ venueName: "C", dayOfWeek: "wednesday", startTime: "19:00" }),
          show({ venueName: "D", dayOfWeek: "monday", startTime: "09:00" }),
          show({ venueName: "E", dayOfWeek: "saturday", startTime: "22:00" }),
          show({ venueName: "F", dayOfWeek: "tuesday", startTime: "20:00" }),
          show({ venueName: "G", dayOfWeek: "thursday", startTime: "20:00" }),
          show({ venueName: "H", dayOfWeek: "friday", startTime: "20:00" }),
        ],
      }),
    ]);
    expect(shows.map((s) => s.venueName)).toEqual(["D", "B", "F", "C", "G", "H", "E", "A"]);
  });

  it("does not modify its input", () => {
    const input = [
      image("img-a", { shows: [show({ djName: "DJ Mike", confidence: 0.4 })] }),
      image("img-b", { shows: [show({ djName: "KJ Sarah", confidence: 0.9 })] }),
    ];
    const copy = structuredClone(input);
    mergeExtractions(input);
    expect(input).toEqual(copy);
  });
});

describe("mergeExtractions: venues, djs, vendors", () => {
  it("merges venues by loose name and fills missing address parts", () => {
    const { venues } = mergeExtractions([
      image("img-a", { venues: [venue({ name: "The Rusty Nail", address: "12 Main St", city: null })] }),
      image("img-b", { venues: [venue({ name: "rusty nail", address: null, city: "Springfield", phone: "555-0100" })] }),
    ]);
    expect(venues).toHaveLength(1);
    expect(venues[0]).toMatchObject({
      name: "The Rusty Nail",
      address: "12 Main St",
      city: "Springfield",
      phone: "555-0100",
      sources: ["img-a", "img-b"],
    });
    expect(venues[0]!.conflicts).toEqual({});
  });

  it("records a disagreeing venue address", () => {
    const { venues } = mergeExtractions([
      image("img-a", { venues: [venue({ address: "12 Main St", confidence: 0.9 })] }),
      image("img-b", { venues: [venue({ address: "99 Oak Ave", confidence: 0.3 })] }),
    ]);
    expect(venues[0]!.address).toBe("12 Main St");
    expect(venues[0]!.conflicts.address).toEqual(["12 Main St", "99 Oak Ave"]);
  });

  it("unions DJ aliases and social handles without duplicates", () => {
    const { djs } = mergeExtractions([
      image("img-a", { djs: [dj({ name: "DJ Mike", aliases: ["Mikey"], socialHandles: ["@djmike"] })] }),
      image("img-b", { djs: [dj({ name: "dj mike", aliases: ["Mikey", "The Mic"], socialHandles: ["fb.com/djmike"] })] }),
    ]);
    expect(djs).toHaveLength(1);
    expect(djs[0]!.name).toBe("DJ Mike");
    expect([...djs[0]!.aliases].sort()).toEqual(["Mikey", "The Mic"]);
    expect([...djs[0]!.socialHandles].sort()).toEqual(["@djmike", "fb.com/djmike"]);
    expect(djs[0]!.sources).toEqual(["img-a", "img-b"]);
    expect(djs[0]!.conflicts).toEqual({});
  });

  it("keeps different DJs apart", () => {
    const { djs } = mergeExtractions([image("img-a", { djs: [dj({ name: "DJ Mike" }), dj({ name: "KJ Sarah" })] })]);
    expect(djs.map((d) => d.name)).toEqual(["DJ Mike", "KJ Sarah"]);
  });

  it("merges vendors by loose name", () => {
    const { vendors } = mergeExtractions([
      image("img-a", { vendors: [vendor({ name: "Star Karaoke", website: null })] }),
      image("img-b", { vendors: [vendor({ name: "STAR KARAOKE", website: "https://star.example" })] }),
    ]);
    expect(vendors).toHaveLength(1);
    expect(vendors[0]).toMatchObject({
      name: "Star Karaoke",
      website: "https://star.example",
      sources: ["img-a", "img-b"],
      key: "star karaoke",
    });
  });
});

describe("mergeExtractions: provenance and order", () => {
  it("records every image and attempt once, in a fixed order", () => {
    const { shows } = mergeExtractions([
      image("img-b", { shows: [show()] }, 7),
      image("img-a", { shows: [show(), show()] }, 3),
      image("img-c", { shows: [show()] }),
    ]);
    expect(shows[0]).toMatchObject({ sources: ["img-a", "img-b", "img-c"], attempts: [3, 7] });
  });

  it("gives the same keys, values and order for the same images in any order", () => {
    const input = [
      image(
        "img-a",
        { shows: [show({ djName: "DJ Max" }), show({ dayOfWeek: "monday", venueName: "Rusty Nail" })], venues: [venue(dayton)] },
        1,
      ),
      image(
        "img-b",
        { shows: [show({ djName: "KJ Sarah", venueName: "Rusty Nail" })], venues: [venue({ ...columbus, name: "Rusty Nail" })] },
        2,
      ),
      image("img-c", { shows: [show({ djName: "Max" })], djs: [dj({ name: "Max" })], vendors: [vendor()] }, 3),
      image(
        "img-d",
        { shows: [show({ startTime: "20:00" })], djs: [dj({ name: "DJ Max" })], vendors: [vendor({ name: "STAR KARAOKE" })] },
        4,
      ),
    ];
    const expected = mergeExtractions(input);
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ])
      expect(mergeExtractions(order.map((i) => input[i]!))).toEqual(expected);
    const keys = expected.shows.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("mergeExtractions: fuzzy identity", () => {
  it("joins spellings of a venue: &/and, a leading The, apostrophes", () => {
    const { venues } = mergeExtractions([
      image("img-a", { venues: [venue({ name: "Blue Moon Bar & Grill", address: "37 Elm Street" })] }),
      image("img-b", { venues: [venue({ name: "The Blue Moon Bar and Grill", address: "37 Elm St", zip: "43604" })] }),
      image("img-c", { venues: [venue({ name: "O'Reilly's Tavern" })] }),
      image("img-d", { venues: [venue({ name: "OReillys Tavern" })] }),
    ]);
    expect(venues.map((v) => v.name)).toEqual(["The Blue Moon Bar and Grill", "O'Reilly's Tavern"]);
    expect(venues[0]).toMatchObject({ zip: "43604", conflicts: {} });
  });

  it("joins a shortened name at the same street, keeping the fuller name and the other as a conflict", () => {
    const { venues } = mergeExtractions([
      image("img-a", { venues: [venue({ name: "Murphy's Pub", address: "2201 N High St", city: "Columbus" })] }),
      image("img-b", { venues: [venue({ name: "Murphy's", address: "2201 North High Street", city: null })] }),
    ]);
    expect(venues).toHaveLength(1);
    expect(venues[0]).toMatchObject({ name: "Murphy's Pub", address: "2201 North High Street", city: "Columbus" });
    expect(venues[0]!.conflicts).toEqual({ name: ["Murphy's Pub", "Murphy's"] });
  });

  it("keeps venues with the same or a similar name in different cities apart, and their shows too", () => {
    const { venues, shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "The Rusty Nail" })], venues: [venue({ name: "The Rusty Nail", ...dayton })] }),
      image("img-b", { shows: [show({ venueName: "Rusty Nail" })], venues: [venue({ name: "Rusty Nail", ...columbus })] }),
      image("img-c", { shows: [show({ venueName: "Rusty Nails" })], venues: [venue({ name: "Rusty Nails", city: "Toledo" })] }),
    ]);
    expect(venues.map((v) => v.city).sort()).toEqual(["Columbus", "Dayton", "Toledo"]);
    expect(shows.map((s) => s.city).sort()).toEqual(["Columbus", "Dayton", "Toledo"]);
    expect(new Set(venues.map((v) => v.key)).size).toBe(3);
    expect(shows.every((s) => s.conflicts.startTime === undefined)).toBe(true);
  });

  it("does not give a bare name that two venues share to either of them", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ dayOfWeek: "monday" })], venues: [venue(dayton)] }),
      image("img-b", { shows: [show({ dayOfWeek: "tuesday" })], venues: [venue(columbus)] }),
      image("img-c", { shows: [show({ dayOfWeek: "monday" })] }),
    ]);
    expect(shows).toHaveLength(3);
    expect(shows.find((s) => s.sources.includes("img-c"))).toMatchObject({ city: null });
  });

  it("gives a show its image's venue details, with and without ZIP", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Max" })], venues: [venue({ ...dayton, zip: null, phone: null })] }),
      image("img-b", {
        shows: [show({ venueName: "Rusty Nail" })],
        venues: [venue({ name: "Rusty Nail", ...dayton, address: "822 Main Street" })],
      }),
    ]);
    expect(shows).toHaveLength(1);
    expect(shows[0]).toMatchObject({ city: "Dayton", zip: "45402", phone: "(937) 555-0178", sources: ["img-a", "img-b"] });
  });

  it("takes the host with and without a title for one, and keeps the other spelling as an alias", () => {
    const { shows, djs } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Max" })], djs: [dj({ name: "DJ Max" })] }),
      image("img-b", { shows: [show({ djName: "Max" })], djs: [dj({ name: "Max", aliases: ["Maximum"] })] }),
      image("img-c", { shows: [show({ djName: "KJ Max" })] }),
    ]);
    expect(djs).toHaveLength(1);
    expect(djs[0]).toMatchObject({ name: "DJ Max", key: "max" });
    expect([...djs[0]!.aliases].sort()).toEqual(["Max", "Maximum"]);
    expect(shows[0]!.conflicts).toEqual({});
  });

  it("takes a host's alias in a show for the same host", () => {
    const { shows, djs } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "KJ Jax" })], djs: [dj({ name: "KJ Jax", aliases: ["Jackson"] })] }),
      image("img-b", { shows: [show({ djName: "Jackson" })], djs: [dj({ name: "Jackson" })] }),
    ]);
    expect(djs).toHaveLength(1);
    expect(shows[0]!.conflicts).toEqual({});
  });
});

describe("mergeExtractions: voting", () => {
  it("keeps the value most images agree on over a more confident lone reading", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "DJ Max", confidence: 0.6 })] }),
      image("img-b", { shows: [show({ djName: "Max", confidence: 0.6 })] }),
      image("img-c", { shows: [show({ djName: "KJ Sarah", confidence: 0.95 })] }),
    ]);
    expect(shows[0]!.djName).toBe("DJ Max");
    expect(shows[0]!.conflicts.djName).toEqual(["DJ Max", "KJ Sarah"]);
  });

  it("counts an image once however often it repeats a value", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ djName: "KJ Sarah", confidence: 0.5 }), show({ djName: "KJ Sarah", confidence: 0.5 })] }),
      image("img-b", { shows: [show({ djName: "DJ Max", confidence: 0.9 })] }),
    ]);
    expect(shows[0]!.djName).toBe("DJ Max");
  });

  it("prefers the mixed-case spelling to a heading in capitals", () => {
    const { venues } = mergeExtractions([
      image("img-a", { venues: [venue({ name: "THE RUSTY NAIL", confidence: 0.9 })] }),
      image("img-b", { venues: [venue({ name: "The Rusty Nail", confidence: 0.5 })] }),
    ]);
    expect(venues[0]!.name).toBe("The Rusty Nail");
  });
});

describe("mergeExtractions: start times", () => {
  it("folds a show read without a start into the one timed show there", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: null, djName: "DJ Max" })] }),
      image("img-b", { shows: [show({ startTime: "21:00" })] }),
    ]);
    expect(shows).toHaveLength(1);
    expect(shows[0]).toMatchObject({ startTime: "21:00", djName: "DJ Max", sources: ["img-a", "img-b"], key: "rusty nail|friday|21:00" });
  });

  it("keeps a show without a start apart when there are two timed ones", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "14:00" }), show({ startTime: "21:00" })] }),
      image("img-b", { shows: [show({ startTime: null })] }),
    ]);
    expect(shows.map((s) => s.key)).toEqual(["rusty nail|friday|", "rusty nail|friday|14:00", "rusty nail|friday|21:00"]);
  });

  it("records the other time on both when images disagree on a show's start", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "20:00" })] }),
      image("img-b", { shows: [show({ startTime: "21:00" })] }),
    ]);
    expect(shows.map((s) => s.conflicts.startTime)).toEqual([
      ["20:00", "21:00"],
      ["21:00", "20:00"],
    ]);
  });

  it("records no conflict for a two-show night that one image lists", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ startTime: "14:00" }), show({ startTime: "21:00" })] }),
      image("img-b", { shows: [show({ startTime: "21:00" })] }),
    ]);
    expect(shows.map((s) => s.conflicts)).toEqual([{}, {}]);
  });

  it("lists a show starting at midnight after the evening's shows", () => {
    const { shows } = mergeExtractions([
      image("img-a", { shows: [show({ venueName: "Night Owl", startTime: "00:00", endTime: "02:00" }), show({ startTime: "21:00" })] }),
    ]);
    expect(shows.map((s) => s.startTime)).toEqual(["21:00", "00:00"]);
  });
});
