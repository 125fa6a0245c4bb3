import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { WEEKDAYS } from "../../../server/src/extraction/schema";
import type { QualityImage } from "../../support/offline-quality";

const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "24-hour HH:MM")
  .nullable();
const text = z.string().min(1).nullable();
const truthFile = z.array(
  z.object({
    file: z.string().min(1),
    layout: z.string().min(1).default("unknown"),
    tags: z.array(z.string().min(1)).default([]),
    shows: z.array(
      z.object({
        venue: z.string().min(1),
        dayOfWeek: z.enum(WEEKDAYS),
        startTime: time,
        endTime: time.default(null),
        djName: text.default(null),
        vendor: text.default(null),
        address: text.default(null),
        city: text.default(null),
        state: text.default(null),
        zip: text.default(null),
        phone: text.default(null),
      }),
    ),
  }),
);

/** A folder's images and its truth.json (format in README.md), each image tagged with the folder's name. */
export async function folderSet(folder: string): Promise<QualityImage[]> {
  const file = path.join(folder, "truth.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read it as JSON: ${(error as Error).message}`);
  }
  const parsed = truthFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`);
  }
  return Promise.all(
    parsed.data.map(async (entry) => {
      const image = path.join(folder, entry.file);
      const bytes = await readFile(image).catch((error: Error) => {
        throw new Error(`${file}: image ${entry.file} cannot be read: ${error.message}`);
      });
      return {
        name: entry.file,
        bytes,
        layout: entry.layout,
        tags: [path.basename(path.resolve(folder)), ...entry.tags],
        truth: entry.shows,
      };
    }),
  );
}
