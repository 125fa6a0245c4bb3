import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimImages, createBatch, getBatch, listAttempts, listImages } from "../../db/src/index";
import { recordAttempt } from "../../server/src/pipeline/record";
import { defaultRetryPolicy } from "../../server/src/pipeline/retry-policy";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { startService, waitForBatch } from "../support/harness";
import { createTestDatabase } from "../support/test-database";

describe("the Postgres queue", () => {
  let fake: FakeGemini;
  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 50 });
  });
  afterAll(() => fake?.close());

  it("takes over the images of a process whose lease expired, counts each once and ignores its late report", async () => {
    const database = await createTestDatabase();
    const images = await distinctImages(3, "lease");
    const { batch } = await createBatch(database.db, {
      owner: "admin",
      mode: "parallel",
      workers: 3,
      engine: "gemini",
      images: images.map((i) => ({ fileName: i.name, mimeType: "image/png", content: i.bytes, sha256: i.name })),
    });
    // A process claims two images, then dies without a word.
    const dead = await database.db.transaction((tx) =>
      claimImages(tx, { batchId: batch.id, owner: "dead-process", engine: "gemini", leaseMs: 500, max: 2 }),
    );
    expect(dead).toHaveLength(2);

    fake.reset();
    const service = await startService({ fake, database });
    try {
      const done = await waitForBatch(service, batch.id);
      expect(done).toMatchObject({ status: "completed", succeededImages: 3, failedImages: 0 });
      const attempts = await listAttempts(database.db, batch.id);
      const deadIds = new Set(dead.map((d) => d.attemptId));
      expect(attempts.filter((a) => deadIds.has(a.id)).map((a) => a.outcome)).toEqual(["lease_expired", "lease_expired"]);
      const live = attempts.filter((a) => !deadIds.has(a.id));
      expect(live.map((a) => a.outcome)).toEqual(["succeeded", "succeeded", "succeeded"]);
      // The taken-over images were claimed only once their lease had run out.
      for (const d of dead) expect(live.find((a) => a.imageId === d.imageId)!.attemptNumber).toBe(2);
      expect(fake.requests).toHaveLength(3);

      // The dead process wakes up and reports: nothing it says may count.
      const late = await recordAttempt(
        database.db,
        dead[0]!,
        "dead-process",
        {
          ok: false,
          latencyMs: 10,
          error: Object.assign(new Error("late"), { errorClass: "retryable" as const, details: {} }),
        },
        defaultRetryPolicy(3),
      );
      expect(late.batch).toBeNull();
      expect(await getBatch(database.db, batch.id)).toMatchObject({ succeededImages: 3, failedImages: 0, status: "completed" });
      expect((await listImages(database.db, batch.id)).every((i) => i.status === "succeeded")).toBe(true);
    } finally {
      await service.close();
    }
  });

  it("serves a small submission while a large batch fills the process", async () => {
    fake.setLatency(100);
    const service = await startService({ fake, config: { maxConcurrency: 5 } });
    try {
      const big = await service.app.submit(
        { owner: "admin", files: await distinctImages(40, "big"), workers: 5, mode: "parallel" },
        "admin",
      );
      await new Promise((r) => setTimeout(r, 250));
      const small = await service.app.submit(
        { owner: "singer", files: await distinctImages(3, "small"), workers: 3, mode: "parallel" },
        "user",
      );
      const smallDone = await waitForBatch(service, small.batchId);
      const bigNow = (await getBatch(service.db, big.batchId))!;
      expect(smallDone.status).toBe("completed");
      // The singer's three images did not queue behind the admin's remaining ones.
      expect(bigNow.status).toBe("running");
      expect(bigNow.succeededImages).toBeLessThan(30);
      await waitForBatch(service, big.batchId);
    } finally {
      await service.close();
      fake.setLatency(50);
    }
  });

  it("keeps one batch's window at `workers` images in flight, never a fixed group", async () => {
    const service = await startService({ fake });
    try {
      let inFlight = 0;
      let peak = 0;
      const starts: number[] = [];
      fake.setAnswer(async () => {
        starts.push(Date.now());
        peak = Math.max(peak, ++inFlight);
        // The first image is slow: a fixed-group parser would stall the whole first group on it.
        await new Promise((r) => setTimeout(r, starts.length === 1 ? 2_000 : 100));
        inFlight--;
        return { json: { shows: [], venues: [], djs: [], vendors: [] } };
      });
      fake.setLatency(0);
      const { batchId } = await service.app.submit(
        { owner: "admin", files: await distinctImages(9, "window"), workers: 3, mode: "parallel" },
        "admin",
      );
      await waitForBatch(service, batchId);
      // Never more than the window at the model at once.
      expect(peak).toBeLessThanOrEqual(3);
      // While the slow image runs, the other two slots go on through the rest of the batch.
      expect(starts.filter((t) => t - starts[0]! < 1_900).length).toBeGreaterThanOrEqual(7);
    } finally {
      await service.close();
      fake.setAnswer(() => ({ json: { shows: [], venues: [], djs: [], vendors: [] } }));
      fake.setLatency(50);
    }
  });
});
