import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { serverProcessEnv, TEST_MODEL } from "../support/harness";
import { startServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("showscan serve started as npm start starts it", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await startFakeGemini({ model: TEST_MODEL });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    await fake?.close();
  });

  it("runs with the bin's V8 limits, not the machine-sized defaults", async () => {
    const server = await startServerProcess(serverProcessEnv(database.url, fake.url));
    try {
      const line = server
        .output()
        .split("\n")
        .find((l) => l.includes("showscan listening"));
      const heapLimitMb = JSON.parse(line ?? "{}").heapLimitMb;
      // A 1024 MB old generation and three 4 MB semi-spaces; V8's default here is several GB.
      expect(heapLimitMb).toBeGreaterThanOrEqual(1024);
      expect(heapLimitMb).toBeLessThan(1100);
    } finally {
      await server.stop();
    }
  });
});
