import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getBatch, getRateCell, listAttempts, listImages } from "../../db/src/index";
import { cancelBatch } from "../../server/src/batches/commands";
import { batchDetail } from "../../server/src/batches/views";
import { createGeminiEngine } from "../../server/src/engines/gemini/engine";
import { EngineError, type Engine } from "../../server/src/engines/types";
import { nextPacificMidnight } from "../../server/src/pipeline/daily-quota";
import { createQuotaGate } from "../../server/src/pipeline/quota";
import { perMinute429, startFakeGemini, type FakeGemini, type FakeReply } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { startService, TEST_MODEL, waitForBatch, type TestService } from "../support/harness";
import { createTestDatabase } from "../support/test-database";

const ok: FakeReply = { json: { shows: [], venues: [], djs: [], vendors: [] } };

/** A per-minute 429 as Gemini sends it, with a RetryInfo of one second. */
const perMinute = perMinute429("1s");

/** The real Gemini engine, told that a spent daily quota is back after `resumeMs` (instead of at midnight). */
function withDailyReset(engine: Engine, resumeMs: number): Engine {
  return {
    ...engine,
    analyze: (image, signal) =>
      engine.analyze(image, signal).catch((error: unknown) => {
        if (error instanceof EngineError && error.errorClass === "quotaExhausted")
          throw new EngineError(error.message, error.errorClass, { ...error.details, retryAfterMs: resumeMs });
        throw error;
      }),
  };
}

describe("the key's rate limit against the fake Gemini", () => {
  let fake: FakeGemini;
  const services: TestService[] = [];
  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 20 });
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  afterAll(() => fake?.close());

  it("pauses the whole key on a per-minute 429, lowers the rate, and finishes every image", async () => {
    // 600 rpm: one start every ~100 ms, until the 429 halves it.
    const service = await startService({ fake, config: { settingsDefaults: { geminiRpm: 600 } } });
    services.push(service);
    const images = await distinctImages(8, "rpm-429");
    fake.reset();
    const answeredAt: number[] = [];
    let limited: number | null = null;
    fake.setAnswer(() => {
      answeredAt.push(Date.now());
      if (answeredAt.length !== 3) return ok;
      limited = Date.now();
      return perMinute;
    });
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 3, mode: "parallel" }, "admin");
    const batch = await waitForBatch(service, batchId);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 8, failedImages: 0 });
    expect(fake.requests).toHaveLength(9);

    // Nothing went out during the pause, for any image.
    const after = answeredAt.filter((t) => t > limited!);
    expect(after).toHaveLength(6);
    expect(after[0]! - limited!).toBeGreaterThanOrEqual(950);
    // After it, paced at the halved rate: ~200 ms apart (over the span: one gap alone jitters).
    expect((after.at(-1)! - after[0]!) / (after.length - 1)).toBeGreaterThanOrEqual(185);
    const cell = await getRateCell(service.db, "gemini");
    expect(cell?.allowedRpm).toBeGreaterThanOrEqual(300);
    expect(cell?.allowedRpm).toBeLessThan(330);

    const attempts = await listAttempts(service.db, batchId);
    expect(attempts.filter((a) => a.errorClass === "rateLimited")).toEqual([
      expect.objectContaining({ outcome: "retry", httpStatus: 429 }),
    ]);
  });

  it("pauses the batch when the daily quota is spent, and resumes it by itself when the quota is back", async () => {
    const gemini = createGeminiEngine({ apiKey: "test-key", model: TEST_MODEL, baseUrl: fake.url });
    const service = await startService({ fake, engine: withDailyReset(gemini, 2_000) });
    services.push(service);
    const images = await distinctImages(5, "day-429");
    fake.reset();
    let dayOver = false;
    const answeredAt: number[] = [];
    fake.setAnswer(() => {
      answeredAt.push(Date.now());
      return dayOver ? ok : { fault: "rate-limit-day" };
    });
    const submitted = Date.now();
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 2, mode: "parallel" }, "admin");

    await expect.poll(async () => (await getBatch(service.db, batchId))?.resumesAt, { timeout: 10_000 }).not.toBeNull();
    const paused = await getBatch(service.db, batchId);
    const view = await batchDetail(service.db, paused!);
    expect(view).toMatchObject({ status: "running", error: null, progress: { failedImages: 0, processedImages: 0 } });
    expect(view.resumesAt).not.toBeNull();
    const resumesAt = new Date(view.resumesAt!).getTime();
    expect(resumesAt).toBeGreaterThan(submitted + 1_500);
    expect(view.progress.resumesAt).toBe(view.resumesAt);
    // Not failed: back in the queue until then; the attempts say why.
    const rows = await listImages(service.db, batchId);
    expect(rows.every((r) => r.status === "queued" || r.status === "running")).toBe(true);
    const asked = fake.requests.length;
    expect(asked).toBeLessThanOrEqual(2);
    await expect
      .poll(async () => (await listAttempts(service.db, batchId)).filter((a) => a.errorClass === "quotaExhausted"), { timeout: 5_000 })
      .toHaveLength(asked);
    // The rest were claimed ahead of their request and handed back until the batch resumes.
    await expect.poll(async () => (await listAttempts(service.db, batchId)).some((a) => a.outcome === "running")).toBe(false);
    for (const a of await listAttempts(service.db, batchId))
      expect(a).toMatchObject({ outcome: "retry", errorClass: a.errorClass === "cancelled" ? "cancelled" : "quotaExhausted" });

    dayOver = true;
    const batch = await waitForBatch(service, batchId, 20_000);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 5, failedImages: 0, resumesAt: null });
    // Nothing was sent while the batch waited.
    const resumed = answeredAt.slice(asked);
    expect(resumed).toHaveLength(5);
    for (const t of resumed) expect(t).toBeGreaterThanOrEqual(resumesAt - 50);
    // The wait for the quota spent no retry: every image succeeded on its next attempt.
    const ended = await listImages(service.db, batchId);
    expect(ended.every((r) => r.status === "succeeded")).toBe(true);
    const detail = await batchDetail(service.db, batch);
    expect(detail.resumesAt).toBeNull();
  });

  it("waits for midnight Pacific time when the engine names no reset, until the batch is cancelled", async () => {
    const service = await startService({ fake });
    services.push(service);
    const images = await distinctImages(2, "day-midnight");
    fake.reset();
    fake.setAnswer(() => ({ fault: "rate-limit-day" }));
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 1, mode: "parallel" }, "admin");
    await expect.poll(async () => (await getBatch(service.db, batchId))?.resumesAt, { timeout: 10_000 }).not.toBeNull();
    const batch = await getBatch(service.db, batchId);
    const midnight = nextPacificMidnight(new Date());
    expect(Math.abs(batch!.resumesAt!.getTime() - midnight.getTime())).toBeLessThan(1_000);
    await sleep(300);
    expect(fake.requests).toHaveLength(1);
    const rows = await listImages(service.db, batchId);
    expect(rows.map((r) => r.status)).toEqual(["queued", "queued"]);
    for (const r of rows) expect(Math.abs(r.nextAttemptAt.getTime() - midnight.getTime())).toBeLessThan(1_000);

    await cancelBatch(service.app, batchId);
    expect(await getBatch(service.db, batchId)).toMatchObject({ status: "cancelled", resumesAt: null });
  });
});

