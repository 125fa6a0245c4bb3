import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../logger";
import { createProcessLoad, defaultMaxRssMb, nextCap, type LoadSample, type LoadSampler } from "./process-load";

const MB = 2 ** 20;

describe("nextCap (AIMD)", () => {
  it("halves while overloaded, never below one image", () => {
    expect(nextCap(16, 16, true)).toBe(8);
    expect(nextCap(5, 16, true)).toBe(2);
    expect(nextCap(1, 16, true)).toBe(1);
  });

  it("climbs back by an eighth of the maximum (at least 1) while healthy, up to the maximum", () => {
    expect(nextCap(1, 16, false)).toBe(3);
    expect(nextCap(15, 16, false)).toBe(16);
    expect(nextCap(16, 16, false)).toBe(16);
    expect(nextCap(1, 4, false)).toBe(2);
  });
});

describe("defaultMaxRssMb", () => {
  it("is a positive figure below the machine's memory", () => {
    const mb = defaultMaxRssMb();
    expect(mb).toBeGreaterThan(0);
    expect(mb).toBeLessThan(Number.MAX_SAFE_INTEGER / MB);
  });
});

describe("the process load monitor", () => {
  let sample: LoadSample;
  let reads = 0;
  const sampler: LoadSampler = {
    start: () => {},
    stop: () => {},
    read: () => {
      reads++;
      return sample;
    },
  };
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
  const healthy: LoadSample = { lagP99Ms: 12, rssBytes: 100 * MB };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setImmediate"] });
    sample = healthy;
    reads = 0;
    lines.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  const start = (raised = () => {}) => {
    const load = createProcessLoad({ maxConcurrency: 16, lagMs: 200, maxRssMb: 500, windowMs: 1_000, logger, raised, sampler });
    load.start();
    return load;
  };
  /** The caps after each of `checks` windows. */
  const caps = (load: { cap: number }, checks: number) =>
    Array.from({ length: checks }, () => {
      // The window's timer, then the read it defers to the check phase (setImmediate).
      vi.advanceTimersToNextTimer();
      vi.advanceTimersToNextTimer();
      return load.cap;
    });

  it("stays at MAX_CONCURRENCY while healthy, reading once a window", () => {
    const load = start();
    expect(caps(load, 3)).toEqual([16, 16, 16]);
    expect(reads).toBe(3);
    expect(load.reason).toBe("ok");
    expect(lines).toEqual([]);
    load.stop();
  });

  it("halves each window while the event loop lags, then climbs back additively, logging once each way", () => {
    const raised = vi.fn();
    const load = start(raised);
    sample = { ...healthy, lagP99Ms: 350 };
    expect(caps(load, 5)).toEqual([8, 4, 2, 1, 1]);
    expect(load.reason).toBe("eventLoopLag");
    expect(raised).not.toHaveBeenCalled();
    sample = healthy;
    expect(caps(load, 8)).toEqual([3, 5, 7, 9, 11, 13, 15, 16]);
    expect(load.reason).toBe("ok");
    expect(raised).toHaveBeenCalledTimes(8);
    expect(lines.map((l) => l.msg)).toEqual([
      "process overloaded (eventLoopLag): backing off to 8 images in flight",
      "process load recovered: back to 16 images in flight",
    ]);
    expect(lines[0]).toMatchObject({ lagP99Ms: 350, lagLimitMs: 200, cap: 8, reason: "eventLoopLag" });
    load.stop();
  });

  it("says it is recovering while below the maximum, and a relapse halves again without a second back-off line", () => {
    const load = start();
    sample = { ...healthy, lagP99Ms: 900 };
    caps(load, 4);
    sample = healthy;
    expect(caps(load, 2)).toEqual([3, 5]);
    expect(load.reason).toBe("recovering");
    sample = { ...healthy, lagP99Ms: 900 };
    expect(caps(load, 1)).toEqual([2]);
    expect(lines.map((l) => l.msg)).toEqual(["process overloaded (eventLoopLag): backing off to 8 images in flight"]);
    load.stop();
  });

  it("runs one image at a time while the resident set is over the limit, memory named before lag", () => {
    const load = start();
    sample = { lagP99Ms: 900, rssBytes: 800 * MB };
    expect(caps(load, 6)).toEqual([8, 4, 2, 1, 1, 1]);
    expect(load.reason).toBe("memory");
    expect(lines[0]).toMatchObject({ reason: "memory", rssMb: 800, rssLimitMb: 500 });
    load.stop();
  });

  it("a lag at the limit is not over it", () => {
    const load = start();
    sample = { lagP99Ms: 200, rssBytes: 500 * MB };
    expect(caps(load, 2)).toEqual([16, 16]);
    load.stop();
  });

  it("stops reading once stopped", () => {
    const load = start();
    caps(load, 1);
    load.stop();
    vi.advanceTimersByTime(5_000);
    expect(reads).toBe(1);
  });
});
