import { createRequire } from "node:module";
import path from "node:path";
import Tesseract from "tesseract.js";
import { cleanPage } from "./preprocess";

export interface OcrInput {
  bytes: Uint8Array;
}
export interface OcrWord {
  text: string;
  /** 0 to 1: tesseract's own confidence in the word. */
  confidence: number;
}
export interface OcrOutput {
  text: string;
  /** 0 to 1. */
  confidence: number;
  /** The text line by line, each word with its confidence; `text` is these lines joined. */
  lines: OcrWord[][];
}

// The LSTM-only model; tesseract.js would fetch this same folder from a CDN if langPath were unset.
const require = createRequire(import.meta.url);
const LANG_PATH = path.join(path.dirname(require.resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int");

/** A reading whose mean word confidence is under this gets a second pass on the binarised page. */
const WEAK_READING = 0.85;
/** Words under this confidence do not count towards a reading's score. */
const COUNTED_WORD = 0.6;

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

interface Reading {
  lines: OcrWord[][];
  /** Characters read with confidence: more text read surely beats a little read very surely. */
  score: number;
  meanConfidence: number;
}

async function read(ocr: Tesseract.Worker, image: Buffer, mode: Tesseract.PSM): Promise<Reading> {
  await ocr.setParameters({ tessedit_pageseg_mode: mode });
  const { data } = await ocr.recognize(image, {}, { text: true, blocks: true });
  const lines = (data.blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) =>
      paragraph.lines
        .map((line) => line.words.map((word) => ({ text: word.text, confidence: Math.max(0, Math.min(1, word.confidence / 100)) })))
        .filter((words) => words.some((word) => word.text.trim())),
    ),
  );
  const words = lines.flat();
  const chars = words.reduce((sum, word) => sum + word.text.length, 0);
  const meanConfidence = chars ? words.reduce((sum, word) => sum + word.confidence * word.text.length, 0) / chars : 0;
  const score = words.reduce((sum, word) => sum + (word.confidence >= COUNTED_WORD ? word.confidence * word.text.length : 0), 0);
  return { lines, score, meanConfidence };
}

export async function recognizeText({ bytes }: OcrInput): Promise<OcrOutput> {
  const [ocr, page] = await Promise.all([getWorker(), cleanPage(bytes)]);
  let best: Reading;
  try {
    // One uniform block: tesseract's own layout analysis cuts a photographed flyer into columns
    // at its shadows and border, and drops the pieces it takes for pictures.
    best = await read(ocr, await page.png(), Tesseract.PSM.SINGLE_BLOCK);
    // A weak reading is often a font or a background the grey page does not suit: the binarised
    // page under tesseract's layout analysis reads those better, and costs a second pass only
    // where the first was weak.
    if (best.meanConfidence < WEAK_READING) {
      const second = await read(ocr, await page.binary(), Tesseract.PSM.AUTO);
      if (second.score > best.score) best = second;
    }
  } catch (error) {
    // Tesseract's state after a failed job is unknown: the next image gets a fresh worker.
    if (worker && (await worker.catch(() => null)) === ocr) await terminateOcr();
    throw error;
  }
  const text = best.lines
    .map((line) => line.map((word) => word.text).join(" "))
    .join("\n")
    .trim();
  return { text, confidence: text ? best.meanConfidence : 0, lines: text ? best.lines : [] };
}

/** Ends this thread's tesseract worker (tests, shutdown); the next call starts a new one. */
export async function terminateOcr(): Promise<void> {
  const current = worker;
  worker = null;
  if (current) await (await current.catch(() => null))?.terminate();
}
