import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { createLimiterByPoints } from "../settings/limiter";
import { createQuotaGate } from "./quota";

describe("the key's quota gate", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("lets two processes' gates together pass no more than the shared budget per window", async () => {
    const limiter = () => createLimiterByPoints(database.db, { keyPrefix: "rpm-test", durationSeconds: 1 });
    // Two gates with limiters of their own: like two server processes on one database.
    const gates = [createQuotaGate(limiter()), createQuotaGate(limiter())];
    const signal = new AbortController().signal;
    const started = Date.now();
    const times = await Promise.all(Array.from({ length: 7 }, (_, i) => gates[i % 2]!.acquire(signal, 3).then(() => Date.now() - started)));
    times.sort((a, b) => a - b);
    // 7 calls at 3 per second need a third window: the last one cannot pass before ~2 s.
    expect(times.slice(0, 3).every((t) => t < 900)).toBe(true);
    expect(times[3]).toBeGreaterThanOrEqual(900);
    expect(times[6]).toBeGreaterThanOrEqual(1_900);
  });

  it("follows a changed budget within the same window, and lets a batch with no budget through", async () => {
    const gate = createQuotaGate(createLimiterByPoints(database.db, { keyPrefix: "rpm-change", durationSeconds: 2 }));
    const signal = new AbortController().signal;
    const started = Date.now();
    const elapsed = (rpm: number | null) => gate.acquire(signal, rpm).then(() => Date.now() - started);
    await elapsed(2);
    await elapsed(2);
    // Raised to 4: two more pass in the window the first two opened, the fifth waits for the next.
    expect(await elapsed(4)).toBeLessThan(1_500);
    expect(await elapsed(4)).toBeLessThan(1_500);
    expect(await elapsed(null)).toBeLessThan(1_500);
    expect(await elapsed(4)).toBeGreaterThanOrEqual(1_800);
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
