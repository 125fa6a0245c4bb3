import sharp from "sharp";
import { distinctImages, noisePng } from "./images";

/** CRC-32 as PNG chunks carry it (ISO-HDLC), to keep a rewritten header valid. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A small real PNG whose header claims `width` x `height`: a decompression bomb by its promise. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const [image] = await distinctImages(1, "bomb");
  const png = Buffer.from(image!.bytes);
  // IHDR is the first chunk: length (4), "IHDR" (4), width (4), height (4), ..., CRC over type and data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A JPEG cut off halfway through its scan data. */
export async function truncatedJpeg(): Promise<Buffer> {
  const jpeg = await sharp(await noisePng(200))
    .jpeg()
    .toBuffer();
  return jpeg.subarray(0, Math.floor(jpeg.length / 2));
}

/** An SVG that would fetch another file (here the cloud metadata address) if it were ever rendered. */
export const svgWithExternalReference = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">' +
    '<image xlink:href="http://169.254.169.254/latest/meta-data/" width="200" height="200"/></svg>',
);

/**
 * A HEIC as phones write it: an ISO-BMFF container whose ftyp box names the `heic` brand.
 * sharp's own builds cannot encode HEVC, so its AVIF (the same container, another codec) is
 * relabelled; what a server sees first is the brand.
 */
export async function heic(): Promise<Buffer> {
  const [image] = await distinctImages(1, "heic");
  const avif = Buffer.from(await sharp(image!.bytes).avif().toBuffer());
  if (avif.toString("latin1", 4, 8) !== "ftyp") throw new Error("heic: sharp's AVIF does not start with an ftyp box");
  avif.write("heic", 8, "latin1");
  const boxEnd = avif.readUInt32BE(0);
  for (let at = 16; at + 4 <= boxEnd; at += 4) if (avif.toString("latin1", at, at + 4) === "avif") avif.write("heic", at, "latin1");
  return avif;
}

/** A three-frame animated GIF. */
export async function animatedGif(): Promise<Buffer> {
  const frames = await distinctImages(3, "frame");
  return sharp(
    frames.map((f) => f.bytes),
    { join: { animated: true } },
  )
    .gif()
    .toBuffer();
}
