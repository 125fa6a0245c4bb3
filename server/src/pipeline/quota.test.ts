import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "@showscan/db";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { createQuotaGate } from "./quota";

describe("the key's quota gate", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("lets two processes' gates together pass no more than the shared budget per window", async () => {
    const limiter = () => createRateLimiter(database.db, { keyPrefix: "rpm-test", points: 3, durationSeconds: 1 });
    // Two gates with limiters of their own: like two server processes on one database.
    const gates = [createQuotaGate(limiter()), createQuotaGate(limiter())];
    const signal = new AbortController().signal;
    const started = Date.now();
    const times = await Promise.all(Array.from({ length: 7 }, (_, i) => gates[i % 2]!.acquire(signal).then(() => Date.now() - started)));
    times.sort((a, b) => a - b);
    // 7 calls at 3 per second need a third window: the last one cannot pass before ~2 s.
    expect(times.slice(0, 3).every((t) => t < 900)).toBe(true);
    expect(times[3]).toBeGreaterThanOrEqual(900);
    expect(times[6]).toBeGreaterThanOrEqual(1_900);
  });

  it("holds every call back after a per-minute 429 and gives up when aborted", async () => {
    const gate = createQuotaGate();
    gate.pauseFor(300);
    const started = Date.now();
    await gate.acquire(new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    gate.pauseFor(10_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort("stop"), 50);
    await expect(gate.acquire(controller.signal)).rejects.toBe("stop");
  });
});
