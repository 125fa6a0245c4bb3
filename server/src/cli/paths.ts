import path from "node:path";

/**
 * The folder relative paths on the command line mean. `npm run showscan` runs the command in
 * the repository root whatever folder it was typed in; npm keeps that folder as INIT_CWD.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}

export const resolveUserPath = (p: string, base = invocationDir()) => path.resolve(base, p);
