import { createRequire } from "node:module";
import path from "node:path";
import sharp from "sharp";
import Tesseract from "tesseract.js";

export interface OcrInput {
  bytes: Uint8Array;
}
export interface OcrOutput {
  text: string;
  /** 0 to 1. */
  confidence: number;
}

// The LSTM-only model; tesseract.js would fetch this same folder from a CDN if langPath were unset.
const require = createRequire(import.meta.url);
const LANG_PATH = path.join(path.dirname(require.resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int");

/** Text this narrow is too small for tesseract's LSTM; upscale it towards this width. */
const MIN_WIDTH = 1000;
const MAX_UPSCALE = 2.5;

// This module runs inside one Tinypool worker thread, so one tesseract worker per module is one
// per thread, created on first use.
let worker: Promise<Tesseract.Worker> | null = null;

function getWorker(): Promise<Tesseract.Worker> {
  if (worker) return worker;
  const created = (async () => {
    const tesseract = await Tesseract.createWorker("eng", Tesseract.OEM.LSTM_ONLY, {
      langPath: LANG_PATH,
      gzip: true,
      cacheMethod: "none",
    });
    await tesseract.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO, user_defined_dpi: "300" });
    return tesseract;
  })();
  // A failed start is not cached: the next image tries again.
  created.catch(() => {
    if (worker === created) worker = null;
  });
  worker = created;
  return created;
}

/** Dark text on a light background, contrast stretched, small images enlarged. */
async function preprocess(bytes: Uint8Array): Promise<Buffer> {
  const { data, info } = await sharp(bytes).flatten({ background: "#ffffff" }).greyscale().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (const value of data) sum += value;
  const dark = sum / data.length < 128;

  let image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (dark) image = image.negate();
  image = image.normalise();
  if (info.width < MIN_WIDTH) {
    const scale = Math.min(MAX_UPSCALE, MIN_WIDTH / info.width);
    image = image.resize({ width: Math.round(info.width * scale), kernel: "lanczos3" });
  }
  return image.png({ compressionLevel: 1 }).toBuffer();
}

export async function recognizeText({ bytes }: OcrInput): Promise<OcrOutput> {
  const [ocr, image] = await Promise.all([getWorker(), preprocess(bytes)]);
  let data: Tesseract.Page;
  try {
    ({ data } = await ocr.recognize(image));
  } catch (error) {
    // Tesseract's state after a failed job is unknown: the next image gets a fresh worker.
    if (worker && (await worker.catch(() => null)) === ocr) await terminateOcr();
    throw error;
  }
  const text = data.text.trim();
  return { text, confidence: text ? Math.max(0, Math.min(1, data.confidence / 100)) : 0 };
}

/** Ends this thread's tesseract worker (tests, shutdown); the next call starts a new one. */
export async function terminateOcr(): Promise<void> {
  const current = worker;
  worker = null;
  if (current) await (await current.catch(() => null))?.terminate();
}
