import { createHash } from "node:crypto";
import sharp from "sharp";
import { WEEKDAYS, type Extraction } from "../../server/src/extraction/schema";
import type { Answerer, FakeRequest } from "../support/fake-gemini";
import { extractionFromTruth, generateFlyers } from "../support/flyers";
import { preparedSha256 } from "./bench-service";

export interface BenchImage {
  name: string;
  bytes: Buffer;
  /** What the fake Gemini answers for this image. */
  extraction: Extraction;
}

/** The realistic generated flyers (about 1000 px, 100+ KB each) with their ground truth as the answer. */
export async function flyerImages(count: number, seed: number): Promise<BenchImage[]> {
  const flyers = await generateFlyers(count, seed);
  return flyers.map((f) => ({ name: `flyer-${f.name}`, bytes: f.bytes, extraction: extractionFromTruth(f.truth) }));
}

/** Small distinct PNG screenshots (a colour and a number): the worker pool's work is a few ms. */
export function tinyImages(count: number, seed: number, prefix: string): Promise<BenchImage[]> {
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
      const dj = `KJ Bench ${i % 5}`;
      const extraction: Extraction = {
        shows: [
          {
            venueName,
            dayOfWeek: WEEKDAYS[i % 7]!,
            startTime: "21:00",
            endTime: "01:00",
            date: null,
            djName: dj,
            vendor: null,
            description: null,
            confidence: 0.9,
          },
        ],
        venues: [{ name: venueName, address: null, city: null, state: null, zip: null, phone: null, website: null, confidence: 0.9 }],
        djs: [{ name: dj, aliases: [], socialHandles: [], confidence: 0.9 }],
        vendors: [],
      };
      return { name: `${prefix}-${String(i).padStart(3, "0")}.png`, bytes, extraction };
    }),
  );
}

/** The fake's answer for each image, keyed by the SHA-256 of the bytes the pipeline sends. */
export async function answersFor(images: BenchImage[]): Promise<Map<string, Extraction>> {
  const answers = new Map<string, Extraction>();
  for (const image of images) answers.set(await preparedSha256(image.bytes), image.extraction);
  return answers;
}

/** The fake's answerer: each image's truth by the hash of its prepared bytes, else nothing found. */
export function answerByHash(answers: Map<string, Extraction>): Answerer {
  return (req) => ({ json: answers.get(req.imageSha256) ?? { shows: [], venues: [], djs: [], vendors: [] } });
}

/**
 * A log-normal latency fixed per image: the normal draw comes from the SHA-256 of the seed and
 * the image the fake receives, so an image waits the same in every run and every part.
 */
export function logNormalLatency(medianMs: number, sigma: number, seed: number): (req: FakeRequest) => number {
  return (req) => {
    const h = createHash("sha256").update(`${seed}:${req.imageSha256}`).digest();
    const u1 = (h.readUInt32BE(0) + 0.5) / 2 ** 32;
    const u2 = h.readUInt32BE(4) / 2 ** 32;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return medianMs * Math.exp(sigma * z);
  };
}

/** Files for one submission; a tag keeps the names of repeated runs apart. */
export const filesOf = (images: BenchImage[], tag: string) =>
  images.map((i) => ({ name: `${tag}-${i.name}`, bytes: new Uint8Array(i.bytes) }));
