import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import type { User } from "../auth/tokens";
import type { Services } from "../services";
import { refuseOverBatchRate } from "./rate-limit";

const IMAGE_FILE = /\.(png|jpe?g|webp)$/i;

/** The sample screenshots shipped with the project, by name; none when the folder is absent. */
export async function sampleNames(dir: string | null): Promise<string[]> {
  if (!dir) return [];
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((name) => IMAGE_FILE.test(name)).sort();
}

/**
 * `batch.analyzeSamples`: the first-run demo. The shipped samples go through the same
 * submission as an upload (the same limits, rate limit and settings), so what a newcomer sees
 * is what their own screenshots will get.
 */
export async function analyzeSamples(services: Services, user: User) {
  const names = await sampleNames(services.samplesDir);
  if (names.length === 0 || !services.samplesDir)
    throw new TRPCError({ code: "NOT_FOUND", message: "no sample screenshots are installed" });
  const dir = services.samplesDir;
  const files = await Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(dir, name))) })));
  const settings = await services.settings.get();
  await refuseOverBatchRate(services, user, settings);
  return services.submit({ owner: user.sub, files, description: "Sample screenshots" }, user.role, settings);
}
