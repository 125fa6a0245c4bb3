import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listImageUploads } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

describe("run again, and the history's figures", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: Api;
  let user: Api;

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: () => 80 + Math.random() * 40 });
    service = await startService({ fake, listen: true });
    admin = createClient(service.url!, await testTokens.sign({ sub: "rerun-admin", role: "admin" }));
    user = createClient(service.url!, await testTokens.sign({ sub: "rerun-user", role: "user" }));
  });
  afterAll(async () => {
    await admin?.close();
    await user?.close();
    await service?.close();
    await fake?.close();
  });

  it("reruns sequentially: a new batch of the caller's with the same images in order, workers 1 and rerunOf set; the list carries both runs' figures", async () => {
    const files = await distinctImages(6, "rerun");
    const original = await admin.client.batch.analyze.mutate(
      uploadForm(files, { workers: 3, sourceUrl: "https://example.com/flyers", description: "rerun source" }),
    );
    await waitForBatch(service, original.batchId);

    const again = await admin.client.batch.rerun.mutate({ batchId: original.batchId, mode: "sequential", workers: 4 });
    expect(again).toEqual({ batchId: expect.any(String), totalImages: 6, rejected: [], created: true });
    expect(again.batchId).not.toBe(original.batchId);

    // Not ended yet: a sequential run of six images at ~100 ms each takes over half a second.
    const running = (await admin.client.batch.list.query({ limit: 10 })).items.find((i) => i.id === again.batchId);
    expect(running).toMatchObject({ mode: "sequential", workers: 1, wallMs: null, speedup: null, successRate: null });

    const detail = await admin.client.batch.byId.query({ batchId: again.batchId });
    expect(detail).toMatchObject({
      owner: "rerun-admin",
      mode: "sequential",
      workers: 1,
      rerunOf: original.batchId,
      sourceUrl: "https://example.com/flyers",
      description: "rerun source",
    });
    expect((await admin.client.batch.byId.query({ batchId: original.batchId })).rerunOf).toBeNull();
    const [before, after] = await Promise.all([
      listImageUploads(service.db, original.batchId),
      listImageUploads(service.db, again.batchId),
    ]);
    expect(after.map((i) => i.fileName)).toEqual(files.map((f) => f.name));
    expect(after).toEqual(before);

    await waitForBatch(service, again.batchId);
    const items = (await admin.client.batch.list.query({ limit: 10 })).items;
    const figures = (id: string) => items.find((i) => i.id === id);
    for (const id of [original.batchId, again.batchId]) {
      expect(figures(id)).toMatchObject({
        status: "completed",
        engine: "gemini",
        wallMs: expect.any(Number),
        speedup: expect.any(Number),
        successRate: 1,
      });
      expect(figures(id)!.wallMs).toBeGreaterThan(0);
    }
    expect(figures(original.batchId)).toMatchObject({ mode: "parallel", workers: 3, rerunOf: null });
    expect(figures(again.batchId)).toMatchObject({ mode: "sequential", workers: 1, rerunOf: original.batchId });
    // Three at a time against one at a time, on the same six images. One at a time still
    // prepares the next image while a request runs, so its figure may pass 1, never 2.
    expect(figures(original.batchId)!.speedup!).toBeGreaterThan(1.5);
    expect(figures(again.batchId)!.speedup!).toBeLessThan(2);
    expect(figures(again.batchId)!.wallMs!).toBeGreaterThan(figures(original.batchId)!.wallMs!);
  });

  it("reruns in parallel with the workers given, or the default, and a user's batch as the admin's own", async () => {
    const { batchId } = await user.client.batch.analyze.mutate(uploadForm(await distinctImages(3, "rerun-user")));
    await waitForBatch(service, batchId);
    const two = await admin.client.batch.rerun.mutate({ batchId, mode: "parallel", workers: 2 });
    const byDefault = await admin.client.batch.rerun.mutate({ batchId, mode: "parallel" });
    expect(await admin.client.batch.byId.query({ batchId: two.batchId })).toMatchObject({
      owner: "rerun-admin",
      mode: "parallel",
      workers: 2,
      rerunOf: batchId,
    });
    expect(await admin.client.batch.byId.query({ batchId: byDefault.batchId })).toMatchObject({ workers: 3, rerunOf: batchId });
    // The rerun is the admin's, not the user's.
    expect((await user.client.batch.list.query({ limit: 10 })).items.map((i) => i.id)).toEqual([batchId]);
  });

  it("answers NOT_FOUND for an unknown batch and FORBIDDEN to a user", async () => {
    const code = (call: Promise<unknown>) =>
      call.then(
        () => "ok",
        (e: { data?: { code?: string } }) => e.data?.code,
      );
    expect(await code(admin.client.batch.rerun.mutate({ batchId: "00000000-0000-4000-8000-000000000000", mode: "parallel" }))).toBe(
      "NOT_FOUND",
    );
    const { items } = await user.client.batch.list.query({ limit: 1 });
    expect(await code(user.client.batch.rerun.mutate({ batchId: items[0]!.id, mode: "sequential" }))).toBe("FORBIDDEN");
  });
});
