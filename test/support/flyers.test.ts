import { createHash } from "node:crypto";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { extractionSchema } from "../../server/src/extraction/schema";
import { extractionFromTruth, generateFlyers, type Flyer } from "./flyers";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

let flyers: Flyer[];
let generationMs: number;

beforeAll(async () => {
  const started = performance.now();
  flyers = await generateFlyers();
  generationMs = performance.now() - started;
});

describe("generateFlyers", () => {
  it("is fast and deterministic for a seed, and differs across seeds", async () => {
    expect(generationMs).toBeLessThan(3000);
    const again = await generateFlyers(15, 1);
    expect(again.map((f) => sha(f.bytes))).toEqual(flyers.map((f) => sha(f.bytes)));
    expect(again.map((f) => f.truth)).toEqual(flyers.map((f) => f.truth));
    const other = await generateFlyers(3, 2);
    expect(other.map((f) => f.truth)).not.toEqual(flyers.slice(0, 3).map((f) => f.truth));
  });

  it("makes 15 distinct flyers over three layouts and both formats", () => {
    expect(flyers).toHaveLength(15);
    expect(new Set(flyers.map((f) => f.name)).size).toBe(15);
    expect(new Set(flyers.map((f) => sha(f.bytes))).size).toBe(15);
    for (const layout of ["weekly", "poster", "social"]) expect(flyers.filter((f) => f.layout === layout)).toHaveLength(5);
    expect(new Set(flyers.map((f) => f.format))).toEqual(new Set(["png", "jpeg"]));
    const shows = flyers.flatMap((f) => f.truth.shows.map((s) => `${s.venue}|${s.dayOfWeek}`));
    expect(new Set(shows).size).toBe(shows.length);
  });

  it("follows each layout's shape and prints 24-hour truth times", () => {
    for (const f of flyers) {
      expect(f.name).toMatch(new RegExp(`^\\d{3}-${f.layout}\\.${f.format === "jpeg" ? "jpg" : "png"}$`));
      const venues = new Set(f.truth.shows.map((s) => s.venue));
      if (f.layout === "weekly") {
        expect(f.truth.shows.length).toBeGreaterThanOrEqual(4);
        expect(f.truth.shows.length).toBeLessThanOrEqual(7);
        expect(venues.size).toBe(f.truth.shows.length);
      }
      if (f.layout === "poster") {
        expect([1, 2]).toContain(f.truth.shows.length);
        expect(venues.size).toBe(1);
      }
      for (const s of f.truth.shows) {
        expect(s.startTime).toMatch(HHMM);
        expect(s.endTime).toMatch(HHMM);
        expect(s.vendor).toBe(f.truth.vendor);
      }
    }
  });

  it("encodes decodable images of flyer size in the named format", async () => {
    for (const f of flyers) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.format).toBe(f.format);
      expect(meta.width).toBeGreaterThanOrEqual(1000);
      expect(meta.width).toBeLessThanOrEqual(1080);
      expect(meta.height).toBeGreaterThanOrEqual(700);
      expect(meta.height).toBeLessThanOrEqual(1400);
    }
  });
});

describe("extractionFromTruth", () => {
  it("gives a valid extraction with a row per show and each venue, DJ and vendor once", () => {
    for (const f of flyers) {
      const extraction = extractionSchema.parse(extractionFromTruth(f.truth));
      expect(extraction.shows).toHaveLength(f.truth.shows.length);
      expect(extraction.venues.map((v) => v.name).sort()).toEqual([...new Set(f.truth.shows.map((s) => s.venue))].sort());
      expect(extraction.vendors.map((v) => v.name)).toEqual(f.truth.vendor ? [f.truth.vendor] : []);
      expect(new Set(extraction.djs.map((d) => d.name)).size).toBe(extraction.djs.length);
      expect(extraction.shows.every((s) => s.confidence === 0.95)).toBe(true);
    }
  });

  it("keeps the printed fields of a venue", () => {
    const poster = flyers.find((f) => f.layout === "poster")!;
    const [show] = poster.truth.shows;
    const [venue] = extractionFromTruth(poster.truth).venues;
    expect(venue).toMatchObject({ name: show?.venue, address: show?.address, zip: show?.zip, phone: show?.phone, website: null });
    expect(venue?.zip).not.toBeNull();
  });
});
