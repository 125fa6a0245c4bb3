import sharp from "sharp";

/**
 * A second, finer look at two pictures whose 64-bit perceptual hashes are close: that hash sees a
 * flyer's layout, and flyers made from one template share their layout and differ only in their
 * text. The fingerprint is the picture squeezed to a 64 x 64 grey thumbnail and an 8 x 8 colour
 * one, 0-255 a value, as hex; the distance is the largest difference of any one value. Re-encoding
 * and resizing blur a little everywhere; another flyer's text differs a lot somewhere, so the
 * largest difference separates the two where a mean difference or a count of differing hash bits
 * cannot. The colours tell apart pictures that differ in colour only, which grey cannot see.
 * The figures are in pipeline/cache.ts.
 */
export const GREY_SIDE = 64;
export const COLOUR_SIDE = 8;
/** Drawn at 256 px, then box-averaged down (see fingerprintOf). */
const DRAWN_SIDE = 256;
const GREY_DIGITS = GREY_SIDE * GREY_SIDE * 2;
export const FINGERPRINT_DIGITS = GREY_DIGITS + COLOUR_SIDE * COLOUR_SIDE * 3 * 2;

/**
 * The fingerprint of an image (any format sharp reads): the grey thumbnail row by row, then the
 * colour one's red, green and blue pixel by pixel, two hex digits a value. Straight down to 64 px,
 * sharp's Lanczos kernel rings and aliases differently for each source size: a resized copy
 * differed from its original by up to 79 grey levels in a pixel, as much as distinct flyers do
 * (69). Drawn at 256 px and box-averaged, copies stayed within 21.
 */
export async function fingerprintOf(image: Buffer): Promise<string> {
  const rgb = await sharp(image).removeAlpha().toColourspace("srgb").resize(DRAWN_SIDE, DRAWN_SIDE, { fit: "fill" }).raw().toBuffer();
  const hex = (v: number) => Math.round(v).toString(16).padStart(2, "0");
  // Plain loops over the buffer: this runs for every prepared image, and closures per pixel cost
  // more than the resize. The sums run in the order they always did, so fingerprints stored
  // before stay comparable.
  let out = "";
  for (const cell of boxes(GREY_SIDE)) {
    let sum = 0;
    for (let y = cell.y; y < cell.y + cell.size; y++)
      for (let x = cell.x; x < cell.x + cell.size; x++) {
        const at = (y * DRAWN_SIDE + x) * 3;
        // Rec. 709 luma: how bright a pixel looks, the grey the eye reads text by.
        sum += 0.2126 * (rgb[at] ?? 0) + 0.7152 * (rgb[at + 1] ?? 0) + 0.0722 * (rgb[at + 2] ?? 0);
      }
    out += hex(sum / cell.size ** 2);
  }
  for (const cell of boxes(COLOUR_SIDE))
    for (let channel = 0; channel < 3; channel++) {
      let sum = 0;
      for (let y = cell.y; y < cell.y + cell.size; y++)
        for (let x = cell.x; x < cell.x + cell.size; x++) sum += rgb[(y * DRAWN_SIDE + x) * 3 + channel] ?? 0;
      out += hex(sum / cell.size ** 2);
    }
  return out;
}

type Box = { x: number; y: number; size: number };

/** The cells of a side x side grid over the drawn picture, row by row. */
function* boxes(side: number): Generator<Box> {
  const size = DRAWN_SIDE / side;
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) yield { x: x * size, y: y * size, size };
}

const isFingerprint = (s: string) => s.length === FINGERPRINT_DIGITS && /^[0-9a-f]*$/.test(s);

export interface FingerprintDistance {
  /** The largest difference of one pixel of the grey thumbnails, 0-255. */
  grey: number;
  /** The largest difference of one channel of one pixel of the colour thumbnails, 0-255. */
  colour: number;
}

/** How far apart two fingerprints are; null when either is no fingerprint. */
export function fingerprintDistance(a: string, b: string): FingerprintDistance | null {
  if (!isFingerprint(a) || !isFingerprint(b)) return null;
  const largest = (from: number, to: number) => {
    let found = 0;
    for (let i = from; i < to; i += 2)
      found = Math.max(found, Math.abs(Number.parseInt(a.slice(i, i + 2), 16) - Number.parseInt(b.slice(i, i + 2), 16)));
    return found;
  };
  return { grey: largest(0, GREY_DIGITS), colour: largest(GREY_DIGITS, FINGERPRINT_DIGITS) };
}
