import sharp, { type Region, type Sharp } from "sharp";

/**
 * Turns a screenshot or a photo of a flyer into what tesseract reads best: the flyer cut out of
 * a busy page, level, dark text on evenly contrasted paper, large enough. Runs in a worker thread.
 */

export interface Grey {
  data: Buffer;
  width: number;
  height: number;
}

/** Text this narrow is too small for tesseract's LSTM; upscale it towards this width. */
const MIN_WIDTH = 1000;
const MAX_UPSCALE = 2.5;
/** Width of the small copies the crop and the skew are measured on. */
const CROP_SAMPLE = 240;
const SKEW_SAMPLE = 700;
const MAX_SKEW = 8;
/** How far (in sampled pixels) above and below a dark pixel paper must show for it to count as a stroke. */
const STROKE_REACH = 12;
/** Side of the tiles CLAHE equalises: a few text lines, much smaller than a shadow. */
const LIGHT_TILE = 64;

/** The cleaned-up page as greyscale, and its Otsu-binarised version for a second reading. */
export async function cleanPage(bytes: Uint8Array): Promise<{ grey: Grey; binary: () => Promise<Buffer>; png: () => Promise<Buffer> }> {
  const input = sharp(bytes).flatten({ background: "#ffffff" });
  const crop = await flyerBox(input.clone());
  let page = input.clone();
  if (crop) page = page.extract(crop);
  let grey = await raw(page.greyscale());
  if (mean(grey) < 128) grey = await raw(sharp(grey.data, rawOf(grey)).negate());
  // Uneven light: contrast equalised tile by tile (CLAHE), so a shadow across the sheet no longer
  // decides what is ink; the skew is measured after it, or the shadow's pixels would outweigh the text's.
  grey = await raw(sharp(grey.data, rawOf(grey)).clahe({ width: LIGHT_TILE, height: LIGHT_TILE, maxSlope: 3 }));
  const angle = skewOf(grey);
  if (Math.abs(angle) >= 0.3) grey = await raw(sharp(grey.data, rawOf(grey)).rotate(-angle, { background: "#ffffff" }));
  if (grey.width < MIN_WIDTH) {
    const scale = Math.min(MAX_UPSCALE, MIN_WIDTH / grey.width);
    grey = await raw(sharp(grey.data, rawOf(grey)).resize({ width: Math.round(grey.width * scale), kernel: "lanczos3" }));
  }
  const done = grey;
  return {
    grey: done,
    png: () => sharp(done.data, rawOf(done)).png({ compressionLevel: 1 }).toBuffer(),
    // Binarised on the equalised page, so one threshold holds across the whole sheet.
    binary: () => sharp(done.data, rawOf(done)).threshold(otsu(done)).png({ compressionLevel: 1 }).toBuffer(),
  };
}

const rawOf = (g: Grey) => ({ raw: { width: g.width, height: g.height, channels: 1 as const } });

