import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Why the run's web build failed, with its output; null when it succeeded. */
    webBuildError: string | null;
  }
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
export const WEB_INDEX = fileURLToPath(new URL("../../../web/dist/index.html", import.meta.url));

/**
 * Builds the web client once per run, so the service serves web/dist as `npm start` does.
 *
 * A failed build is printed here and handed to the tests (startWebService throws it), so every
 * browser test fails with the build's output. Throwing from a global setup would not do: Vitest
 * then runs no test at all, in any project, and still ends "0 passed, 0 failed" with exit code 0.
 */
export default function setup(project: TestProject) {
  const started = Date.now();
  const build = spawnSync("npm", ["run", "build", "-w", "@showscan/web"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = stripVTControlCharacters(`${build.stdout ?? ""}${build.stderr ?? ""}`).trim();
  let failure: string | null = null;
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : `exit code ${build.status ?? `signal ${build.signal}`}`;
    failure = `the web build (npm run build -w @showscan/web) failed (${why}); the browser tests need it:\n\n${output}`;
  } else if (!existsSync(WEB_INDEX)) {
    failure = `the web build (npm run build -w @showscan/web) succeeded but wrote no ${WEB_INDEX}:\n\n${output}`;
  }
  if (failure) process.stderr.write(`\n== browser tests: ${failure}\n\n`);
  else process.stdout.write(`web client built in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  project.provide("webBuildError", failure);
}
