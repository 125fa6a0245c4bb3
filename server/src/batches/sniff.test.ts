import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { sniffImageType } from "./sniff";

const base = () => sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 40, b: 90 } } });

/** A minimal valid 1x1 24-bit BMP (sharp cannot write BMP). */
function bmp(): Uint8Array {
  const buf = Buffer.alloc(58);
  buf.write("BM", 0, "ascii");
  buf.writeUInt32LE(58, 2); // file size
  buf.writeUInt32LE(54, 10); // pixel data offset
  buf.writeUInt32LE(40, 14); // BITMAPINFOHEADER size
  buf.writeInt32LE(1, 18); // width
  buf.writeInt32LE(1, 22); // height
  buf.writeUInt16LE(1, 26); // planes
  buf.writeUInt16LE(24, 28); // bits per pixel
  buf.writeUInt32LE(4, 34); // image size
  buf.writeUInt8(0xff, 54); // one blue pixel, row padded to 4 bytes
  return new Uint8Array(buf);
}

const pdf = () =>
  new TextEncoder().encode(
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
  );

describe("sniffImageType", () => {
  const images: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    images.jpeg = new Uint8Array(await base().jpeg().toBuffer());
    images.png = new Uint8Array(await base().png().toBuffer());
    images.webp = new Uint8Array(await base().webp().toBuffer());
    images.gif = new Uint8Array(await base().gif().toBuffer());
    images.tiff = new Uint8Array(await base().tiff().toBuffer());
    images.avif = new Uint8Array(await base().avif().toBuffer());
  });

  it.each([
    ["jpeg", "image/jpeg"],
    ["png", "image/png"],
    ["webp", "image/webp"],
    ["gif", "image/gif"],
  ])("accepts a real %s as %s", async (format, mime) => {
    expect(await sniffImageType(images[format]!)).toEqual({ ok: true, mimeType: mime });
  });

  it("accepts a Buffer as well as a Uint8Array", async () => {
    expect(await sniffImageType(Buffer.from(images.png!))).toEqual({ ok: true, mimeType: "image/png" });
  });

  it("rejects an empty file, saying it is empty", async () => {
    const result = await sniffImageType(new Uint8Array(0));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/empty/i);
  });

  it("rejects a PDF, saying it is a PDF", async () => {
    const result = await sniffImageType(pdf());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/PDF/);
    expect(!result.ok && result.reason).toMatch(/JPEG, PNG, WebP or GIF/);
  });

  it("rejects a text file as not an image", async () => {
    const result = await sniffImageType(new TextEncoder().encode("Karaoke every Friday at The Rusty Nail, 9pm-1am with DJ Mike\n"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/not an image/i);
  });

  it("rejects a BMP, saying it is a BMP", async () => {
    const result = await sniffImageType(bmp());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/BMP/);
    expect(!result.ok && result.reason).toContain("image/bmp");
  });

  it("rejects a TIFF, saying it is a TIFF", async () => {
    const result = await sniffImageType(images.tiff!);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/TIF/);
    expect(!result.ok && result.reason).toContain("image/tiff");
  });

  it("rejects an AVIF (an image, but not an accepted one)", async () => {
    const result = await sniffImageType(images.avif!);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/AVIF/);
  });

  it("rejects random bytes", async () => {
    const result = await sniffImageType(new Uint8Array([0x00, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02, 0x03]));
    expect(result.ok).toBe(false);
  });

  it.each([
    ["with an XML prolog", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><image href="http://169.254.169.254/"/></svg>'],
    ["without one", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'],
  ])("rejects an SVG %s, saying it is an SVG", async (_, text) => {
    const result = await sniffImageType(new TextEncoder().encode(text));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^unsupported format SVG \(image\/svg\+xml\)/) });
  });

  it("rejects a PNG whose header claims more pixels than may be decoded, and keeps one just under", async () => {
    const claiming = (width: number, height: number) => {
      const png = Buffer.from(images.png!);
      png.writeUInt32BE(width, 16);
      png.writeUInt32BE(height, 20);
      return png;
    };
    expect(await sniffImageType(claiming(30_000, 30_000))).toEqual({
      ok: false,
      reason: "too many pixels: the header says 30000 x 30000 (900 megapixels), at most 100 megapixels",
    });
    expect(await sniffImageType(claiming(10_000, 10_000))).toEqual({ ok: true, mimeType: "image/png" });
  });
});
