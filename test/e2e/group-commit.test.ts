import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimImages, createBatch, getBatch, listAttempts, listImages, type ClaimedImage } from "../../db/src/index";
import type { AttemptResult } from "../../server/src/pipeline/attempt";
import { Recorder } from "../../server/src/pipeline/recorder";
import { defaultRetryPolicy } from "../../server/src/pipeline/retry-policy";
import { EngineError } from "../../server/src/engines/types";
import { extractionOf, showOf } from "../support/extractions";
import { distinctImages } from "../support/images";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const answered = (venueName: string): AttemptResult => ({
  ok: true,
  source: "engine",
  latencyMs: 40,
  prepareMs: 5,
  result: {
    extraction: extractionOf(showOf({ venueName })),
    usage: { promptTokens: 10, outputTokens: 20, model: "gemini-2.5-flash", httpStatus: 200 },
  },
  prepared: {
    ok: true,
    bytes: new Uint8Array([1]),
    mimeType: "image/jpeg",
    width: 10,
    height: 10,
    sha256: venueName,
    phash: "0000000000000000",
    fingerprint: "",
    workMs: 5,
  },
  analysisKey: null,
});

describe("group commit of a batch's answers", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  async function claimed(count: number, prefix: string): Promise<{ batchId: string; claims: ClaimedImage[] }> {
    const images = await distinctImages(count, prefix);
    const { batch } = await createBatch(database.db, {
      owner: "admin",
      mode: "parallel",
      workers: count,
      engine: "gemini",
      images: images.map((i) => ({ fileName: i.name, mimeType: "image/png", content: i.bytes, sha256: i.name })),
    });
    const claims = await database.db.transaction((tx) =>
      claimImages(tx, { batchId: batch.id, owner: "p1", engine: "gemini", leaseMs: 60_000, max: count }),
    );
    expect(claims).toHaveLength(count);
    return { batchId: batch.id, claims };
  }

  const recorder = () =>
    new Recorder({
      db: database.db,
      owner: "p1",
      policy: defaultRetryPolicy(3),
      memoryPeak: () => ({ rssBytes: 1, workerHeapBytes: null }),
    });

  it("records answers that queue behind a record in one transaction, with one progress snapshot", async () => {
    const { batchId, claims } = await claimed(6, "group");
    const before = await getBatch(database.db, batchId);
    const retry: AttemptResult = { ok: false, latencyMs: 30, error: new EngineError("503 from the model", "retryable") };
    const r = recorder();
    // All six in one turn: the first goes alone, the five behind it together.
    const results = await Promise.all(claims.map((claim, i) => r.record({ claim, attempt: i === 3 ? retry : answered(`Bar ${i}`) })));

    const after = await getBatch(database.db, batchId);
    expect(after!.progressSeq - before!.progressSeq).toBe(2);
    expect(after).toMatchObject({ succeededImages: 5, failedImages: 0, status: "running" });
    const images = await listImages(database.db, batchId);
    expect(images.filter((i) => i.status === "succeeded")).toHaveLength(5);
    expect(images.filter((i) => i.status === "queued")).toHaveLength(1);
    const outcomes = (await listAttempts(database.db, batchId)).map((a) => a.outcome).sort();
    expect(outcomes).toEqual(["retry", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded"]);
    // Every answer hears the batch; the group's move is carried once (its last answer).
    expect(results.every((x) => x.batch?.id === batchId)).toBe(true);
    expect(results.map((x) => x.processedBefore)).toEqual([0, 5, 5, 5, 5, 1]);
    expect(results[3]!.retryInMs).toBeGreaterThanOrEqual(0);
  });

  it("records the others when the database refuses one answer of the group, and tells that one why", async () => {
    const { batchId, claims } = await claimed(4, "refused");
    const r = recorder();
    // Postgres stores no NUL character in jsonb: this answer cannot be recorded.
    const results = await Promise.allSettled(
      claims.map((claim, i) => r.record({ claim, attempt: answered(i === 2 ? "Bar \u0000" : `Bar ${i}`) })),
    );
    expect(results.map((x) => x.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/unicode|\\u0000|null character/i);
    expect(await getBatch(database.db, batchId)).toMatchObject({ succeededImages: 3 });
  });
});
