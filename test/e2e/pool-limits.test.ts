import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/src/logger";
import { createWorkerPool, type WorkerPool } from "../../server/src/pool/pool";
import { distinctImages } from "../support/images";

const CRASHING_WORKER = new URL("../support/crashing-worker.mjs", import.meta.url).href;
const logger = createLogger("silent");
const prepare = (pool: WorkerPool, bytes: Uint8Array) => pool.prepare({ bytes }, AbortSignal.timeout(30_000));

/** The worker pool's memory settings: idle threads let go, a thread over its heap limit replaced. */
describe("worker pool limits", () => {
  const pools: WorkerPool[] = [];
  const crashDir = mkdtempSync(path.join(os.tmpdir(), "showscan-pool-"));
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
    rmSync(crashDir, { recursive: true, force: true });
  });

  it("lets idle threads go after idleMs, down to one, and starts them again when work comes", async () => {
    const pool = createWorkerPool({ logger, threads: 2, idleMs: 300 });
    pools.push(pool);
    await pool.warmUp();
    expect(pool.stats().threads).toBe(2);
    await expect.poll(() => pool.stats().threads, { timeout: 5_000, interval: 100 }).toBe(1);
    const images = await distinctImages(4, "pool-idle");
    const prepared = await Promise.all(images.map((i) => prepare(pool, i.bytes)));
    expect(prepared.every((p) => p.ok)).toBe(true);
  });

  it("a thread that fills its heap past maxHeapMb dies; its task fails, the next one runs on a new thread", async () => {
    const previous = process.env.SHOWSCAN_CRASH_DIR;
    process.env.SHOWSCAN_CRASH_DIR = crashDir;
    try {
      const pool = createWorkerPool({ logger, threads: 1, maxHeapMb: 64, filename: CRASHING_WORKER });
      pools.push(pool);
      await pool.warmUp();
      const [hog, fine] = await distinctImages(2, "pool-hog");
      writeFileSync(path.join(crashDir, `${createHash("sha256").update(hog!.bytes).digest("hex")}.crash`), "hog");
      await expect(prepare(pool, hog!.bytes)).rejects.toThrow();
      expect((await prepare(pool, fine!.bytes)).ok).toBe(true);
      expect(pool.stats().threads).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.SHOWSCAN_CRASH_DIR;
      else process.env.SHOWSCAN_CRASH_DIR = previous;
    }
  });
});
