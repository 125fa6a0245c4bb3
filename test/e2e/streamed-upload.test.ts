import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBatches, listImages, listImageUploads } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages, noisePng } from "../support/images";
import { startService, testTokens, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("batch.analyze reads its upload as a stream, file by file", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    fake = await startFakeGemini();
    service = await startService({ fake, listen: true });
    admin = createClient(service.url!, await testTokens.sign({ sub: "streamer", role: "admin" }));
  });
  afterAll(async () => {
    await admin?.close();
    await service?.close();
    await fake?.close();
  });

  it("stores every file of a 60 MB, 40-file upload intact: bytes, hash, name and order", async () => {
    const files = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => ({ name: `large-${String(i).padStart(2, "0")}.png`, bytes: await noisePng(700) })),
    );
    expect(files.reduce((n, f) => n + f.bytes.byteLength, 0)).toBeGreaterThan(55 * 1024 * 1024);
    // The options come after the files, as the web app and the CLI send them.
    const answer = await admin.client.batch.analyze.mutate(uploadForm(files, { workers: 2, description: "streamed" }));
    expect(answer).toMatchObject({ totalImages: 40, rejected: [], created: true });
    await admin.client.batch.cancel.mutate({ batchId: answer.batchId });

    const stored = await listImageUploads(service.db, answer.batchId);
    expect(stored.map((s) => s.fileName)).toEqual(files.map((f) => f.name));
    expect(stored.map((s) => sha256(s.content))).toEqual(files.map((f) => sha256(f.bytes)));
    const rows = await listImages(service.db, answer.batchId);
    expect(rows.map((r) => [r.position, r.sha256, r.byteSize])).toEqual(files.map((f, i) => [i, sha256(f.bytes), f.bytes.byteLength]));
    const [batch] = await listBatches(service.db, { owner: "streamer", limit: 1 });
    expect(batch).toMatchObject({ id: answer.batchId, workers: 2, mode: "parallel", description: "streamed", totalImages: 40 });
  });

  it("leaves no batch and no image behind when the upload is refused after its files were read", async () => {
    const user = createClient(service.url!, await testTokens.sign({ sub: "refused-streamer", role: "user" }));
    try {
      const files = await distinctImages(3, "refused-after-files");
      // `workers` is an admin option, and it arrives after the files: they are stored, then rolled back.
      await expect(user.client.batch.analyze.mutate(uploadForm(files, { workers: 3 }))).rejects.toMatchObject({
        data: { code: "FORBIDDEN" },
        message: "workers, mode and priority are admin options",
      });
      await expect(user.client.batch.analyze.mutate(uploadForm([], { description: "nothing" }))).rejects.toMatchObject({
        data: { code: "BAD_REQUEST" },
        message: "no images sent",
      });
      expect(await listBatches(service.db, { owner: "refused-streamer", limit: 10 })).toEqual([]);
    } finally {
      await user.close();
    }
  });

  it("replays an idempotent retry whose key comes before its files, storing nothing twice", async () => {
    const files = await distinctImages(2, "idempotent-stream");
    const form = () => {
      const f = new FormData();
      f.append("idempotencyKey", "stream-retry-1");
      for (const file of files) f.append("images", new File([new Uint8Array(file.bytes)], file.name));
      return f;
    };
    const first = await admin.client.batch.analyze.mutate(form());
    const again = await admin.client.batch.analyze.mutate(form());
    expect(again).toEqual({ batchId: first.batchId, totalImages: 2, rejected: [], created: false });
    const batches = await listBatches(service.db, { owner: "streamer", limit: 10 });
    expect(batches.filter((b) => b.idempotencyKey === "stream-retry-1")).toHaveLength(1);
  });
});
