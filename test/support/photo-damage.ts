import sharp from "sharp";
import type { Rng } from "./random";

/**
 * What happens to a flyer between the printer and the upload: a handheld photo, a thumbnail,
 * or the flyer small on a busy page. Deterministic from the rng.
 */
export type ImageDamage = "photo" | "thumbnail" | "backdrop";

export async function damageImage(png: Buffer, damage: ImageDamage, rng: Rng): Promise<Buffer> {
  if (damage === "photo") return photo(png, rng);
  if (damage === "thumbnail") return thumbnail(png, rng);
  return backdrop(png, rng);
}

const between = (rng: Rng, low: number, high: number) => low + rng() * (high - low);

/** A phone photo: slight perspective, tilt, uneven light, blur, sensor noise, heavy JPEG. */
async function photo(png: Buffer, rng: Rng): Promise<Buffer> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const table: [number, number, number] = [
    Math.round(between(rng, 90, 160)),
    Math.round(between(rng, 70, 120)),
    Math.round(between(rng, 50, 90)),
  ];
  const j = (size: number) => between(rng, 0, 0.035) * size;
  const warped = perspective(
    data,
    w,
    h,
    [
      [j(w), j(h)],
      [w - j(w), j(h)],
      [w - j(w), h - j(h)],
      [j(w), h - j(h)],
    ],
    table,
  );
  const angle = (rng() < 0.5 ? -1 : 1) * between(rng, 1.5, 5);
  const rotated = await sharp(warped, { raw: { width: w, height: h, channels: 3 } })
    .rotate(angle, { background: { r: table[0], g: table[1], b: table[2] } })
    .png({ compressionLevel: 0 })
    .toBuffer({ resolveWithObject: true });
  const lit = await sharp(rotated.data)
    .composite([{ input: Buffer.from(lightSvg(rng, rotated.info.width, rotated.info.height)), blend: "multiply" }])
    .blur(between(rng, 0.6, 1.3))
    .raw()
    .toBuffer({ resolveWithObject: true });
  addNoise(lit.data, between(rng, 5, 12), rng);
  return sharp(lit.data, { raw: { width: lit.info.width, height: lit.info.height, channels: lit.info.channels } })
    .jpeg({ quality: Math.round(between(rng, 30, 50)) })
    .toBuffer();
}

/** A preview as a chat app or a feed shows it: 480-600 px wide, low JPEG quality. */
async function thumbnail(png: Buffer, rng: Rng): Promise<Buffer> {
  return sharp(png)
    .resize({ width: Math.round(between(rng, 480, 600)) })
    .jpeg({ quality: Math.round(between(rng, 35, 60)) })
    .toBuffer();
}

