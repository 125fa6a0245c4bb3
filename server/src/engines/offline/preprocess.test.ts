import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFlyers, type Flyer } from "../../../../test/support/flyers";
import { damageImage } from "../../../../test/support/photo-damage";
import { mulberry32 } from "../../../../test/support/random";
import { cleanPage, skewOf, type Grey } from "./preprocess";

async function grey(bytes: Buffer): Promise<Grey> {
  const { data, info } = await sharp(bytes).greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
const meanOf = (g: Grey) => g.data.reduce((sum, v) => sum + v, 0) / g.data.length;

let flyer: Flyer;
beforeAll(async () => {
  flyer = (await generateFlyers(3, 11)).find((f) => f.layout === "weekly")!;
});

describe("skewOf", () => {
  it("measures the tilt of the text lines either way, and none on a level page", async () => {
    for (const angle of [-4.5, -2, 3.2]) {
      const tilted = await sharp(flyer.bytes).rotate(angle, { background: "#ffffff" }).png().toBuffer();
      expect(Math.abs(skewOf(await grey(tilted)) - angle), `rotated ${angle}`).toBeLessThanOrEqual(0.3);
    }
    expect(Math.abs(skewOf(await grey(flyer.bytes)))).toBeLessThanOrEqual(0.2);
  });

  it("follows the text, not the edge of the dark table under a photographed sheet", async () => {
    // The sheet lies level on the table and the whole photo is tilted the other way: only the text is at -2.5 degrees.
    const tilted = await sharp(flyer.bytes).rotate(-2.5, { background: "#ffffff" }).png().toBuffer();
    const onTable = await sharp(tilted).extend({ top: 150, bottom: 150, left: 200, right: 200, background: "#2a2a2a" }).png().toBuffer();
    expect(Math.abs(skewOf(await grey(onTable)) + 2.5)).toBeLessThanOrEqual(0.3);
  });
});

describe("cleanPage", () => {
  it("cuts the flyer out of a busy page", async () => {
    const page = await damageImage(flyer.bytes, "backdrop", mulberry32(5));
    const pageMeta = await sharp(page).metadata();
    const flyerMeta = await sharp(flyer.bytes).metadata();
    const { grey: cleaned } = await cleanPage(page);
    // The backdrop shows the flyer at 50-70%: the cut-out is about that share of the page, not all of it.
    expect(cleaned.width).toBeLessThan(0.8 * (pageMeta.width ?? 0));
    expect(cleaned.width).toBeGreaterThanOrEqual(0.45 * (flyerMeta.width ?? 0));
  });

  it("levels a tilted flyer", async () => {
    const tilted = await sharp(flyer.bytes).rotate(4, { background: "#ffffff" }).jpeg().toBuffer();
    expect(Math.abs(skewOf((await cleanPage(tilted)).grey))).toBeLessThanOrEqual(0.3);
  });

  it("turns a dark theme into dark text on light paper", async () => {
    const dark = await sharp(flyer.bytes).negate({ alpha: false }).png().toBuffer();
    expect(meanOf(await grey(dark))).toBeLessThan(128);
    expect(meanOf((await cleanPage(dark)).grey)).toBeGreaterThan(128);
  });

  it("enlarges a thumbnail to a width tesseract reads, and binarises on request", async () => {
    const small = await sharp(flyer.bytes).resize({ width: 500 }).jpeg({ quality: 50 }).toBuffer();
    const page = await cleanPage(small);
    expect(page.grey.width).toBeGreaterThanOrEqual(1000);
    const { data } = await sharp(await page.binary())
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(new Set(data)).toEqual(new Set([0, 255]));
  });
});
