import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./errors";

/**
 * The folder relative paths on the command line mean. `npm run showscan` runs the command in
 * the repository root whatever folder it was typed in; npm keeps that folder as INIT_CWD.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}

export const resolveUserPath = (p: string, base = invocationDir()) => path.resolve(base, p);

/** A file the user named for output, resolved; its folder must exist and be writable. */
export async function writableFile(file: string, option: string): Promise<string> {
  const full = resolveUserPath(file);
  const dir = path.dirname(full);
  const ok = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!ok) throw new UsageError(`${option} ${file}: the folder ${dir} does not exist`);
  await access(dir, constants.W_OK).catch(() => {
    throw new UsageError(`${option} ${file}: cannot write in ${dir}`);
  });
  return full;
}
