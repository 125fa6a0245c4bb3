import sharp from "sharp";
import { createOfflineEngine } from "../../server/src/engines/offline/engine";
import type { Extraction } from "../../server/src/extraction/schema";
import { createLogger } from "../../server/src/logger";
import { createWorkerPool } from "../../server/src/pool/pool";
import { generateFlyers, type TruthShow } from "./flyers";
import { generateHardFlyers } from "./hard-flyers";
import { addScores, emptyScore, scoreImage, type Score } from "./show-score";

/** An image to read and what it shows; tags name its set, damage and wordings ("hard", "photo", "ranges"). */
export interface QualityImage {
  name: string;
  bytes: Uint8Array;
  layout: string;
  tags: string[];
  truth: TruthShow[];
}

export interface ImageReading {
  image: QualityImage;
  extraction: Extraction;
  score: Score;
  wallSeconds: number;
  /** CPU seconds of the whole process (main and worker threads) while this image was read. */
  cpuSeconds: number;
}

/**
 * Reads each image as the service does (the pool's prepare, then the offline engine's OCR in a
 * worker thread), one image at a time so each one's wall and CPU time are its own.
 */
export async function readWithOfflineEngine(images: QualityImage[], { threads = 1 } = {}): Promise<ImageReading[]> {
  const pool = createWorkerPool({ threads, logger: createLogger("silent") });
  try {
    const engine = createOfflineEngine({ ocr: (input, signal) => pool.ocr(input, signal) });
    await pool.warmUp();
    // The first OCR call loads tesseract's model (seconds): not any image's time.
    const blank = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    await pool.ocr({ bytes: blank }, AbortSignal.timeout(120_000));
    const readings: ImageReading[] = [];
    for (const image of images) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      const signal = AbortSignal.timeout(120_000);
      const prepared = await pool.prepare({ bytes: image.bytes }, signal);
      if (!prepared.ok) throw new Error(`${image.name}: ${prepared.reason}`);
      const { extraction } = await engine.analyze({ bytes: prepared.bytes, mimeType: prepared.mimeType, fileName: image.name }, signal);
      const used = process.cpuUsage(cpu);
      readings.push({
        image,
        extraction,
        score: scoreImage(image.truth, extraction),
        wallSeconds: (performance.now() - wall) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
      });
    }
    return readings;
  } finally {
    await pool.destroy();
  }
}

/** The readings' summed score and mean seconds per image. */
export function total(readings: ImageReading[]): { score: Score; wallSeconds: number; cpuSeconds: number } {
  const n = Math.max(1, readings.length);
  return {
    score: readings.map((r) => r.score).reduce(addScores, emptyScore()),
    wallSeconds: readings.reduce((sum, r) => sum + r.wallSeconds, 0) / n,
    cpuSeconds: readings.reduce((sum, r) => sum + r.cpuSeconds, 0) / n,
  };
}

/** The generated clean flyers and hard images of a seed, tagged "clean" or "hard" and by damage and wording. */
export async function generatedSet({ clean, hard, seed }: { clean: number; hard: number; seed: number }): Promise<QualityImage[]> {
  const plain = (await generateFlyers(clean, seed)).map((f) => ({
    name: f.name,
    bytes: f.bytes,
    layout: f.layout,
    tags: ["clean"],
    truth: f.truth.shows,
  }));
  const harder = (await generateHardFlyers(hard, seed)).map((f) => ({
    name: f.name,
    bytes: f.bytes,
    layout: f.layout,
    tags: ["hard", f.damage, ...f.wordings],
    truth: f.truth.shows,
  }));
  return [...plain, ...harder];
}
