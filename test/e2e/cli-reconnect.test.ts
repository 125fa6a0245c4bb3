import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { TEST_MODEL, testTokens, serverProcessEnv } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(ROOT, "server/bin/showscan.mjs");
const IMAGES = 10;

/** A running `showscan` with its output so far, its exit, and when each stderr line arrived. */
interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the time (Date.now()) at which stdout or stderr first matched. */
  when(pattern: RegExp): Promise<number>;
  exit: Promise<{ code: number | null; at: number }>;
}

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(GEMINI_|ENGINE$|JWT_SECRET$|DATABASE_URL$|DATA_DIR$|SHOWSCAN_TOKEN$|LOG_LEVEL$|npm_)/.test(k) && k !== "INIT_CWD",
    ),
  );
}

/** `node server/bin/showscan.mjs ...args` from the repository root, followed as it runs. */
function showscan(args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout) || w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(Date.now());
      }
    }
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (process.env.DEBUG_CLI) console.error(chunk.toString());
    check();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.DEBUG_CLI) console.error(chunk.toString());
    check();
  });
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on("close", (code) => resolve({ code, at: Date.now() })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    when(pattern) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in 60 s\nstdout:\n${stdout}\nstderr:\n${stderr}`)), 60_000);
        waiters.push({
          pattern,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
        check();
      });
    },
  };
}

/** SIGKILL: the server goes away at once, as in a crash or an OOM kill; resolves when it is gone. */
async function kill(server: ServerProcess, servers: ServerProcess[]): Promise<number> {
  // Gone for good: stop() would wait for an exit that has already happened.
  servers.splice(servers.indexOf(server), 1);
  const gone = new Promise<void>((r) => server.child.once("exit", () => r()));
  server.child.kill("SIGKILL");
  await gone;
  return Date.now();
}

describe("showscan analyze when its server dies mid-batch", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  let env: Record<string, string>;
  let tmp: string;
  let dir: string;
  let admin: string;
  const servers: ServerProcess[] = [];
  const clis: Cli[] = [];

  const startServer = async (port?: number) => {
    const server = await startServerProcess(port ? { ...env, PORT: String(port) } : env);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    // Each image takes a while, so the batch is still running when its server is killed.
    fake = await startFakeGemini({ latencyMs: 1_000, model: TEST_MODEL });
    database = await createTestDatabase();
    env = {
      ...serverProcessEnv(database.url, fake.url),
      // Images in flight in the killed process are taken up again once their lease (this + 15 s) runs out.
      IMAGE_TIMEOUT_MS: "3000",
    };
    admin = await testTokens.sign({ sub: "cli-reconnect", role: "admin" });
    tmp = mkdtempSync(path.join(os.tmpdir(), "showscan-reconnect-"));
  }, 120_000);

  afterEach(async () => {
    for (const cli of clis.splice(0)) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  afterAll(async () => {
    await database?.drop();
    await fake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const folder = async (name: string) => {
    dir = path.join(tmp, name);
    mkdirSync(dir);
    for (const image of await distinctImages(IMAGES, name)) writeFileSync(path.join(dir, image.name), image.bytes);
    return dir;
  };

  it("says the connection is lost within seconds, reconnects to the restarted server and finishes normally", async () => {
    const images = await folder("restart");
    const server = await startServer();
    const port = Number(new URL(server.url).port);
    const cli = showscan(["analyze", images, "--server", server.url, "--token", admin, "--workers", "2"]);
    clis.push(cli);
    await cli.when(/📊 [1-9]\d*\/10 processed/);

    const killedAt = await kill(server, servers);
    const lostAt = await cli.when(/Lost the connection to http:\/\/127\.0\.0\.1:\d+; the batch goes on on the server\. Reconnecting…/);
    expect(lostAt - killedAt).toBeLessThan(5_000);

    await startServer(port);
    await cli.when(/✅ Reconnected/);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(0);
    expect(cli.stdout()).toMatch(/✅ Completed in [\d.]+s/);
    expect(cli.stdout()).toContain(`📈 Success rate: ${IMAGES}/${IMAGES} images (100%)`);
    expect(cli.stderr()).toContain(`📊 ${IMAGES}/${IMAGES} processed`);
    // Resumed from the last event it saw: the count never went back (no false 0% after the reconnect).
    const counts = [...cli.stderr().matchAll(/📊 (\d+)\/10 processed/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(cli.stderr().match(/Lost the connection/g)).toHaveLength(1);
  }, 120_000);

  it("notices a server that hangs with its sockets open (no pong), and carries on when it wakes", async () => {
    const images = await folder("hang");
    const server = await startServer();
    const cli = showscan(["analyze", images, "--server", server.url, "--token", admin, "--workers", "2"]);
    clis.push(cli);
    await cli.when(/📊 [1-9]\d*\/10 processed/);

    // SIGSTOP: the process is frozen, its sockets stay open and nothing answers on them.
    server.child.kill("SIGSTOP");
    const frozenAt = Date.now();
    let lostAt: number;
    try {
      lostAt = await cli.when(/Lost the connection to http:\/\/127\.0\.0\.1:\d+; the batch goes on on the server\. Reconnecting…/);
    } finally {
      server.child.kill("SIGCONT");
    }
    // The CLI pings every 2 s and gives a pong 2 s.
    expect(lostAt - frozenAt).toBeLessThan(8_000);
    await cli.when(/✅ Reconnected/);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(0);
    expect(cli.stdout()).toContain(`📈 Success rate: ${IMAGES}/${IMAGES} images (100%)`);
  }, 120_000);

  it("gives up after --reconnect-timeout with the batch id and the follow command; `showscan follow` then finishes it", async () => {
    const images = await folder("away");
    const server = await startServer();
    const port = Number(new URL(server.url).port);
    const cli = showscan(["analyze", images, "--server", server.url, "--token", admin, "--workers", "2", "--reconnect-timeout", "3"]);
    clis.push(cli);
    await cli.when(/📊 [1-9]\d*\/10 processed/);
    const batchId = cli.stdout().match(/\(batch ([\w-]+)\)/)?.[1];
    expect(batchId).toBeTruthy();

    const killedAt = await kill(server, servers);
    const { code, at } = await cli.exit;
    expect(code, cli.stderr()).toBe(1);
    expect(at - killedAt).toBeLessThan(10_000);
    expect(cli.stderr()).toContain("Lost the connection");
    expect(cli.stderr()).toContain(`Batch ${batchId} keeps running on the server`);
    expect(cli.stderr()).toContain(`showscan follow ${batchId} --server ${server.url}`);

    const again = await startServer(port);
    const follow = showscan(["follow", batchId!, "--server", again.url, "--token", admin]);
    clis.push(follow);
    const followed = await follow.exit;
    expect(followed.code, follow.stderr()).toBe(0);
    expect(follow.stdout()).toContain(`👀 Following batch ${batchId}`);
    expect(follow.stdout()).toContain(`📈 Success rate: ${IMAGES}/${IMAGES} images (100%)`);
    expect(follow.stderr()).toContain(`📊 ${IMAGES}/${IMAGES} processed`);
  }, 120_000);
});
