import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(ROOT, "server/bin/showscan.mjs");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would have, minus anything that would pick an engine, a secret or a database. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(GEMINI_|ENGINE$|JWT_SECRET$|DATABASE_URL$|DATA_DIR$|SHOWSCAN_TOKEN$|LOG_LEVEL$|npm_)/.test(k) && k !== "INIT_CWD",
    ),
  );
  return { ...env, ...extra };
}

/** `node server/bin/showscan.mjs ...args` from the repository root, as a user runs it. */
export function showscan(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 90_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`showscan ${args.join(" ")} did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
