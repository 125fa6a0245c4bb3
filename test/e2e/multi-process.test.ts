import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listAttempts, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { TEST_MODEL, testTokens, serverProcessEnv } from "../support/harness";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, uploadForm } from "../support/trpc-client";

describe("two server processes on one database", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  // Requests at the fake at once, over both processes.
  let inFlight = 0;
  let peak = 0;

  beforeAll(async () => {
    fake = await startFakeGemini({
      model: TEST_MODEL,
      answer: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 80 + Math.random() * 80));
        inFlight--;
        return { json: { shows: [], venues: [], djs: [], vendors: [] } };
      },
    });
    database = await createTestDatabase();
    const env = {
      ...serverProcessEnv(database.url, fake.url),
      // Two slots each: a window of four has to be shared to be filled.
      MAX_CONCURRENCY: "2",
    };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
    await fake?.close();
  });

  it("share one 60-image batch, each image analysed once, and a subscriber on one sees all of it", async () => {
    const token = await testTokens.sign({ sub: "ops", role: "admin" });
    const api = createClient(servers[0]!.url, token);
    try {
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(60, "shared"), { workers: 4 }));
      const seen: { id: number; processed: number; status: string }[] = [];
      await new Promise<void>((resolve, reject) => {
        api.client.batch.onProgress.subscribe(
          { batchId },
          {
            onData: ({ id, data }) => seen.push({ id: Number(id), processed: data.processedImages, status: data.status }),
            onComplete: resolve,
            onError: reject,
          },
        );
      });

      expect(seen.at(-1)).toMatchObject({ processed: 60, status: "completed" });
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.id).toBe(seen[i - 1]!.id + 1);

      const batch = (await getBatch(database.db, batchId))!;
      expect(batch).toMatchObject({ succeededImages: 60, failedImages: 0 });
      const attempts = await listAttempts(database.db, batchId);
      const images = await listImages(database.db, batchId);
      expect(images.every((i) => i.status === "succeeded")).toBe(true);
      expect(attempts).toHaveLength(60);
      expect(new Set(attempts.map((a) => a.imageId)).size).toBe(60);
      expect(fake.requests).toHaveLength(60);
      // Both processes claim ahead of their requests; the window of four still holds over both.
      expect(peak).toBeLessThanOrEqual(4);
      expect(peak).toBeGreaterThanOrEqual(3);
      const perProcess = [...new Set(attempts.map((a) => a.worker))].map((w) => attempts.filter((a) => a.worker === w).length);
      expect(perProcess).toHaveLength(2);
      expect(Math.min(...perProcess)).toBeGreaterThan(5);
    } finally {
      await api.close();
    }
  });

  it("shut down on SIGTERM: the service process itself exits cleanly", async () => {
    const pids = servers.map((s) => s.child.pid!);
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0]);
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