describe("two server processes on one key", () => {
  it("keep together to the key's limit in every window, near the limit, with no 429", async () => {
    // A minute scaled to 30 s: 30 requests per window, one a second, over about 40 s. The 0.5%
    // margin absorbs 150 ms of lateness at this scale (300 ms at a real minute); a shorter
    // window would leave less than the jitter of two services sharing two cores.
    const periodMs = 30_000;
    const limit = 30;
    const fake = await startFakeGemini({ latencyMs: 20, rpm: limit, windowMs: periodMs });
    const database = await createTestDatabase();
    const services: TestService[] = [];
    try {
      for (let i = 0; i < 2; i++)
        services.push(
          await startService({
            fake,
            database,
            // Each process has its own gate on the one cell, as separate processes would.
            quota: createQuotaGate({ db: database.db, key: "gemini", periodMs }),
            config: { settingsDefaults: { geminiRpm: limit } },
          }),
        );
      const run = (prefix: string, count: number) =>
        Promise.all(
          services.map(async (service, i) => {
            const files = await distinctImages(count, `${prefix}-${i}`);
            const { batchId } = await service.app.submit({ owner: "admin", files, workers: 5, mode: "parallel", skipCache: true }, "admin");
            expect(await waitForBatch(service, batchId, 120_000)).toMatchObject({ status: "completed", succeededImages: count });
          }),
        );
      // Each process's first call opens its connection to the API, late by much more than the
      // margin: done before the measured run, as a running service would have.
      await run("warm-up", 1);
      fake.reset();
      const arrivals: number[] = [];
      fake.setAnswer(() => {
        arrivals.push(Date.now());
        return ok;
      });
      await run("two-processes", 20);

      // The fake refuses what its sliding window cannot take: no refusal means no window held too many.
      expect(fake.requests).toHaveLength(40);
      expect(arrivals).toHaveLength(40);
      arrivals.sort((a, b) => a - b);
      const span = arrivals.at(-1)! - arrivals[0]!;
      const achieved = ((arrivals.length - 1) / span) * (periodMs / limit);
      expect(achieved).toBeGreaterThanOrEqual(0.97);
      expect(achieved).toBeLessThanOrEqual(1.01);
    } finally {
      for (const service of services) await service.close({ keepDatabase: true });
      await database.drop();
      await fake.close();
    }
  });
});
