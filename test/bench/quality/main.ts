import os from "node:os";
import { parseArgs } from "node:util";
import { figures, FIELDS } from "../../support/show-score";
import { generatedSet, readWithOfflineEngine, total, type ImageReading } from "../../support/offline-quality";
import { textTable } from "../report";
import { DAMAGES, WORDINGS } from "../../support/hard-flyers";
import { folderSet } from "./sets";

/**
 * `npm run bench:quality`: the offline engine over a generated set (clean flyers and hard
 * images) or a folder with a truth.json, with show F1, precision, recall and field accuracy
 * overall, per layout and per kind of damage, and seconds per image (wall and CPU).
 */

const { values } = parseArgs({
  options: {
    folder: { type: "string" },
    clean: { type: "string", default: "15" },
    hard: { type: "string", default: "63" },
    seed: { type: "string", default: "1" },
    threads: { type: "string", default: "1" },
    verbose: { type: "boolean", default: false },
  },
});
const count = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got ${value}`);
  return n;
};

const images = values.folder
  ? await folderSet(values.folder)
  : await generatedSet({ clean: count("clean", values.clean), hard: count("hard", values.hard), seed: count("seed", values.seed) });
console.log(
  `offline quality: ${images.length} images, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);

const started = performance.now();
const readings = await readWithOfflineEngine(images, { threads: count("threads", values.threads) });
console.log(`read in ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (values.verbose)
  for (const r of readings) {
    const f = figures(r.score);
    if (f.f1 < 1)
      console.log(
        `${r.image.name}: F1 ${f.f1.toFixed(2)} (${r.score.correctShows}/${r.score.truthShows} right, ${r.score.predictedShows} read)`,
      );
  }

// Overall, then by set, layout, damage and wording, then any other tag (a folder's own).
const ORDER = ["all", "clean", "hard", ...["weekly", "poster", "social"].map((l) => `layout ${l}`), ...DAMAGES, ...WORDINGS];
const groups = new Map<string, ImageReading[]>([["all", readings]]);
const add = (label: string, r: ImageReading) => groups.set(label, [...(groups.get(label) ?? []), r]);
for (const r of readings) for (const tag of [`layout ${r.image.layout}`, ...r.image.tags]) add(tag, r);
const rank = (label: string) => (ORDER.includes(label) ? ORDER.indexOf(label) : ORDER.length);

const pct = (n: number) => n.toFixed(3);
const rows = [...groups]
  .sort(([a], [b]) => rank(a) - rank(b))
  .map(([label, group]) => {
    const { score, wallSeconds, cpuSeconds } = total(group);
    const f = figures(score);
    return [
      label,
      String(score.images),
      String(score.truthShows),
      pct(f.f1),
      pct(f.precision),
      pct(f.recall),
      ...FIELDS.map((field) => pct(f.accuracy[field])),
      wallSeconds.toFixed(2),
      cpuSeconds.toFixed(2),
    ];
  });
console.log(textTable(["group", "images", "shows", "F1", "precision", "recall", ...FIELDS, "s/image", "cpu s/image"], rows));
