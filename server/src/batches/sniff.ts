import { fileTypeFromBuffer } from "file-type";
import { ACCEPTED_TYPES, MAX_INPUT_PIXELS } from "./limits";

type Sniffed = { ok: true; mimeType: string } | { ok: false; reason: string };

/** An SVG is XML text, which file-type calls XML (or nothing) when its root is <svg>. */
const looksLikeSvg = (bytes: Uint8Array) => /<svg[\s>]/i.test(Buffer.from(bytes.subarray(0, 4096)).toString("utf8"));

/**
 * Width and height as the header declares them, for the formats whose header says so at a fixed
 * place (PNG's IHDR, GIF's logical screen); null for the others, which the decoder's own pixel
 * limit guards (server/src/pool/prepare.ts).
 */
function declaredSize(bytes: Uint8Array, mimeType: string): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (mimeType === "image/png" && bytes.byteLength >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (mimeType === "image/gif" && bytes.byteLength >= 10) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  return null;
}

/** The file's real type from its bytes; the name and the declared type are not trusted. */
export async function sniffImageType(bytes: Uint8Array): Promise<Sniffed> {
  if (bytes.byteLength === 0) return { ok: false, reason: "the file is empty" };
  const type = await fileTypeFromBuffer(bytes);
  // Never passed on: a vector image may fetch other files (or addresses) when it is drawn.
  if ((!type || type.mime === "application/xml") && looksLikeSvg(bytes))
    return { ok: false, reason: "unsupported format SVG (image/svg+xml): vector images are not read; send JPEG, PNG, WebP or GIF" };
  if (!type) return { ok: false, reason: "not an image: the file's content matches no known format" };
  if (!ACCEPTED_TYPES[type.mime])
    return { ok: false, reason: `unsupported format ${type.ext.toUpperCase()} (${type.mime}); send JPEG, PNG, WebP or GIF` };
  const size = declaredSize(bytes, type.mime);
  if (size && size.width * size.height > MAX_INPUT_PIXELS) {
    const megapixels = Math.round((size.width * size.height) / 1e6);
    return {
      ok: false,
      reason: `too many pixels: the header says ${size.width} x ${size.height} (${megapixels} megapixels), at most ${MAX_INPUT_PIXELS / 1e6} megapixels`,
    };
  }
  return { ok: true, mimeType: type.mime };
}
