import { describe, expect, it } from "vitest";
import { generateFlyers } from "../../../test/support/flyers";
import { distinctImages, reshared } from "../../../test/support/images";
import { MAX_COLOUR_DIFFERENCE, MAX_GREY_DIFFERENCE } from "../pipeline/cache";
import { FINGERPRINT_DIGITS, fingerprintDistance } from "./fingerprint";
import { prepareImage, type PreparedBytes } from "./prepare";

async function prepared(bytes: Buffer): Promise<PreparedBytes> {
  const output = await prepareImage({ bytes });
  if (!output.ok) throw new Error(output.reason);
  return output;
}

describe("the fingerprint of a prepared image", () => {
  it("is hex beside a 16-digit perceptual hash", async () => {
    const [flyer] = await generateFlyers(1, 3);
    const image = await prepared(flyer!.bytes);
    expect(image.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(image.fingerprint).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_DIGITS}}$`));
  });

  it("keeps re-encoded and resized copies within the thresholds and flyers of one template far outside", async () => {
    const flyers = await generateFlyers(9, 5);
    const originals = await Promise.all(flyers.map((f) => prepared(f.bytes)));
    for (const [i, flyer] of flyers.entries()) {
      for (const [scale, quality] of [
        [0.8, 70],
        [0.4, 30],
        [1.2, 70],
      ] as const) {
        const copy = await prepared(await reshared(flyer.bytes, { scale, quality }));
        const distance = fingerprintDistance(originals[i]!.fingerprint, copy.fingerprint);
        expect(distance!.grey).toBeLessThanOrEqual(MAX_GREY_DIFFERENCE);
        expect(distance!.colour).toBeLessThanOrEqual(MAX_COLOUR_DIFFERENCE);
      }
    }
    for (let i = 0; i < originals.length; i++) {
      for (let j = i + 1; j < originals.length; j++) {
        // Measured: 83 at least over 4,047 close pairs (pipeline/cache.ts).
        expect(fingerprintDistance(originals[i]!.fingerprint, originals[j]!.fingerprint)!.grey).toBeGreaterThan(2 * MAX_GREY_DIFFERENCE);
      }
    }
  });

  it("tells apart pictures that differ only in their text, or only in their colour", async () => {
    const [a] = await distinctImages(1, "first");
    const [b] = await distinctImages(1, "second");
    // Index 1 and 25: the same text, cut off after "rest-pl", on colours of about the same brightness.
    const plain = await distinctImages(26, "rest-plain");
    const [x, y, u, v] = await Promise.all([a!, b!, plain[1]!, plain[25]!].map((i) => prepared(i.bytes)));
    expect(fingerprintDistance(x!.fingerprint, y!.fingerprint)!.grey).toBeGreaterThan(MAX_GREY_DIFFERENCE);
    const recoloured = fingerprintDistance(u!.fingerprint, v!.fingerprint)!;
    expect(recoloured.grey).toBeLessThanOrEqual(MAX_GREY_DIFFERENCE);
    expect(recoloured.colour).toBeGreaterThan(MAX_COLOUR_DIFFERENCE);
  });

  it("answers null for what is not a fingerprint", () => {
    const zeros = "0".repeat(FINGERPRINT_DIGITS);
    expect(fingerprintDistance("0f", "0f")).toBeNull();
    expect(fingerprintDistance(`g${zeros.slice(1)}`, zeros)).toBeNull();
    expect(fingerprintDistance(`3${zeros.slice(1)}`, zeros)).toEqual({ grey: 48, colour: 0 });
    expect(fingerprintDistance(zeros, `${zeros.slice(1)}a`)).toEqual({ grey: 0, colour: 10 });
  });
});