async function raw(image: Sharp): Promise<Grey> {
  const { data, info } = await image.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function mean(g: Grey): number {
  let sum = 0;
  for (const v of g.data) sum += v;
  return sum / g.data.length;
}

/**
 * The flyer on a busy page: the largest connected area of colourless pixels (paper, a dark
 * theme's background) on a small copy. Null when it fills most of the image already, or when
 * nothing stands out.
 */
async function flyerBox(image: Sharp): Promise<Region | null> {
  const meta = await image.metadata();
  const W = meta.width ?? 0;
  const H = meta.height ?? 0;
  if (!W || !H) return null;
  const { data, info } = await image.resize({ width: CROP_SAMPLE }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const r = data[i * 3] ?? 0;
    const g = data[i * 3 + 1] ?? 0;
    const b = data[i * 3 + 2] ?? 0;
    const hi = Math.max(r, g, b);
    // Relative chroma, floored so the noise of dark pixels does not read as colour.
    mask[i] = (hi - Math.min(r, g, b)) / Math.max(hi, 96) < 0.22 ? 1 : 0;
  }
  const label = new Int32Array(w * h).fill(-1);
  let best = { area: 0, x0: 0, y0: 0, x1: 0, y1: 0 };
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || label[start] !== -1) continue;
    const box = { area: 0, x0: w, y0: h, x1: 0, y1: 0 };
    label[start] = start;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() ?? 0;
      const x = p % w;
      const y = (p - x) / w;
      box.area++;
      box.x0 = Math.min(box.x0, x);
      box.x1 = Math.max(box.x1, x);
      box.y0 = Math.min(box.y0, y);
      box.y1 = Math.max(box.y1, y);
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && mask[q] && label[q] === -1) {
          label[q] = start;
          stack.push(q);
        }
      }
    }
    if (box.area > best.area) best = box;
  }
  const boxArea = (best.x1 - best.x0 + 1) * (best.y1 - best.y0 + 1);
  if (best.area < 0.08 * w * h || boxArea > 0.85 * w * h) return null;
  const sx = W / w;
  const sy = H / h;
  const left = Math.max(0, Math.floor((best.x0 - 1) * sx));
  const top = Math.max(0, Math.floor((best.y0 - 1) * sy));
  return {
    left,
    top,
    width: Math.min(W - left, Math.ceil((best.x1 + 2) * sx) - left),
    height: Math.min(H - top, Math.ceil((best.y1 + 2) * sy) - top),
  };
}

/**
 * The tilt of the text lines in degrees (positive: clockwise), by the angle at which the rows
 * of dark pixels are sharpest (the largest variance of the projection profile).
 */
export function skewOf(g: Grey): number {
  const step = Math.max(1, Math.floor(g.width / SKEW_SAMPLE));
  const xs: number[] = [];
  const ys: number[] = [];
  // Ink is dark with paper both above and below it within a line's height: a text stroke. The
  // table around a photographed sheet is dark too, and its long edge against the paper would
  // outweigh the text lines.
  const reach = STROKE_REACH * step;
  const at = (x: number, y: number) => g.data[Math.max(0, Math.min(g.height - 1, y)) * g.width + x] ?? 255;
  for (let y = 0; y < g.height; y += step)
    for (let x = 0; x < g.width; x += step) {
      if (at(x, y) < 100 && at(x, y - reach) > 160 && at(x, y + reach) > 160) {
        xs.push(x / step);
        ys.push(y / step);
      }
    }
  if (xs.length < 200) return 0;
  const rows = Math.ceil((g.height + g.width) / step) + 2;
  const offset = Math.ceil(g.width / step) + 1;
  const sharpness = (degrees: number) => {
    const t = Math.tan((degrees * Math.PI) / 180);
    const bins = new Float64Array(rows + offset);
    for (let i = 0; i < xs.length; i++) {
      const bin = Math.round((ys[i] ?? 0) - (xs[i] ?? 0) * t) + offset;
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    let sum = 0;
    for (const v of bins) sum += v * v;
    return sum;
  };
  const search = (from: number, to: number, by: number, start: number) => {
    let bestAngle = start;
    let bestScore = sharpness(start);
    for (let a = from; a <= to + 1e-9; a += by) {
      const s = sharpness(a);
      if (s > bestScore) [bestAngle, bestScore] = [a, s];
    }
    return bestAngle;
  };
  const coarse = search(-MAX_SKEW, MAX_SKEW, 0.5, 0);
  return Math.round(search(coarse - 0.5, coarse + 0.5, 0.1, coarse) * 10) / 10;
}

/** Otsu's threshold of the histogram: the level that best splits ink from paper. */
function otsu(g: Grey): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of g.data) histogram[v] = (histogram[v] ?? 0) + 1;
  const total = g.data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * (histogram[i] ?? 0);
  let below = 0;
  let belowSum = 0;
  let best = 128;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    below += histogram[t] ?? 0;
    if (below === 0 || below === total) continue;
    belowSum += t * (histogram[t] ?? 0);
    const m0 = belowSum / below;
    const m1 = (sum - belowSum) / (total - below);
    const variance = below * (total - below) * (m0 - m1) ** 2;
    if (variance > bestVariance) [best, bestVariance] = [t, variance];
  }
  return best;
}
