// Tinypool loads workers as plain JavaScript. From source (dev, tests) register tsx first so the
// TypeScript task module can load; a built service ships tasks.js next to this file.
import { existsSync } from "node:fs";

const built = new URL("./tasks.js", import.meta.url);
let tasks;
if (existsSync(built)) {
  tasks = await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  tasks = await import(new URL("./tasks.ts", import.meta.url).href);
}

export const prepare = tasks.prepare;
export const warm = tasks.warm;
export const ocr = tasks.ocr;
export const thumbnail = tasks.thumbnail;
export const memory = tasks.memory;
