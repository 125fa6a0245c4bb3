import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { preparedSha256, startService, TEST_MODEL, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

/** The error a call fails with (a TRPCClientError: message and data.code), or a failure if it succeeds. */
async function failure(call: Promise<unknown>): Promise<{ message: string; code: string | undefined }> {
  const error = await call.then(
    () => null,
    (e: { message: string; data?: { code?: string } }) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return { message: error!.message, code: error!.data?.code };
}

const DEFAULTS = {
  defaultWorkers: 3,
  defaultMode: "parallel",
  geminiRpm: null,
  model: TEST_MODEL,
  userMaxFiles: 10,
  userBatchesPerMinute: 5,
};

describe("settings, stored in the database and applied to the next batch", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: Api;
  let user: Api;
  const clients: Api[] = [];
  const clientFor = async (sub: string, role: "admin" | "user") => {
    const api = createClient(service.url!, await testTokens.sign({ sub, role }));
    clients.push(api);
    return api;
  };

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 20 });
    service = await startService({ fake, listen: true });
    admin = await clientFor("settings-admin", "admin");
    user = await clientFor("settings-user", "user");
  });
  afterAll(async () => {
    for (const api of clients) await api.close();
    await service?.close();
    await fake?.close();
  });

  it("answers the defaults on the first read", async () => {
    expect(await admin.client.settings.get.query()).toEqual(DEFAULTS);
  });

  it("updates one field, answers the whole, and the next batch uses the new default workers", async () => {
    const updated = await admin.client.settings.update.mutate({ defaultWorkers: 5 });
    expect(updated).toEqual({ ...DEFAULTS, defaultWorkers: 5 });
    expect(await admin.client.settings.get.query()).toEqual(updated);

    const byAdmin = await admin.client.batch.analyze.mutate(uploadForm(await distinctImages(2, "default-workers-admin")));
    const byUser = await user.client.batch.analyze.mutate(uploadForm(await distinctImages(1, "default-workers-user")));
    expect(await admin.client.batch.byId.query({ batchId: byAdmin.batchId })).toMatchObject({ workers: 5, mode: "parallel" });
    expect(await user.client.batch.byId.query({ batchId: byUser.batchId })).toMatchObject({ workers: 5, mode: "parallel" });

    // Workers named without a mode run in parallel with that many, even when sequential is the default.
    await admin.client.settings.update.mutate({ defaultMode: "sequential" });
    const sequential = await admin.client.batch.analyze.mutate(uploadForm(await distinctImages(2, "default-mode")));
    const named = await admin.client.batch.analyze.mutate(uploadForm(await distinctImages(2, "named-workers"), { workers: 2 }));
    expect(await admin.client.batch.byId.query({ batchId: sequential.batchId })).toMatchObject({ workers: 1, mode: "sequential" });
    expect(await admin.client.batch.byId.query({ batchId: named.batchId })).toMatchObject({ workers: 2, mode: "parallel" });
    await admin.client.settings.update.mutate({ defaultWorkers: 3, defaultMode: "parallel" });
  });

  it("reaches another process on the same database without a restart", async () => {
    const other = await startService({ database: service.database, fake, listen: true });
    const api = createClient(other.url!, await testTokens.sign({ sub: "settings-admin", role: "admin" }));
    try {
      await admin.client.settings.update.mutate({ defaultWorkers: 4 });
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(1, "other-process")));
      expect(await api.client.batch.byId.query({ batchId })).toMatchObject({ workers: 4 });
    } finally {
      await api.close();
      await other.close({ keepDatabase: true });
      await admin.client.settings.update.mutate({ defaultWorkers: 3 });
    }
  });

  it("refuses a bad value with BAD_REQUEST naming the field, and keeps the settings", async () => {
    const before = await admin.client.settings.get.query();
    expect(await failure(admin.client.settings.update.mutate({ defaultWorkers: 6 }))).toEqual({
      code: "BAD_REQUEST",
      message: "defaultWorkers: Too big: expected number to be <=5",
    });
    const rpm = await failure(admin.client.settings.update.mutate({ geminiRpm: 0 }));
    expect(rpm.code).toBe("BAD_REQUEST");
    expect(rpm.message).toMatch(/^geminiRpm: /);
    const mode = await failure(admin.client.settings.update.mutate({ defaultMode: "fast" as never }));
    expect(mode.message).toMatch(/^defaultMode: /);
    const typo = await failure(admin.client.settings.update.mutate({ defaultWorker: 2 } as never));
    expect(typo.code).toBe("BAD_REQUEST");
    expect(typo.message).toContain("defaultWorker");
    expect(await admin.client.settings.get.query()).toEqual(before);
  });

  it("answers FORBIDDEN to a user on settings.get and settings.update", async () => {
    expect((await failure(user.client.settings.get.query())).code).toBe("FORBIDDEN");
    expect((await failure(user.client.settings.update.mutate({ userMaxFiles: 500 }))).code).toBe("FORBIDDEN");
    expect((await admin.client.settings.get.query()).userMaxFiles).toBe(10);
  });

  it("limits a user's upload to userMaxFiles, naming each extra file, and says so in settings.limits", async () => {
    expect(await user.client.settings.limits.query()).toEqual({
      maxFiles: 10,
      maxFileBytes: 10 * 1024 * 1024,
      maxBatchBytes: 40 * 1024 * 1024,
    });
    await admin.client.settings.update.mutate({ userMaxFiles: 2 });
    expect(await user.client.settings.limits.query()).toEqual({
      maxFiles: 2,
      maxFileBytes: 10 * 1024 * 1024,
      maxBatchBytes: 40 * 1024 * 1024,
    });
    expect((await admin.client.settings.limits.query()).maxFiles).toBe(500);

    const files = await distinctImages(4, "max-files");
    const answer = await user.client.batch.analyze.mutate(uploadForm(files));
    expect(answer.totalImages).toBe(2);
    expect(answer.rejected).toEqual([
      { fileName: "max-files-2.png", reason: "too many files: at most 2 per batch" },
      { fileName: "max-files-3.png", reason: "too many files: at most 2 per batch" },
    ]);
    // Admins keep their own limit.
    expect((await admin.client.batch.analyze.mutate(uploadForm(files))).totalImages).toBe(4);
    await admin.client.settings.update.mutate({ userMaxFiles: 10 });
  });

  it("follows userBatchesPerMinute, lowered and raised within the same minute", async () => {
    const singer = await clientFor("settings-rate-user", "user");
    await admin.client.settings.update.mutate({ userBatchesPerMinute: 1 });
    await singer.client.batch.analyze.mutate(uploadForm(await distinctImages(1, "rate-1")));
    expect((await failure(singer.client.batch.analyze.mutate(uploadForm(await distinctImages(1, "rate-2"))))).code).toBe(
      "TOO_MANY_REQUESTS",
    );
    // Two counted so far (the refused one too); a limit of 3 lets one more through.
    await admin.client.settings.update.mutate({ userBatchesPerMinute: 3 });
    expect((await singer.client.batch.analyze.mutate(uploadForm(await distinctImages(1, "rate-3")))).totalImages).toBe(1);
    await admin.client.settings.update.mutate({ userBatchesPerMinute: 5 });
  });

  it("sends the next batch's requests to the model the settings name", async () => {
    /** The models the fake was asked for with this image (earlier tests' batches may still be running). */
    const modelsAskedFor = async (bytes: Uint8Array) => {
      const sha = await preparedSha256(bytes);
      return fake.requests.filter((r) => r.imageSha256 === sha).map((r) => r.model);
    };
    const [other] = await distinctImages(1, "model-other");
    const [again] = await distinctImages(1, "model-back");
    await admin.client.settings.update.mutate({ model: "gemini-other-model" });
    try {
      const moved = await admin.client.batch.analyze.mutate(uploadForm([other!]));
      const failed = await waitForBatch(service, moved.batchId);
      // The fake knows only TEST_MODEL: the unknown model stops the batch as a configuration error.
      expect(failed.status).toBe("failed");
      expect(await modelsAskedFor(other!.bytes)).toEqual(["gemini-other-model"]);
      expect(await admin.client.batch.byId.query({ batchId: moved.batchId })).toMatchObject({ model: "gemini-other-model" });
    } finally {
      await admin.client.settings.update.mutate({ model: TEST_MODEL });
    }
    const back = await admin.client.batch.analyze.mutate(uploadForm([again!]));
    expect((await waitForBatch(service, back.batchId)).status).toBe("completed");
    expect(await modelsAskedFor(again!.bytes)).toEqual([TEST_MODEL]);
  });

  it("paces the next batch's Gemini requests by geminiRpm", async () => {
    const images = await distinctImages(4, "rpm");
    const shas = new Set(await Promise.all(images.map((i) => preparedSha256(i.bytes))));
    await admin.client.settings.update.mutate({ geminiRpm: 2 });
    try {
      const { batchId } = await admin.client.batch.analyze.mutate(uploadForm(images, { workers: 4 }));
      await sleep(1_500);
      // Spread over the minute: one request now, the next one half a minute later, not two at once.
      expect(fake.requests.filter((r) => shas.has(r.imageSha256))).toHaveLength(1);
      expect((await admin.client.batch.byId.query({ batchId })).progress).toMatchObject({ status: "running", processedImages: 1 });
      await admin.client.batch.cancel.mutate({ batchId });
    } finally {
      await admin.client.settings.update.mutate({ geminiRpm: null });
    }
    const free = await admin.client.batch.analyze.mutate(uploadForm(await distinctImages(3, "rpm-free"), { workers: 3 }));
    expect((await waitForBatch(service, free.batchId)).status).toBe("completed");
  });

  it("applies defaultWorkers to the original REST routes too", async () => {
    await admin.client.settings.update.mutate({ defaultWorkers: 2 });
    const [image] = await distinctImages(1, "rest-default");
    const res = await fetch(`${service.url}/api/parser/analyze-admin-screenshots-parallel`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await testTokens.sign({ sub: "settings-admin", role: "admin" })}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ screenshots: [`data:image/png;base64,${image!.bytes.toString("base64")}`] }),
    });
    const body = (await res.json()) as { batchId: string; stats: { workers: number } };
    expect(res.status).toBe(200);
    expect(body.stats.workers).toBe(2);
    expect(await admin.client.batch.byId.query({ batchId: body.batchId })).toMatchObject({ workers: 2 });
    await admin.client.settings.update.mutate({ defaultWorkers: 3 });
  });
});
