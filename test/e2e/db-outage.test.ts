import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listAttempts, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, serverProcessEnv, TEST_MODEL, testTokens } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, recordProgress, uploadForm } from "../support/trpc-client";

const IMAGES = 40;
const OUTAGE_MS = 10_000;
const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
};

describe("Postgres unreachable for 10 seconds in the middle of a batch", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    fake = await startFakeGemini({ model: TEST_MODEL, latencyMs: 150, answer: () => ({ json: EMPTY }) });
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    // The server reaches Postgres only through the proxy; the test reads it directly.
    const viaProxy = new URL(database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    server = await startServerProcess({ ...serverProcessEnv(viaProxy.href, fake.url), IMAGE_TIMEOUT_MS: "5000" });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    await fake?.close();
  });

  it("stays up, says the database is down on /readyz, and finishes the batch once it is back, nothing lost", async () => {
    const api = createClient(server.url, await testTokens.sign({ sub: "ops", role: "admin" }));
    try {
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(IMAGES, "outage"), { workers: 3 }));
      const { seen, ended: followed } = recordProgress(api.client, batchId);

      await eventually(async () => (fake.served.length >= 8 ? true : null), 60_000);
      const cutAt = Date.now();
      await proxy.stop();

      // Meanwhile the process answers, live but not ready, and says why.
      const down = await eventually(async () => {
        const r = await readyz(server.url);
        return r.status === 503 ? r : null;
      }, OUTAGE_MS - 2_000);
      expect(down.body).toMatchObject({ status: "not ready", reason: expect.stringMatching(/^database: /) });
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const processedBefore = (await getBatch(database.db, batchId))!.succeededImages;

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutAt + OUTAGE_MS - Date.now())));
      expect((await readyz(server.url)).status).toBe(503);
      expect(server.child.exitCode).toBeNull();
      await proxy.start();

      await eventually(async () => ((await readyz(server.url)).status === 200 ? true : null), 20_000);
      const batch = await eventually(async () => {
        const row = await getBatch(database.db, batchId);
        return row?.status === "completed" ? row : null;
      }, 120_000);
      expect(await followed).toBeNull();

      expect(server.child.exitCode).toBeNull();
      expect(processedBefore).toBeLessThan(IMAGES);
      expect(batch).toMatchObject({ succeededImages: IMAGES, failedImages: 0 });
      const images = await listImages(database.db, batchId);
      expect(images.every((i) => i.status === "succeeded")).toBe(true);
      const attempts = await listAttempts(database.db, batchId);
      const succeeded = attempts.filter((a) => a.outcome === "succeeded");
      expect(succeeded).toHaveLength(IMAGES);
      expect(new Set(succeeded.map((a) => a.imageId)).size).toBe(IMAGES);
      // No answer was lost and asked for again: what came back during the outage was recorded after it.
      expect(attempts).toHaveLength(IMAGES);
      expect(fake.requests).toHaveLength(IMAGES);

      // The subscriber rode the outage out: every event once, in order, up to the end.
      expect(seen.at(-1)).toMatchObject({ processed: IMAGES, status: "completed" });
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.id).toBe(seen[i - 1]!.id + 1);
    } finally {
      await api.close();
    }
  }, 240_000);
});
