import { randomBytes } from "node:crypto";
import sharp from "sharp";

/** Small distinct PNG screenshots: cheap stand-ins where the content does not matter. */
export async function distinctImages(count: number, prefix = "img"): Promise<{ name: string; bytes: Buffer }[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="rgb(${(i * 53) % 256},${(i * 97) % 256},${(i * 31) % 256})"/><text x="20" y="120" font-family="DejaVu Sans" font-size="64" fill="#fff">${prefix} ${i}</text></svg>`;
      return { name: `${prefix}-${i}.png`, bytes: await sharp(Buffer.from(svg)).png().toBuffer() };
    }),
  );
}

/** A PNG cut off halfway: it is a PNG by its header, but no decoder can read it. */
export async function truncatedPng(): Promise<Buffer> {
  const [image] = await distinctImages(1, "truncated");
  return image!.bytes.subarray(0, Math.floor(image!.bytes.length / 2));
}

/** A screenshot as it comes back when shared again: a lower-quality JPEG at another size. */
export async function reshared(bytes: Uint8Array, { scale = 0.8, quality = 70 } = {}): Promise<Buffer> {
  const { width } = await sharp(bytes).metadata();
  if (!width) throw new Error("reshared: the image has no width");
  return sharp(bytes)
    .resize(Math.round(width * scale))
    .jpeg({ quality })
    .toBuffer();
}

/** A PNG of random noise, `side` pixels square and stored uncompressed: about side² × 3 bytes, every one distinct. */
export async function noisePng(side: number): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}
