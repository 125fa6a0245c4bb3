import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listProgressEvents } from "../../db/src/index";
import { createLogger } from "../../server/src/logger";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, startService, waitForBatch, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";

const CRASHING_WORKER = new URL("../support/crashing-worker.mjs", import.meta.url).href;
const fastRetries = { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 100, maxRateLimited: 10 };
const SINGLE_THREAD = /one at a time on a single thread/;

/** Worker threads that die, once and again and again, in a running service. */
describe("a worker pool whose threads keep dying", () => {
  let crashDir: string;
  let fake: FakeGemini;
  let service: TestService | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    crashDir = mkdtempSync(path.join(os.tmpdir(), "showscan-shrink-"));
    process.env.SHOWSCAN_CRASH_DIR = crashDir;
    fake = await startFakeGemini();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => {
    await fake?.close();
    delete process.env.SHOWSCAN_CRASH_DIR;
    rmSync(crashDir, { recursive: true, force: true });
  });

  const start = (deathsPerStep: number) => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    return startService({
      fake,
      retryPolicy: fastRetries,
      workerFile: CRASHING_WORKER,
      pool: { threads: 3, deathsPerStep },
      logger: createLogger("info", sink),
      config: { imageTimeoutMs: 5_000 },
    });
  };
  /** Each marked image kills the thread preparing it the first time, by an uncaught error. */
  const crashOn = (images: { bytes: Buffer }[]) => {
    for (const image of images)
      writeFileSync(path.join(crashDir, `${createHash("sha256").update(image.bytes).digest("hex")}.crash`), "throw");
  };

  it("replaces a thread that dies once and stays at full size", async () => {
    service = await start(3);
    const images = await distinctImages(6, "shrink-once");
    crashOn(images.slice(2, 3));
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 3, mode: "parallel" }, "admin");
    expect(await waitForBatch(service, batchId, 60_000)).toMatchObject({ status: "completed", succeededImages: 6, notice: null });
    // Tinypool starts the replacement a moment after the death.
    const stats = await eventually(async () => {
      const now = service!.pool.stats();
      return now.threads === 3 ? now : null;
    });
    expect(stats).toMatchObject({ threads: 3, size: 3 });
  });

  it("gives up a thread per burst of deaths, down to one preparing one image at a time; the batch completes and says so", async () => {
    lines.length = 0;
    service = await start(2);
    const images = await distinctImages(16, "shrink-burst");
    // Six deaths: 3 -> 2 threads after two, 2 -> 1 after four, then one thread for the rest.
    crashOn(images.slice(0, 6));
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 3, mode: "parallel" }, "admin");
    const batch = await waitForBatch(service, batchId, 120_000);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 16, failedImages: 0 });
    expect(service.pool.stats().size).toBe(1);
    // The batch says so, in its row and in the snapshots its subscribers got.
    expect((await getBatch(service.db, batchId))?.notice).toMatch(SINGLE_THREAD);
    const events = await listProgressEvents(service.db, batchId, -1, 1_000);
    expect(events.some((e) => SINGLE_THREAD.test(String((e.data as { notice: string | null }).notice)))).toBe(true);
    // And the log, one warning per step.
    const warnings = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => /Worker threads kept dying/.test(l.msg));
    expect(warnings.map((w) => w.msg)).toEqual([
      "Worker threads kept dying: the pool runs 2 of 3 threads (slower; the batch goes on)",
      "Worker threads kept dying: images are prepared one at a time on a single thread (slower; the batch goes on)",
    ]);
    expect(warnings.every((w) => w.level === 40)).toBe(true);
  }, 150_000);
});
