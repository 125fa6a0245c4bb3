import { describe, expect, it } from "vitest";
import { mean, percentile, speedup } from "./measure";

describe("percentile (nearest rank)", () => {
  const values = [15, 20, 35, 40, 50];

  it("returns null for no values", () => {
    expect(percentile([], 50)).toBeNull();
  });

  it("picks the nearest rank", () => {
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
  });

  it("clamps p0 to the smallest and p above 100 to the largest", () => {
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 150)).toBe(50);
  });

  it("sorts numerically, not as strings, and leaves its input alone", () => {
    const input = [1000, 9, 200, 30];
    expect(percentile(input, 25)).toBe(9);
    expect(percentile(input, 75)).toBe(200);
    expect(percentile(input, 95)).toBe(1000);
    expect(input).toEqual([1000, 9, 200, 30]);
  });

  it("p50/p95/p99 over 1..100", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
  });

  it("returns the only value for a single value", () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
  });
});

describe("mean", () => {
  it("returns null for no values", () => {
    expect(mean([])).toBeNull();
  });

  it("averages", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([7])).toBe(7);
    expect(mean([-2, 2])).toBe(0);
  });
});

describe("speedup", () => {
  it("is the summed image time over the wall time", () => {
    expect(speedup(30_000, 10_000)).toBe(3);
    expect(speedup(5_000, 10_000)).toBe(0.5);
  });

  it("is 0 when no wall time has passed", () => {
    expect(speedup(1_000, 0)).toBe(0);
    expect(speedup(0, 0)).toBe(0);
    expect(speedup(1_000, -5)).toBe(0);
  });
});
