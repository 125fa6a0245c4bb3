/**
 * A fake Gemini and a folder of flyers, to watch `showscan analyze` by hand:
 *
 *   npx tsx test/support/cli-demo.ts /tmp/showscan-demo 12
 *   ENGINE=gemini GEMINI_API_KEY=test-key GEMINI_BASE_URL=<printed url> DATA_DIR=/tmp/showscan-demo/data \
 *     node server/bin/showscan.mjs analyze /tmp/showscan-demo/flyers
 *
 * The folder also holds a text file named like a PNG (rejected) and one screenshot the fake
 * refuses as unsafe (failed). Model latency is 0.8-2.5 s so the progress bar has time to move.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startFakeGemini } from "./fake-gemini";
import { extractionFromTruth, generateFlyers, type Flyer } from "./flyers";
import { preparedSha256 } from "./harness";
import { distinctImages } from "./images";

const dir = path.resolve(process.argv[2] ?? "/tmp/showscan-demo");
const count = Number(process.argv[3] ?? 12);
const folder = path.join(dir, "flyers");
mkdirSync(folder, { recursive: true });

const flyers = await generateFlyers(count, 5);
const answers = new Map<string, Flyer>();
for (const flyer of flyers) {
  answers.set(await preparedSha256(flyer.bytes), flyer);
  writeFileSync(path.join(folder, flyer.name), flyer.bytes);
}
const [unknown] = await distinctImages(1, "blurry");
writeFileSync(path.join(folder, "zz-blurry-photo.png"), unknown!.bytes);
writeFileSync(path.join(folder, "notes.png"), "Thursday: karaoke at the Rusty Nail, 9pm\n");

const fake = await startFakeGemini({
  latencyMs: () => 800 + Math.random() * 1700,
  answer: (req) => {
    const flyer = answers.get(req.imageSha256);
    return flyer ? { json: extractionFromTruth(flyer.truth) } : { fault: "safety" };
  },
});
process.stdout.write(`flyers in ${folder}\nGEMINI_BASE_URL=${fake.url}\n`);
process.once("SIGINT", () => void fake.close().then(() => process.exit(0)));
process.once("SIGTERM", () => void fake.close().then(() => process.exit(0)));
