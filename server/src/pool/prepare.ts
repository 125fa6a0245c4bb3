import { createHash } from "node:crypto";
import { MAX_INPUT_PIXELS } from "../batches/limits";
import sharp, { type OutputInfo } from "sharp";
import { fingerprintOf } from "./fingerprint";
import { phashBits } from "./phash";

/** Gemini tiles images at 768 px and gains nothing from more than ~1536 px on the long side. */
export const MAX_SIDE = 1536;
const JPEG_QUALITY = 85;

export interface PrepareInput {
  bytes: Uint8Array;
}

/**
 * Plain data both ways: errors thrown in a worker lose their class and fields on the way back,
 * so an undecodable image is an answer, not an exception.
 */
export type PrepareOutput = PreparedBytes | { ok: false; reason: string };

export interface PreparedBytes {
  ok: true;
  bytes: Uint8Array;
  mimeType: "image/jpeg";
  width: number;
  height: number;
  /** SHA-256 of the original bytes: exact duplicates. */
  sha256: string;
  /** 64-bit DCT perceptual hash as 16 hex digits: near duplicates, a coarse first look. */
  phash: string;
  /** The finer check of a near duplicate (see fingerprint.ts). */
  fingerprint: string;
  /** How long the thread worked on it, ms: the pool's own pace, its queue left out. */
  workMs: number;
}

export async function prepareImage({ bytes }: PrepareInput): Promise<PrepareOutput> {
  const started = performance.now();
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await sharp(input, { failOn: "error", limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    // libvips keeps one error buffer for all its threads: a damaged file sometimes comes back as
    // a bare "Unknown error", which would tell the person nothing.
    const said = (error as Error).message.split("\n")[0] ?? "";
    const why = /^unknown error$/i.test(said.trim()) ? "the file is damaged or cut off" : said;
    return { ok: false, reason: `cannot decode image: ${why}` };
  }
  // Both from the prepared image, so a copy's hashes depend only on what it shows, not its size.
  const [bits, fingerprint] = await Promise.all([phashBits(result.data), fingerprintOf(result.data)]);
  return {
    ok: true,
    bytes: new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength),
    mimeType: "image/jpeg",
    width: result.info.width,
    height: result.info.height,
    sha256: createHash("sha256").update(input).digest("hex"),
    phash: BigInt(`0b${bits}`).toString(16).padStart(16, "0"),
    fingerprint,
    workMs: Math.round(performance.now() - started),
  };
}

/** Loads the decoders of a fresh thread, so the first real image does not pay for it. */
export async function warmUp(): Promise<boolean> {
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
    .jpeg()
    .toBuffer();
  return true;
}
