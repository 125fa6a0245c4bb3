import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

interface Seen {
  id: number;
  status: string;
  processedImages: number;
}

/** Subscribes and collects events until `stopWhen` says so or the stream completes. */
function collect(
  client: ReturnType<typeof createClient>["client"],
  input: { batchId: string; lastEventId?: number },
  stopWhen: (seen: Seen[]) => boolean = () => false,
) {
  const seen: Seen[] = [];
  return new Promise<{ seen: Seen[]; completed: boolean }>((resolve, reject) => {
    const sub = client.batch.onProgress.subscribe(input, {
      onData: ({ id, data }) => {
        seen.push({ id: Number(id), status: data.status, processedImages: data.processedImages });
        if (stopWhen(seen)) {
          resolve({ seen, completed: false });
          sub.unsubscribe();
        }
      },
      onComplete: () => resolve({ seen, completed: true }),
      onError: reject,
    });
  });
}

describe("the typed API over HTTP and WebSocket", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: string;

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: () => 60 + Math.random() * 60 });
    service = await startService({ fake, listen: true });
    admin = await testTokens.sign({ sub: "alice", role: "admin" });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("uploads 30 images and streams strictly increasing progress ending in completed, matching the database", async () => {
    const api = createClient(service.url!, admin);
    try {
      const files = await distinctImages(30, "api");
      const { batchId, totalImages, rejected } = await api.client.batch.analyze.mutate(
        uploadForm(files, { workers: 3, description: "api test" }),
      );
      expect({ totalImages, rejected }).toEqual({ totalImages: 30, rejected: [] });

      const { seen, completed } = await collect(api.client, { batchId });
      expect(completed).toBe(true);
      const ids = seen.map((s) => s.id);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
      expect(seen.at(-1)).toMatchObject({ status: "completed", processedImages: 30 });

      const batch = (await getBatch(service.db, batchId))!;
      expect(ids.at(-1)).toBe(batch.progressSeq);
      const detail = await api.client.batch.byId.query({ batchId });
      expect(detail.progress).toMatchObject({
        status: "completed",
        totalImages: 30,
        processedImages: 30,
        succeededImages: 30,
        failedImages: 0,
        remainingImages: 0,
      });
      expect(detail.metrics?.attempts).toBe(30);
      const images = await api.client.batch.images.query({ batchId });
      expect(images.filter((i) => i.status === "succeeded")).toHaveLength(30);
      expect(images.every((i) => i.attempts.length === 1)).toBe(true);
    } finally {
      await api.close();
    }
  });

  it("resumes a dropped subscription from lastEventId with no gap and no repeat", async () => {
    fake.setLatency(() => 80 + Math.random() * 40);
    const first = createClient(service.url!, admin);
    const files = await distinctImages(24, "resume");
    const { batchId } = await first.client.batch.analyze.mutate(uploadForm(files, { workers: 2 }));
    const before = await collect(first.client, { batchId }, (seen) => seen.some((s) => s.processedImages >= 6));
    await first.close();
    expect(before.completed).toBe(false);

    // Work goes on while nobody listens.
    await new Promise((r) => setTimeout(r, 400));
    const second = createClient(service.url!, admin);
    try {
      const lastEventId = before.seen.at(-1)!.id;
      const after = await collect(second.client, { batchId, lastEventId });
      expect(after.completed).toBe(true);
      const ids = [...before.seen, ...after.seen].map((s) => s.id);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
      expect(after.seen[0]!.processedImages).toBeGreaterThanOrEqual(before.seen.at(-1)!.processedImages);
      expect(after.seen.at(-1)).toMatchObject({ status: "completed", processedImages: 24 });
    } finally {
      await second.close();
    }
  });

  it("ends at once a subscription resumed after the final event", async () => {
    const api = createClient(service.url!, admin);
    try {
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(2, "resume-final"), { workers: 2 }));
      const done = await waitForBatch(service, batchId);
      const again = await collect(api.client, { batchId, lastEventId: done.progressSeq });
      expect(again).toEqual({ seen: [], completed: true });
    } finally {
      await api.close();
    }
  });

  it("cancels a running batch: in-flight work aborted, the rest never started, final state cancelled", async () => {
    fake.setLatency(300);
    const api = createClient(service.url!, admin);
    try {
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(20, "cancel"), { workers: 3 }));
      await collect(api.client, { batchId }, (seen) => seen.some((s) => s.processedImages >= 3));
      const result = await api.client.batch.cancel.mutate({ batchId });
      expect(result.status).toBe("cancelled");
      // Requests already on the wire when the cancel landed may still arrive; then nothing more.
      await new Promise((r) => setTimeout(r, 100));
      const requestsAtCancel = fake.requests.length;
      const final = await waitForBatch(service, batchId);
      expect(final.status).toBe("cancelled");
      await new Promise((r) => setTimeout(r, 700));
      expect(fake.requests.length).toBe(requestsAtCancel);
      const images = await listImages(service.db, batchId);
      expect(images.filter((i) => i.status === "cancelled").length).toBeGreaterThanOrEqual(20 - requestsAtCancel);
      expect(images.some((i) => i.status === "queued" || i.status === "running")).toBe(false);
      await expect(api.client.batch.cancel.mutate({ batchId })).rejects.toThrow(/already ended/);
      await expect(api.client.batch.retryFailed.mutate({ batchId })).rejects.toThrow(/cancelled batch cannot be resumed/);
    } finally {
      fake.setLatency(20);
      await api.close();
    }
  });

  it("queues failed images again with retryFailed and completes the batch", async () => {
    const api = createClient(service.url!, admin);
    try {
      fake.setAnswer(() => ({ fault: "safety" }));
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(5, "retry-failed"), { workers: 3 }));
      const failed = await waitForBatch(service, batchId);
      expect(failed).toMatchObject({ status: "failed", failedImages: 5 });

      fake.setAnswer(() => ({ json: { shows: [], venues: [], djs: [], vendors: [] } }));
      expect(await api.client.batch.retryFailed.mutate({ batchId })).toEqual({ batchId, requeued: 5 });
      const done = await waitForBatch(service, batchId);
      expect(done).toMatchObject({ status: "completed", succeededImages: 5, failedImages: 0 });
      const images = await api.client.batch.images.query({ batchId });
      expect(images.every((i) => i.attempts.map((a) => a.outcome).join() === "failed,succeeded")).toBe(true);
    } finally {
      await api.close();
    }
  });

  it("returns the same batch for the same idempotency key instead of starting a second one", async () => {
    const api = createClient(service.url!, admin);
    try {
      const files = await distinctImages(2, "idem");
      const a = await api.client.batch.analyze.mutate(uploadForm(files, { idempotencyKey: "upload-42" }));
      const b = await api.client.batch.analyze.mutate(uploadForm(files, { idempotencyKey: "upload-42" }));
      expect(b.batchId).toBe(a.batchId);
      expect(b.created).toBe(false);
      const page = await api.client.batch.list.query({ limit: 100 });
      expect(page.items.filter((i) => i.id === a.batchId)).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("pages through batch.list with a cursor and filters by status", async () => {
    const api = createClient(service.url!, admin);
    try {
      const all = await api.client.batch.list.query({ limit: 100 });
      const first = await api.client.batch.list.query({ limit: 2 });
      const second = await api.client.batch.list.query({ limit: 2, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));
      const cancelled = await api.client.batch.list.query({ status: ["cancelled"] });
      expect(cancelled.items.length).toBeGreaterThan(0);
      expect(cancelled.items.every((i) => i.status === "cancelled")).toBe(true);
    } finally {
      await api.close();
    }
  });

  it("serves /healthz and Prometheus /metrics with the attempts it counted", async () => {
    const health = await fetch(`${service.url}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ status: "ok", engine: "gemini", engineLabel: "Gemini gemini-2.5-flash", hint: null });
    const res = await fetch(`${service.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    const succeeded = text.match(/^showscan_attempts_total\{engine="gemini",outcome="succeeded",error_class=""\} (\d+)$/m);
    expect(Number(succeeded?.[1])).toBeGreaterThanOrEqual(30);
    expect(text).toMatch(/^showscan_batches_finished_total\{status="cancelled"\} 1$/m);
    expect(text).toMatch(/^showscan_images_in_flight \d+$/m);
  });

  it("refuses a user's upload over the batch limit, or without a declared length, before reading it", async () => {
    const user = await testTokens.sign({ sub: "big-uploader", role: "user" });
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${service.url}/trpc/batch.analyze`,
          { method: "POST", headers: { authorization: `Bearer ${user}`, "content-type": "multipart/form-data; boundary=x", ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
            req.destroy();
          },
        );
        req.on("error", reject);
        // Headers only: the answer must come without the body.
        req.flushHeaders();
      });
    expect(await status({ "content-length": String(200 * 1024 * 1024) })).toBe(413);
    expect(await status({ "transfer-encoding": "chunked" })).toBe(411);
  });
});
