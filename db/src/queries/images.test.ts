import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { createBatch } from "./batches";
import { applyImageOutcome, claimImages } from "./images";

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

  it("never hands out more than the batch's window, however many claimers race", async () => {
    const { batch } = await newBatch(10, 3);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        database.db.transaction((tx) =>
          claimImages(tx, { batchId: batch.id, owner: `process-${i}`, engine: "gemini", leaseMs: 60_000, max: 3 }),
        ),
      ),
    );
    const claimed = claims.flat();
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed.map((c) => c.imageId)).size).toBe(3);
  });

  it("frees a slot when an attempt reports, and refuses a report from a claimer that lost its lease", async () => {
    const { batch } = await newBatch(4, 1);
    const claim = (owner: string) =>
      database.db.transaction((tx) => claimImages(tx, { batchId: batch.id, owner, engine: "gemini", leaseMs: 60_000, max: 1 }));
    const [first] = await claim("a");
    expect(await claim("b")).toHaveLength(0);

    const outcome = { kind: "succeeded" as const, extraction: {}, durationMs: 5, width: 1, height: 1, phash: null };
    expect(
      await applyImageOutcome(database.db, { imageId: first!.imageId, owner: "b", attemptNumber: 1, hasCopies: false, outcome }),
    ).toBeNull();
    expect(
      await applyImageOutcome(database.db, { imageId: first!.imageId, owner: "a", attemptNumber: 1, hasCopies: false, outcome }),
    ).toEqual({ succeeded: 1, failed: 0 });
    expect(await claim("b")).toHaveLength(1);
  });
});
