// A worker module for fault tests: the real tasks, except that `prepare` kills its thread once
// for every image whose SHA-256 has a file `<sha>.crash` in SHOWSCAN_CRASH_DIR: by an uncaught
// exception when the file says "throw", by filling its heap past the pool's limit when it says
// "hog", by process.exit() otherwise.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import * as real from "../../server/src/pool/worker.mjs";

export async function prepare(input) {
  const dir = process.env.SHOWSCAN_CRASH_DIR;
  if (dir) {
    const marker = path.join(dir, `${createHash("sha256").update(input.bytes).digest("hex")}.crash`);
    if (existsSync(marker)) {
      const how = readFileSync(marker, "utf8");
      rmSync(marker);
      if (how === "hog") {
        const hoard = [];
        for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
      }
      if (how === "throw") {
        setTimeout(() => {
          throw new Error("native decoder crashed");
        });
        return new Promise(() => {});
      }
      process.exit(1);
    }
  }
  return real.prepare(input);
}

export const ocr = real.ocr;
export const warm = real.warm;
export const thumbnail = real.thumbnail;
export const memory = real.memory;
