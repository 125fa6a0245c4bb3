import { describe, expect, it } from "vitest";
import { mergeExtractions, type SourceExtraction } from "./merge";
import type { Dj, Extraction, Show, Vendor, Venue } from "./schema";

const show = (over: Partial<Show> = {}): Show => ({
  venueName: "The Rusty Nail",
  dayOfWeek: "friday",
  startTime: "21:00",
  endTime: null,
  date: null,
  djName: null,
  vendor: null,
  description: null,
  confidence: 0.8,
  ...over,
});

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

const image = (imageId: string, parts: Partial<Extraction>): SourceExtraction => ({
  imageId,
  attemptId: null,
  extraction: { shows: [], venues: [], djs: [], vendors: [], ...parts },
});

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
