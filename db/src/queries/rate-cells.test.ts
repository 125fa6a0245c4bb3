import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { connect, type DbConnection } from "../client";
import { getRateCell, pauseRateCell, reserveRate } from "./rate-cells";

describe("the key's rate cell", () => {
  let database: TestDatabase;
  let processes: DbConnection[];
  beforeAll(async () => {
    database = await createTestDatabase();
    // Two connection pools of their own: two server processes on one database.
    processes = [connect(database.url), connect(database.url)];
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.close()));
    await database?.drop();
  });

  it("spreads two processes' requests so no window holds more than the limit, at >= 0.97 of it", async () => {
    // A minute scaled to 3 s: 30 per window, one every 100 ms, over 6 s of load.
    const limit = 30;
    const periodMs = 3_000;
    const loadMs = 6_000;
    const starts: number[] = [];
    const stopAt = Date.now() + loadMs;
    // Eight waiters per process, each reserving, sleeping until its start, and again.
    const waiter = async (p: DbConnection) => {
      while (Date.now() < stopAt) {
        const r = await reserveRate(p.db, { key: "load", rpm: limit, periodMs, horizonMs: 500 });
        if (!r.ok) {
          await sleep(r.retryInMs);
          continue;
        }
        starts.push(r.at.getTime());
        await sleep(r.waitMs);
      }
    };
    await Promise.all(processes.flatMap((p) => Array.from({ length: 8 }, () => waiter(p))));

    starts.sort((a, b) => a - b);
    expect(new Set(starts).size).toBe(starts.length);
    let busiest = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[j]! < starts[i]! - periodMs + 1) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(limit);
    // Evenly spread: neighbours are never closer than the emission interval.
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(periodMs / limit);
    const achieved = ((starts.length - 1) / (starts.at(-1)! - starts[0]!)) * (periodMs / limit);
    expect(achieved).toBeGreaterThanOrEqual(0.97);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThan(loadMs - 1_000);
  });

  it("refuses to reserve beyond the horizon and says when to ask again", async () => {
    const opts = { key: "horizon", rpm: 10, periodMs: 10_000, horizonMs: 2_500 };
    const granted = [];
    for (let i = 0; i < 4; i++) granted.push(await reserveRate(database.db, opts));
    // One a second (plus the margin): starts at 0, 1, 2 s are within 2.5 s, the one at 3 s is not.
    expect(granted.map((r) => r.ok)).toEqual([true, true, true, false]);
    const refused = granted[3]!;
    expect(refused.ok || refused.retryInMs).toBeGreaterThan(400);
    expect(refused.ok || refused.retryInMs).toBeLessThan(700);
  });

  it("pauses the key after a 429, halves the rate once per burst, and climbs back while none comes", async () => {
    const key = "aimd";
    const periodMs = 2_000;
    const first = await reserveRate(database.db, { key, rpm: 40, periodMs });
    expect(first).toMatchObject({ ok: true, waitMs: 0, rpm: 40 });

    // Three in-flight requests come back 429 together: one halving, not three.
    for (let i = 0; i < 3; i++) await pauseRateCell(database.db, { key, pauseMs: 400, rpm: 40, periodMs });
    expect((await getRateCell(database.db, key))?.allowedRpm).toBe(20);

    const paused = await reserveRate(database.db, { key, rpm: 40, periodMs });
    if (!paused.ok) throw new Error("refused within the horizon");
    expect(paused.waitMs).toBeGreaterThan(300);
    expect(paused.rpm).toBe(20);
    const next = await reserveRate(database.db, { key, rpm: 40, periodMs });
    if (!next.ok) throw new Error("refused within the horizon");
    // Paced at the halved rate: 2 000 ms / 20 with the margin.
    expect(next.at.getTime() - paused.at.getTime()).toBe(101);

    // A second 429 after the pause ended halves again (what ~300 ms of recovery gave, too).
    await sleep(700);
    await pauseRateCell(database.db, { key, pauseMs: 0, rpm: 40, periodMs });
    const halvedAgain = (await getRateCell(database.db, key))?.allowedRpm;
    expect(halvedAgain).toBeGreaterThanOrEqual(10);
    expect(halvedAgain).toBeLessThan(10.7);

    // +4 rpm (a tenth of 40) per 2 s period: a second of success gives about +2.
    await sleep(1_000);
    const climbing = await reserveRate(database.db, { key, rpm: 40, periodMs });
    expect(climbing.ok && climbing.rpm).toBeGreaterThan(11.5);
    expect(climbing.ok && climbing.rpm).toBeLessThan(13);

    // Long after, it is back at the configured rate, stored as null.
    await database.db.execute(sql`update rate_cells set updated_at = updated_at - interval '1 minute' where key = ${key}`);
    const recovered = await reserveRate(database.db, { key, rpm: 40, periodMs, horizonMs: 60_000 });
    expect(recovered).toMatchObject({ ok: true, rpm: 40 });
    expect((await getRateCell(database.db, key))?.allowedRpm).toBeNull();
  });

  it("never lets the rate fall below one request per period", async () => {
    for (let i = 0; i < 4; i++) {
      await pauseRateCell(database.db, { key: "floor", pauseMs: 0, rpm: 3 });
      await sleep(5);
    }
    expect((await getRateCell(database.db, "floor"))?.allowedRpm).toBe(1);
  });
});
