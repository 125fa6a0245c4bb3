import { describe, expect, it } from "vitest";
import { chooseWorkers, RecentMean, worthChanging } from "./auto-workers";

const base = { requestMs: 300, prepareMs: 10, poolThreads: 2, rpm: null, cap: 16 };

describe("workers: 'auto'", () => {
  it("keeps enough requests in flight to reach the rate limit, with room for the tail", () => {
    // 600 a minute is 10 a second; at 300 ms each that is 3 in flight, 3.75 with the margin.
    expect(chooseWorkers({ ...base, rpm: 600 })).toBe(4);
    expect(chooseWorkers({ ...base, rpm: 600, requestMs: 1_200 })).toBe(15);
    expect(chooseWorkers({ ...base, rpm: 15 })).toBe(1);
  });

  it("asks for no more than the pool can prepare, and never more than the cap", () => {
    // 2 threads at 40 ms prepare 50 a second; half of that at 300 ms each is 7.5 in flight.
    expect(chooseWorkers({ ...base, prepareMs: 40 })).toBe(8);
    expect(chooseWorkers({ ...base, prepareMs: 2 })).toBe(16);
    expect(chooseWorkers({ ...base, prepareMs: 0 })).toBe(16);
    expect(chooseWorkers({ ...base, rpm: 6_000, prepareMs: 1, cap: 5 })).toBe(5);
  });

  it("averages the latest measurements only, starting from what earlier batches left", () => {
    const mean = new RecentMean(4);
    expect(mean.value).toBeNull();
    for (const v of [300, 300, 300, 300, 3_300]) mean.add(v);
    expect(mean.value).toBe(1_050);
    const next = new RecentMean(4, mean.recent);
    next.add(300);
    expect(next.value).toBe(1_050);
    expect(next.recent).toEqual([300, 300, 3_300, 300]);
  });

  it("changes the window only by a third or more of it, by two from 4 up, by one below", () => {
    expect(worthChanging(2, 3)).toBe(true);
    expect(worthChanging(4, 5)).toBe(false);
    expect(worthChanging(4, 2)).toBe(true);
    expect(worthChanging(6, 7)).toBe(false);
    expect(worthChanging(6, 4)).toBe(true);
    expect(worthChanging(12, 15)).toBe(false);
    expect(worthChanging(12, 16)).toBe(true);
  });
});
