import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listAttempts, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, TEST_MODEL, testTokens, serverProcessEnv } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, uploadForm } from "../support/trpc-client";

const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };

describe("images claimed ahead by a process that dies", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeGemini({ model: TEST_MODEL });
    database = await createTestDatabase();
    env = {
      ...serverProcessEnv(database.url, fake.url),
      // The lease is the attempt timeout plus 15 s: the shortest the service allows.
      IMAGE_TIMEOUT_MS: "1000",
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
    await fake?.close();
  });

  it("go back to the queue when the lease runs out, and each image succeeds once", async () => {
    // The first process's only request hangs, so it holds one image at the API and others ahead.
    let hanging = true;
    fake.setAnswer(async () => (hanging ? { fault: "hang" } : { json: EMPTY }));
    const first = await startServerProcess(env);
    servers.push(first);
    const api = createClient(first.url, await testTokens.sign({ sub: "ops", role: "admin" }));
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(6, "ahead"), { workers: 1 }));
    await api.close();

    const held = await eventually(async () => {
      const images = await listImages(database.db, batchId);
      const leased = images.filter((i) => i.status === "running");
      return fake.requests.length === 1 && leased.length > 1 ? leased : null;
    });
    // One at the API (the window of 1), the rest of what it holds prepared ahead, not sent.
    expect(held.filter((i) => i.callingSince !== null)).toHaveLength(1);
    expect(held.filter((i) => i.callingSince === null).length).toBeGreaterThanOrEqual(1);

    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    hanging = false;
    servers.push(await startServerProcess(env));

    const batch = await eventually(async () => {
      const row = await getBatch(database.db, batchId);
      return row?.status === "completed" ? row : null;
    }, 120_000);
    expect(batch).toMatchObject({ succeededImages: 6, failedImages: 0 });

    const attempts = await listAttempts(database.db, batchId);
    const succeeded = attempts.filter((a) => a.outcome === "succeeded");
    expect(succeeded).toHaveLength(6);
    expect(new Set(succeeded.map((a) => a.imageId)).size).toBe(6);
    // What the dead process held, at the API or ahead, ended as lease_expired when taken over.
    const dead = attempts.filter((a) => a.attemptNumber === 1 && held.some((h) => h.id === a.imageId));
    expect(dead.length).toBe(held.length);
    expect(dead.every((a) => a.outcome === "lease_expired")).toBe(true);
    // One hanging request from the dead process, then one per image.
    expect(fake.requests.length).toBe(7);
  }, 240_000);
});
