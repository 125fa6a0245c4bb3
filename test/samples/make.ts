import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { figures } from "../support/show-score";
import { generatedSet, readWithOfflineEngine } from "../support/offline-quality";

/**
 * `npm run samples -w @showscan/test`: rewrites the repository's samples/ folder, the sample
 * screenshots the first-run demo offers, with their truth.json. They come from the project's
 * generator: three clean flyers and three with the damage real screenshots have, each of a
 * different kind, and only images the offline engine reads completely, so the demo with no key
 * shows every show of every sample.
 */
const OUT = fileURLToPath(new URL("../../samples/", import.meta.url));
const HARD_KINDS = ["thumbnail", "dark", "backdrop"];

const candidates = await generatedSet({ clean: 6, hard: 28, seed: 7 });
const readings = await readWithOfflineEngine(candidates, { threads: 2 });
const perfect = readings.filter((r) => figures(r.score).f1 === 1 && r.score.truthShows > 0).map((r) => r.image);

const clean = perfect.filter((i) => i.tags.includes("clean")).slice(0, 3);
const hard = HARD_KINDS.map((kind) => perfect.find((i) => i.tags.includes(kind)));
const chosen = [...clean, ...hard.filter((i) => i !== undefined)];
if (chosen.length < 6) throw new Error(`only ${chosen.length} candidates were read completely: ${chosen.map((i) => i.name).join(", ")}`);

mkdirSync(OUT, { recursive: true });
for (const name of readdirSync(OUT)) rmSync(path.join(OUT, name));
for (const image of chosen) writeFileSync(path.join(OUT, image.name), image.bytes);
const truth = chosen.map((i) => ({ file: i.name, layout: i.layout, tags: i.tags, shows: i.truth }));
writeFileSync(path.join(OUT, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
console.log(`wrote ${chosen.length} samples to ${OUT}: ${chosen.map((i) => i.name).join(", ")}`);
