import { beforeAll, describe, expect, it } from "vitest";
import { DAMAGES, WORDINGS } from "../support/hard-flyers";
import { generatedSet, readWithOfflineEngine, total, type ImageReading } from "../support/offline-quality";
import { figures } from "../support/show-score";

/**
 * The offline engine (the pool's prepare, OCR in a worker thread, the parser) on a fixed seeded
 * set: 63 hard images (every damage in every layout, every harder wording) and 15 clean flyers.
 * Quality only, not speed: `npm run bench:quality` measures the time.
 */

const SEED = 1;
let hard: ImageReading[];
let clean: ImageReading[];

beforeAll(async () => {
  const readings = await readWithOfflineEngine(await generatedSet({ clean: 15, hard: 63, seed: SEED }));
  hard = readings.filter((r) => r.image.tags.includes("hard"));
  clean = readings.filter((r) => r.image.tags.includes("clean"));
}, 1_200_000);

const report = (label: string, readings: ImageReading[]) => {
  const f = figures(total(readings).score);
  const misses = readings.filter((r) => figures(r.score).f1 < 1).map((r) => `${r.image.name} ${figures(r.score).f1.toFixed(2)}`);
  console.log(
    `${label}: show F1 ${f.f1.toFixed(3)} (precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)}); imperfect: ${misses.join(", ") || "none"}`,
  );
  return f;
};

describe("offline engine quality", () => {
  it("reads at least 60 hard images covering every damage, layout and wording at show F1 >= 0.93", () => {
    expect(hard.length).toBeGreaterThanOrEqual(60);
    expect(new Set(hard.flatMap((r) => r.image.tags))).toEqual(new Set(["hard", ...DAMAGES, ...WORDINGS]));
    expect(new Set(hard.map((r) => r.image.layout))).toEqual(new Set(["weekly", "poster", "social"]));
    expect(report("hard", hard).f1).toBeGreaterThanOrEqual(0.93);
  });

  it("reads the clean flyers at show F1 >= 0.97", () => {
    expect(clean).toHaveLength(15);
    expect(report("clean", clean).f1).toBeGreaterThanOrEqual(0.97);
  });
});
