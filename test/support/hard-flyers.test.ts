import { createHash } from "node:crypto";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { DAMAGES, generateHardFlyers, WORDINGS, type HardFlyer } from "./hard-flyers";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

let flyers: HardFlyer[];

beforeAll(async () => {
  flyers = await generateHardFlyers(42, 3);
});

describe("generateHardFlyers", () => {
  it("is deterministic for a seed", async () => {
    const again = await generateHardFlyers(7, 3);
    expect(again.map((f) => sha(f.bytes))).toEqual(flyers.slice(0, 7).map((f) => sha(f.bytes)));
    expect(again.map((f) => f.truth)).toEqual(flyers.slice(0, 7).map((f) => f.truth));
  });

  it("tags every image with its damage, layout and wordings, covering every damage in every layout and every wording", () => {
    const pairs = new Set(flyers.map((f) => `${f.damage}|${f.layout}`));
    expect(pairs.size).toBe(DAMAGES.length * 3);
    expect(new Set(flyers.flatMap((f) => f.wordings))).toEqual(new Set(WORDINGS));
    for (const f of flyers) expect(f.name).toBe(`${f.name.slice(0, 3)}-${f.layout}-${f.damage}.${f.format === "jpeg" ? "jpg" : "png"}`);
    expect(flyers.filter((f) => f.layout === "poster").flatMap((f) => f.wordings)).not.toContain("multi-venue");
  });

  it("writes the truth the wording implies: a show per day of a range, no end for 'till close', no host beside several venues", () => {
    for (const f of flyers) {
      expect(f.truth.shows.length).toBeGreaterThan(0);
      for (const s of f.truth.shows) {
        expect(s.startTime).toMatch(HHMM);
        if (s.endTime !== null) expect(s.endTime).toMatch(HHMM);
        expect(s.vendor).toBe(f.truth.vendor);
      }
      const ids = f.truth.shows.map((s) => `${s.venue}|${s.dayOfWeek}`);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const ranged = flyers.filter((f) => f.wordings.includes("ranges"));
    expect(ranged.some((f) => f.truth.shows.some((s, i, all) => all.findIndex((o) => o.venue === s.venue) !== i))).toBe(true);
    expect(flyers.filter((f) => f.wordings.includes("close")).every((f) => f.truth.shows.some((s) => s.endTime === null))).toBe(true);
    const multi = flyers.filter((f) => f.wordings.includes("multi-venue"));
    expect(multi.every((f) => f.truth.shows.some((s) => s.djName === null && s.address === null))).toBe(true);
    const bare = flyers.filter((f) => f.wordings.includes("bare-time"));
    expect(bare.flatMap((f) => f.truth.shows).every((s) => (s.startTime ?? "") >= "19:00")).toBe(true);
  });

  it("shrinks thumbnails to 480-600 px, shows the flyer small on a backdrop, and decodes every image in its format", async () => {
    for (const f of flyers) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.format, f.name).toBe(f.format);
      if (f.damage === "thumbnail") {
        expect(meta.width).toBeGreaterThanOrEqual(480);
        expect(meta.width).toBeLessThanOrEqual(600);
      }
      if (f.damage === "backdrop") expect(meta.width).toBeGreaterThanOrEqual(1400);
      if (f.damage === "photo") expect(f.format).toBe("jpeg");
    }
  });
});
