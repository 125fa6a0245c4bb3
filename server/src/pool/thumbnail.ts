import sharp from "sharp";
import { MAX_INPUT_PIXELS } from "../batches/limits";

/** The long side of a thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 320;

export interface ThumbnailInput {
  bytes: Uint8Array;
}

/** Plain data both ways, like prepare: an undecodable image is an answer, not an exception. */
export type ThumbnailOutput = { ok: true; bytes: Uint8Array; width: number; height: number } | { ok: false; reason: string };

/** A small JPEG of an upload for the browser: auto-rotated, at most THUMBNAIL_SIDE on the long side. */
export async function makeThumbnail({ bytes }: ThumbnailInput): Promise<ThumbnailOutput> {
  try {
    const { data, info } = await sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      failOn: "error",
      limitInputPixels: MAX_INPUT_PIXELS,
    })
      .rotate()
      .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    return { ok: false, reason: `cannot decode image: ${(error as Error).message}` };
  }
}
