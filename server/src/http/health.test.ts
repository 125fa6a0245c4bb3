import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import type { Engine } from "../engines/types";
import type { PoolStats, WorkerPool } from "../pool/pool";
import { checkReadiness } from "./health";

const poolWith = (stats: PoolStats) => ({ stats: () => stats }) as unknown as WorkerPool;
const warmPool = poolWith({ threads: 2, busy: 0, queued: 0, warm: true, size: 2 });
const gemini = { name: "gemini", model: "gemini-2.5-flash" } as Engine;

describe("checkReadiness", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  const check = (over: Partial<Parameters<typeof checkReadiness>[0]>) =>
    checkReadiness({ db: database.db, pool: warmPool, engine: gemini, inFlight: () => 0, ...over });

  it("is ready with a migrated database, a warm pool and a configured engine", async () => {
    const result = await check({});
    expect(result).toMatchObject({ ready: true, reason: null });
    expect(Object.values(result.checks).every((c) => c.ok)).toBe(true);
  });

  it("is not ready before the pool has warmed up, or with no live thread", async () => {
    expect((await check({ pool: poolWith({ threads: 2, busy: 0, queued: 0, warm: false, size: 2 }) })).reason).toBe(
      "pool: worker threads not warmed up yet",
    );
    expect((await check({ pool: poolWith({ threads: 0, busy: 0, queued: 0, warm: true, size: 2 }) })).reason).toBe(
      "pool: no live worker threads",
    );
  });

  it("is not ready with gemini but no key or no model; offline needs neither", async () => {
    expect((await check({ engineKeySet: false })).reason).toBe("engine: gemini has no API key");
    expect((await check({ engine: { ...gemini, model: null } })).reason).toBe("engine: gemini has no model");
    expect((await check({ engine: { ...gemini, name: "offline", model: null }, engineKeySet: false })).ready).toBe(true);
  });

  it("names the database first when it does not answer in time", async () => {
    const hanging = { execute: () => new Promise(() => {}) } as unknown as TestDatabase["db"];
    const result = await check({ db: hanging, timeoutMs: 50 });
    expect(result.reason).toBe("database: no answer within 50 ms");
    expect(result.checks.migrations).toEqual({ ok: false, detail: "no answer within 50 ms" });
  });
});
