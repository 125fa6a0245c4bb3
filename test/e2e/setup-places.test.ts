import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Serve {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
  exit: Promise<number | null>;
}

/** `showscan serve` from `root` on the embedded Postgres in `dataDir`, with nothing else set. */
function serve(root: string, dataDir: string): Serve {
  const child = spawn(process.execPath, [path.join(root, "server/bin/showscan.mjs"), "serve"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: "0", DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log += d.toString();
      const match = log.match(/showscan listening on (http:\/\/[\d.:]+)/);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exit.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${log}`)));
  });
  url.catch(() => {});
  return { child, url, output: () => log, exit };
}

/** The pid in a Postgres data folder's postmaster.pid, if a postmaster is still running from it. */
function livePostmaster(pgData: string): number | null {
  const file = path.join(pgData, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * `npm start` where users really put things: a clone under a path with spaces, the data on
 * another file system, a start after a run that was killed and left its Postgres behind.
 */
describe("starting from unusual places", () => {
  const made: string[] = [];
  /**
   * A copy of the checkout (hard links: no second copy of the bytes) under a path with spaces,
   * in the temporary folder: the checkout itself may be in a folder only root may enter, where
   * the embedded Postgres cannot run (that case has its own test and its own sentence).
   */
  let clone: string;
  beforeAll(() => {
    clone = path.join(tmp("showscan clone "), "my projects", "show scan");
    mkdirSync(path.dirname(clone), { recursive: true });
    if (spawnSync("cp", ["-al", ROOT, clone]).status !== 0) {
      // Another file system than the checkout's: a real copy.
      rmSync(clone, { recursive: true, force: true });
      expect(spawnSync("cp", ["-a", ROOT, clone]).status).toBe(0);
    }
    rmSync(path.join(clone, ".data"), { recursive: true, force: true });
  }, 120_000);
  const running: Serve[] = [];
  /** A new folder anyone may enter, as folders usually are (mkdtemp makes them private). */
  const tmp = (prefix: string, base = os.tmpdir()) => {
    const dir = mkdtempSync(path.join(base, prefix));
    chmodSync(dir, 0o755);
    made.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const s of running.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGTERM");
      await s.exit;
    }
  });
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("starts again after a killed run left its embedded Postgres running, stopping the stale one first", async () => {
    const dataDir = path.join(tmp("showscan stale "), "data dir");
    const first = serve(clone, dataDir);
    running.push(first);
    await first.url;
    first.child.kill("SIGKILL");
    await first.exit;
    const stale = livePostmaster(path.join(dataDir, "postgres/pg"));
    expect(stale, "the killed run's postmaster is still up").not.toBeNull();

    const second = serve(clone, dataDir);
    running.push(second);
    const url = await second.url;
    expect(second.output()).toContain(`stopping a stale embedded Postgres (pid ${stale}) left by an earlier run`);
    expect(await fetch(`${url}/readyz`).then((r) => r.status)).toBe(200);
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
    expect(livePostmaster(path.join(dataDir, "postgres/pg"))).toBeNull();
  }, 120_000);

  it("keeps DATA_DIR on another file system (a tmpfs)", async () => {
    const dataDir = tmp("showscan-data-", "/dev/shm");
    expect(spawnSync("stat", ["-f", "-c", "%T", dataDir], { encoding: "utf8" }).stdout.trim()).toBe("tmpfs");
    const run = serve(clone, dataDir);
    running.push(run);
    const url = await run.url;
    expect(await fetch(`${url}/readyz`).then((r) => r.status)).toBe(200);
    expect(existsSync(path.join(dataDir, "postgres/pg/PG_VERSION"))).toBe(true);
  }, 120_000);

  it("with DATA_DIR in a folder only its owner may enter: as root, one sentence that says to change DATA_DIR; else it starts", async () => {
    const private_ = tmp("showscan-private-");
    chmodSync(private_, 0o700);
    const run = serve(clone, path.join(private_, "data"));
    running.push(run);
    if (process.getuid?.() !== 0) {
      expect(await fetch(`${await run.url}/readyz`).then((r) => r.status)).toBe(200);
      return;
    }
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain(
      `showscan: the embedded Postgres cannot start: run as root, it runs as the user "postgres", who may not enter ${private_}; set DATA_DIR to a folder other users can enter`,
    );
    expect(run.output()).not.toContain("    at ");
  }, 120_000);

  it("runs from a clone whose path has spaces in it, its data in the default .data inside it", async () => {
    const run = serve(clone, path.join(clone, ".data"));
    running.push(run);
    const url = await run.url;
    expect(await fetch(`${url}/readyz`).then((r) => r.status)).toBe(200);
    expect(existsSync(path.join(clone, ".data/postgres/pg/PG_VERSION"))).toBe(true);
  }, 120_000);
});