/** The flyer at 50-70% on a noisy coloured page with shapes around it. */
async function backdrop(png: Buffer, rng: Rng): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  const fw = meta.width ?? 1000;
  const fh = meta.height ?? 1000;
  const scale = between(rng, 0.5, 0.7);
  const W = Math.round(fw / scale);
  const H = Math.round(fh / scale);
  const hue = Math.floor(rng() * 360);
  const shapes = Array.from({ length: 40 }, () => {
    const colour = `hsl(${Math.floor(between(rng, hue - 60, hue + 60))},${Math.floor(between(rng, 40, 90))}%,${Math.floor(between(rng, 30, 70))}%)`;
    const x = Math.round(rng() * W);
    const y = Math.round(rng() * H);
    const r = Math.round(between(rng, 20, 160));
    return rng() < 0.5
      ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}" opacity="0.7"/>`
      : `<rect x="${x}" y="${y}" width="${r * 2}" height="${r}" fill="${colour}" opacity="0.7" transform="rotate(${Math.floor(rng() * 90)} ${x} ${y})"/>`;
  }).join("");
  const page = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="hsl(${hue},60%,45%)"/>${shapes}</svg>`;
  const angle = (rng() < 0.5 ? -1 : 1) * between(rng, 0, 2);
  const flyer = await sharp(png).rotate(angle, { background: "#00000000" }).png().toBuffer({ resolveWithObject: true });
  const left = Math.round(between(rng, 0.1, 0.9) * (W - flyer.info.width));
  const top = Math.round(between(rng, 0.1, 0.9) * (H - flyer.info.height));
  const composed = await sharp(Buffer.from(page))
    .composite([{ input: flyer.data, left: Math.max(0, left), top: Math.max(0, top) }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  addNoise(composed.data, between(rng, 3, 8), rng);
  return sharp(composed.data, { raw: { width: composed.info.width, height: composed.info.height, channels: composed.info.channels } })
    .jpeg({ quality: Math.round(between(rng, 60, 80)) })
    .toBuffer();
}

/** A light falling off across the sheet and towards one corner, multiplied over the photo. */
function lightSvg(rng: Rng, w: number, h: number): string {
  const angle = Math.floor(rng() * 360);
  const dim = Math.round(between(rng, 110, 170));
  const cx = Math.round(rng() * 100);
  const cy = Math.round(rng() * 100);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs>
<linearGradient id="l" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="rgb(${dim},${dim},${dim})"/></linearGradient>
<radialGradient id="r" cx="${cx}%" cy="${cy}%" r="80%"><stop offset="0.5" stop-color="#ffffff" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="0.35"/></radialGradient>
</defs><rect width="${w}" height="${h}" fill="url(#l)"/><rect width="${w}" height="${h}" fill="url(#r)"/></svg>`;
}

/** Roughly Gaussian noise (a sum of three uniforms) of about `sigma` levels on every channel. */
function addNoise(data: Buffer, sigma: number, rng: Rng): void {
  for (let i = 0; i < data.length; i++) {
    const n = (rng() + rng() + rng() - 1.5) * 2 * sigma;
    data[i] = Math.max(0, Math.min(255, Math.round((data[i] ?? 0) + n)));
  }
}

type Point = [number, number];

/**
 * Maps the whole image onto the quadrilateral `to` (corners clockwise from top left): each
 * output pixel looks up its source through the inverse homography, bilinearly.
 */
function perspective(src: Buffer, w: number, h: number, to: Point[], fill: [number, number, number]): Buffer {
  const from: Point[] = [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ];
  const m = homography(to, from);
  const out = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = m[6] * x + m[7] * y + 1;
      const sx = (m[0] * x + m[1] * y + m[2]) / d;
      const sy = (m[3] * x + m[4] * y + m[5]) / d;
      const o = (y * w + x) * 3;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        out[o] = fill[0];
        out[o + 1] = fill[1];
        out[o + 2] = fill[2];
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const i = (y0 * w + x0) * 3;
      for (let c = 0; c < 3; c++) {
        const a = (src[i + c] ?? 0) * (1 - fx) + (src[i + 3 + c] ?? 0) * fx;
        const b = (src[i + w * 3 + c] ?? 0) * (1 - fx) + (src[i + w * 3 + 3 + c] ?? 0) * fx;
        out[o + c] = Math.round(a * (1 - fy) + b * fy);
      }
    }
  }
  return out;
}

/** The 3x3 homography (as 8 numbers, the last being 1) taking each point of `a` to the same point of `b`. */
function homography(a: Point[], b: Point[]): [number, number, number, number, number, number, number, number] {
  const rows: number[][] = [];
  for (let k = 0; k < 4; k++) {
    const [x, y] = a[k] as Point;
    const [u, v] = b[k] as Point;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8x9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]?.[col] ?? 0) > Math.abs(rows[pivot]?.[col] ?? 0)) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot] as number[], rows[col] as number[]];
    const p = rows[col] as number[];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r] as number[];
      const f = (row[col] ?? 0) / (p[col] ?? 1);
      for (let c = col; c < 9; c++) row[c] = (row[c] ?? 0) - f * (p[c] ?? 0);
    }
  }
  const solve = (r: number) => (rows[r]?.[8] ?? 0) / (rows[r]?.[r] ?? 1);
  return [solve(0), solve(1), solve(2), solve(3), solve(4), solve(5), solve(6), solve(7)];
}
