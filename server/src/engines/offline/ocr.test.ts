import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFlyers, type Flyer } from "../../../../test/support/flyers";
import type { Extraction } from "../../extraction/schema";
import { createLogger } from "../../logger";
import { createWorkerPool } from "../../pool/pool";
import { prepareImage } from "../../pool/prepare";
import { createOfflineEngine } from "./engine";
import { recognizeText, terminateOcr } from "./ocr";
import { parseScheduleText } from "./parse-text";

const key = (text: string | null | undefined) => (text ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");

/** Bytes as the pipeline hands them to an engine: decoded, downscaled, re-encoded as JPEG. */
async function prepared(bytes: Uint8Array): Promise<Uint8Array> {
  const output = await prepareImage({ bytes });
  if (!output.ok) throw new Error(output.reason);
  return output.bytes;
}

/** Truth shows whose weekday, venue and start time the extraction has. */
function correctShows(flyer: Flyer, extraction: Extraction): number {
  return flyer.truth.shows.filter((truth) =>
    extraction.shows.some(
      (s) => s.dayOfWeek === truth.dayOfWeek && key(s.venueName) === key(truth.venue) && s.startTime === truth.startTime,
    ),
  ).length;
}

describe("offline OCR on generated flyers", () => {
  let flyers: Flyer[];
  beforeAll(async () => {
    flyers = await generateFlyers(6, 2024);
  });
  afterAll(async () => {
    await terminateOcr();
  });

  it("reads weekday, venue and start time of the shows in every layout", async () => {
    let shows = 0;
    let correct = 0;
    for (const flyer of flyers) {
      const { text, confidence } = await recognizeText({ bytes: await prepared(flyer.bytes) });
      expect(confidence, flyer.name).toBeGreaterThan(0.6);
      const extraction = parseScheduleText(text, { ocrConfidence: confidence });
      const found = correctShows(flyer, extraction);
      expect(found, `${flyer.name}:\n${text}`).toBeGreaterThanOrEqual(Math.ceil(flyer.truth.shows.length * 0.75));
      shows += flyer.truth.shows.length;
      correct += found;
    }
    expect(new Set(flyers.map((f) => f.layout))).toEqual(new Set(["weekly", "poster", "social"]));
    expect(correct / shows).toBeGreaterThanOrEqual(0.9);
  });

  it("reads the details a weekly schedule prints", async () => {
    const flyer = flyers.find((f) => f.layout === "weekly")!;
    const { text, confidence } = await recognizeText({ bytes: await prepared(flyer.bytes) });
    const extraction = parseScheduleText(text, { ocrConfidence: confidence });
    const first = flyer.truth.shows[0]!;
    const venue = extraction.venues.find((v) => key(v.name) === key(first.venue));
    expect(venue).toMatchObject({ address: first.address, city: first.city, state: first.state, zip: first.zip, phone: first.phone });
    expect(extraction.vendors.map((v) => v.name)).toEqual([flyer.truth.vendor]);
    expect(extraction.shows.find((s) => key(s.venueName) === key(first.venue))).toMatchObject({
      endTime: first.endTime,
      djName: first.djName,
    });
  });

  it("finds no text in a blank image", async () => {
    const blank = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#ffffff" } })
      .jpeg()
      .toBuffer();
    expect(await recognizeText({ bytes: blank })).toEqual({ text: "", confidence: 0, lines: [] });
  });
});

describe("offline engine through the worker pool", () => {
  it("runs OCR in a worker thread and parses its text", async () => {
    const pool = createWorkerPool({ threads: 1, logger: createLogger("silent") });
    try {
      const engine = createOfflineEngine({ ocr: (input, signal) => pool.ocr(input, signal) });
      const [flyer] = await generateFlyers(2, 7).then((all) => all.filter((f) => f.layout === "poster"));
      const bytes = await prepared(flyer!.bytes);
      const { extraction } = await engine.analyze({ bytes, mimeType: "image/jpeg", fileName: flyer!.name }, AbortSignal.timeout(60_000));
      expect(correctShows(flyer!, extraction)).toBe(flyer!.truth.shows.length);
    } finally {
      await pool.destroy();
    }
  });
});
