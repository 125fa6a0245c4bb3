import { setTimeout as sleep } from "node:timers/promises";
import { getRateCell } from "@showscan/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { createQuotaGate } from "./quota";

describe("the key's quota gate", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("spreads two processes' calls evenly at the shared budget", async () => {
    // Two gates on one cell: like two server processes on one database. 4 per second.
    const cell = { db: database.db, key: "spread", periodMs: 1_000 };
    const gates = [createQuotaGate(cell), createQuotaGate(cell)];
    const signal = new AbortController().signal;
    await gates[0]!.acquire(signal, 4);
    const first = Date.now();
    const times = await Promise.all(Array.from({ length: 7 }, (_, i) => gates[i % 2]!.acquire(signal, 4).then(() => Date.now() - first)));
    times.sort((a, b) => a - b);
    // One every ~250 ms after the first, not four at once and four a second later.
    for (const [i, t] of times.entries()) expect(t).toBeGreaterThanOrEqual((i + 1) * 250 - 30);
    expect(times[6]).toBeLessThan(2_300);
  });

  it("lets a batch with no budget through at once", async () => {
    const gate = createQuotaGate({ db: database.db, key: "unbudgeted", periodMs: 1_000 });
    const signal = new AbortController().signal;
    await gate.acquire(signal, 1);
    const started = Date.now();
    expect(await gate.acquire(signal, null)).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it("shares a 429's pause and halved rate with the other process", async () => {
    const cell = { db: database.db, key: "shared-pause", periodMs: 1_000 };
    const [hearing, other] = [createQuotaGate(cell), createQuotaGate(cell)];
    const signal = new AbortController().signal;
    await hearing.acquire(signal, 20);
    hearing.pauseFor(400);
    await expect.poll(async () => (await getRateCell(database.db, "shared-pause"))?.allowedRpm).toBe(10);
    const started = Date.now();
    expect(await other.acquire(signal, 20)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
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
    await sleep(0);
  });
});
