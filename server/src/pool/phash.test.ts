import sharpPhash from "sharp-phash";
import { describe, expect, it } from "vitest";
import { generateFlyers } from "../../../test/support/flyers";
import { distinctImages } from "../../../test/support/images";
import { phashBits } from "./phash";

describe("phashBits", () => {
  it("gives sharp-phash's hash, bit for bit, for flyers and for plain pictures", async () => {
    const flyers = await generateFlyers(4, 11);
    const pictures = await distinctImages(4);
    for (const bytes of [...flyers.map((f) => f.bytes), ...pictures.map((p) => p.bytes)]) {
      expect(await phashBits(bytes)).toBe(await sharpPhash(bytes));
    }
  });
});
