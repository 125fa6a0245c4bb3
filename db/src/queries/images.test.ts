import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { createBatch, setBatchPriority } from "./batches";
import { applyImageOutcome, claimImages, listRunnableBatches } from "./images";
import { takeSlot } from "./window";

describe("claiming images", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  const newBatch = (images: number, workers: number) =>
    createBatch(database.db, {
      owner: "tester",
      mode: "parallel",
      workers,
      engine: "gemini",
      images: Array.from({ length: images }, (_, i) => ({
        fileName: `${i}.png`,
        mimeType: "image/png",
        content: Buffer.from([i]),
        sha256: `sha-${i}-${Math.random()}`,
      })),
    });

  const claim = (batchId: string, owner: string, max: number) =>
    database.db.transaction((tx) => claimImages(tx, { batchId, owner, engine: "gemini", leaseMs: 60_000, max }));
  const slot = (batchId: string, owner: string, c: { imageId: string; attemptNumber: number }, release: typeof c | null = null) =>
    takeSlot(database.db, { batchId, owner, leaseMs: 60_000, image: c, release });

  it("claims ahead of the window, but never puts more than the window at the API, however many claimers race", async () => {
    const { batch } = await newBatch(10, 3);
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => claim(batch.id, `process-${i}`, 3).then((c) => ({ i, c }))));
    const claimed = claims.flatMap(({ i, c }) => c.map((one) => ({ owner: `process-${i}`, one })));
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed.map((c) => c.one.imageId)).size).toBe(10);

    const granted = await Promise.all(claimed.map(({ owner, one }) => slot(batch.id, owner, one)));
    expect(granted.filter(Boolean)).toHaveLength(3);
  });

  it("passes a place from an ended request to the next in one step, and frees it when the attempt is recorded", async () => {
    const { batch } = await newBatch(4, 1);
    const [first, second] = await claim(batch.id, "a", 2);
    const [other] = await claim(batch.id, "b", 1);
    expect(await slot(batch.id, "a", first!)).toBe(true);
    expect(await slot(batch.id, "a", second!)).toBe(false);
    expect(await slot(batch.id, "b", other!)).toBe(false);
    // Only the holder of the ended request can hand its place on.
    expect(await slot(batch.id, "b", other!, first!)).toBe(false);
    expect(await slot(batch.id, "a", second!, first!)).toBe(true);
    expect(await slot(batch.id, "b", other!)).toBe(false);

    const outcome = { kind: "succeeded" as const, extraction: {}, durationMs: 5, width: 1, height: 1, phash: null };
    const apply = (owner: string, imageId: string) =>
      applyImageOutcome(database.db, { imageId, owner, attemptNumber: 1, hasCopies: false, outcome });
    expect(await apply("b", second!.imageId)).toBeNull();
    expect(await apply("a", second!.imageId)).toEqual({ succeeded: 1, failed: 0 });
    expect(await slot(batch.id, "b", other!)).toBe(true);
  });

  it("offers the highest priority first, then the least served", async () => {
    const bulk = await newBatch(3, 2);
    const interactive = await createBatch(database.db, {
      owner: "singer",
      mode: "parallel",
      workers: 2,
      priority: 1,
      engine: "gemini",
      images: [{ fileName: "a.png", mimeType: "image/png", content: Buffer.from([9]), sha256: `sha-p-${Math.random()}` }],
    });
    const order = (await listRunnableBatches(database.db)).map((b) => b.batchId);
    expect(order.indexOf(interactive.batch.id)).toBeLessThan(order.indexOf(bulk.batch.id));
    await setBatchPriority(database.db, bulk.batch.id, 5);
    const raised = (await listRunnableBatches(database.db)).map((b) => b.batchId);
    expect(raised[0]).toBe(bulk.batch.id);
  });
});
