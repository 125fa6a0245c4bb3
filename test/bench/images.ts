import sharp from "sharp";
import { WEEKDAYS, type Extraction } from "../../server/src/extraction/schema";
import { extractionFromTruth, generateFlyers } from "../support/flyers";

export interface BenchImage {
  name: string;
  bytes: Buffer;
  /** What the fake Gemini answers for this image. */
  extraction: Extraction;
}

export type ImageKind = "plain" | "flyers";

/**
 * `plain`: small distinct PNG screenshots (solid colour and a number), so the worker pool's CPU
 * work is a few ms and the figures show the pipeline's own overhead. `flyers`: the realistic
 * generated flyers (about 1000 px, 100+ KB each) with their ground-truth extraction.
 */
export async function benchImages(kind: ImageKind, count: number, seed: number, prefix = "img"): Promise<BenchImage[]> {
  if (kind === "flyers") {
    const flyers = await generateFlyers(count, seed);
    return flyers.map((f) => ({ name: `${prefix}-${f.name}`, bytes: f.bytes, extraction: extractionFromTruth(f.truth) }));
  }
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const fill = `rgb(${(seed * 17 + i * 53) % 256},${(seed * 29 + i * 97) % 256},${(seed * 7 + i * 31) % 256})`;
      const label = `${prefix} ${i}`;
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><rect width="480" height="320" fill="${fill}"/>` +
        `<rect x="20" y="20" width="440" height="280" rx="16" fill="#ffffff" fill-opacity="0.85"/>` +
        `<text x="40" y="140" font-family="DejaVu Sans" font-size="44" font-weight="bold" fill="#111">KARAOKE</text>` +
        `<text x="40" y="220" font-family="DejaVu Sans" font-size="40" fill="#333">${label}</text></svg>`;
      const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
      const venueName = `Bench Bar ${prefix} ${i}`;
      const extraction: Extraction = {
        shows: [
          {
            venueName,
            dayOfWeek: WEEKDAYS[i % 7]!,
            startTime: "21:00",
            endTime: "01:00",
            date: null,
            djName: `KJ Bench ${i % 5}`,
            vendor: null,
            description: null,
            confidence: 0.9,
          },
        ],
        venues: [{ name: venueName, address: null, city: null, state: null, zip: null, phone: null, website: null, confidence: 0.9 }],
        djs: [{ name: `KJ Bench ${i % 5}`, aliases: [], socialHandles: [], confidence: 0.9 }],
        vendors: [],
      };
      return { name: `${prefix}-${String(i).padStart(3, "0")}.png`, bytes, extraction };
    }),
  );
}
