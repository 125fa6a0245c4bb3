import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { images } from "../schema";
import { createBatch } from "./batches";
import { countCachedImages, findCacheCandidates } from "./cache";

const FINGERPRINT = "ab".repeat(8);

describe("finding earlier analyses of the same picture", () => {
  let database: TestDatabase;
  let batchId: string;
  const ids: string[] = [];

  /** Stores an image as analysed: succeeded under `key` with the given hashes and answer. */
  async function analysed(
    position: number,
    o: {
      sha256: string;
      phash: string | null;
      key?: string;
      status?: "succeeded" | "failed";
      cachedFrom?: string;
      size?: [number, number];
    },
  ) {
    const id = ids[position];
    if (!id) throw new Error(`no image at ${position}`);
    const [width, height] = o.size ?? [800, 1000];
    await database.db
      .update(images)
      .set({
        sha256: o.sha256,
        phash: o.phash,
        fingerprint: o.phash === null ? null : FINGERPRINT,
        width,
        height,
        status: o.status ?? "succeeded",
        analysisKey: o.key ?? "gemini/m/v1",
        cachedFrom: o.cachedFrom ?? null,
        extraction: { answer: position },
        finishedAt: new Date(Date.now() + position * 1000),
      })
      .where(eq(images.id, id));
    return id;
  }

  const probe = (over: Partial<Parameters<typeof findCacheCandidates>[1]> = {}) =>
    findCacheCandidates(database.db, {
      analysisKey: "gemini/m/v1",
      sha256: "probe-sha",
      phash: "0000000000000000",
      width: 400,
      height: 500,
      imageId: ids[9] ?? "",
      maxPhashDistance: 10,
      maxAspectDifference: 0.01,
      limit: 10,
      ...over,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    const { batch } = await createBatch(database.db, {
      owner: "tester",
      mode: "parallel",
      workers: 1,
      engine: "gemini",
      images: Array.from({ length: 10 }, (_, i) => ({
        fileName: `${i}.png`,
        mimeType: "image/png",
        content: Buffer.from([i]),
        sha256: `upload-${i}`,
      })),
    });
    batchId = batch.id;
    ids.push(...(await database.db.select({ id: images.id }).from(images).orderBy(images.position)).map((r) => r.id));
  });
  afterAll(() => database?.drop());

  it("puts the same bytes first, then the closest hash, then the most recent; names a cached match's origin", async () => {
    const origin = await analysed(0, { sha256: "other", phash: "00000000000000ff" });
    await analysed(1, { sha256: "probe-sha", phash: "ffffffffffffffff", cachedFrom: origin });
    await analysed(2, { sha256: "s2", phash: "0000000000000003" });
    await analysed(3, { sha256: "s3", phash: "0000000000000001" });
    await analysed(4, { sha256: "s4", phash: "0000000000000003" });
    const found = await probe();
    expect(found.map((c) => [c.matchedId, c.originId, c.exact, c.phashDistance])).toEqual([
      [ids[1], origin, true, 64],
      [ids[3], ids[3], false, 1],
      [ids[4], ids[4], false, 2],
      [ids[2], ids[2], false, 2],
      [ids[0], ids[0], false, 8],
    ]);
    expect(found[1]).toMatchObject({ fingerprint: FINGERPRINT, extraction: { answer: 3 } });
    expect(await countCachedImages(database.db, batchId)).toBe(1);
  });

  it("leaves out other keys, unfinished or failed images, the image asking, other shapes and far hashes", async () => {
    const far = await probe({ maxPhashDistance: 0 });
    expect(far.map((c) => c.matchedId)).toEqual([ids[1]]);
    expect(await probe({ analysisKey: "gemini/other/v1" })).toEqual([]);
    await analysed(5, { sha256: "probe-sha", phash: null, status: "failed" });
    await analysed(6, { sha256: "s6", phash: "0000000000000000", key: "gemini/m/v2" });
    await analysed(7, { sha256: "s7", phash: "0000000000000000", size: [800, 600] });
    const all = (await probe({ limit: 20 })).map((c) => c.matchedId);
    for (const excluded of [5, 6, 7, 8, 9]) expect(all).not.toContain(ids[excluded]);
    expect(await probe({ imageId: ids[1] })).not.toContainEqual(expect.objectContaining({ matchedId: ids[1] }));
  });
});
