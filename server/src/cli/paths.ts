import path from "node:path";

/**
 * The folder relative paths on the command line mean. `npm run showscan` and `npm exec -w`
 * run the command inside the server workspace; npm keeps the folder the user typed it in as
 * INIT_CWD.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_command === "exec" && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

export const resolveUserPath = (p: string, base = invocationDir()) => path.resolve(base, p);
