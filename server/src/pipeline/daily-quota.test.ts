import { describe, expect, it } from "vitest";
import { dailyQuotaResumesAt, nextPacificMidnight } from "./daily-quota";

describe("the daily quota's reset", () => {
  it("is the next midnight in Los Angeles, in standard and in daylight time", () => {
    expect(nextPacificMidnight(new Date("2026-12-02T04:00:00Z")).toISOString()).toBe("2026-12-02T08:00:00.000Z");
    expect(nextPacificMidnight(new Date("2026-12-02T09:00:00Z")).toISOString()).toBe("2026-12-03T08:00:00.000Z");
    expect(nextPacificMidnight(new Date("2026-07-01T12:00:00Z")).toISOString()).toBe("2026-07-02T07:00:00.000Z");
  });

  it("follows the clock change on the days it happens", () => {
    // 8 March 2026: daylight time starts at 2 am; that day's midnight is still standard time.
    expect(nextPacificMidnight(new Date("2026-03-08T06:00:00Z")).toISOString()).toBe("2026-03-08T08:00:00.000Z");
    expect(nextPacificMidnight(new Date("2026-03-08T12:00:00Z")).toISOString()).toBe("2026-03-09T07:00:00.000Z");
    // 1 November 2026: back to standard time at 2 am.
    expect(nextPacificMidnight(new Date("2026-11-01T12:00:00Z")).toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });

  it("takes an engine's own delay when it gave one", () => {
    const now = new Date("2026-12-02T04:00:00Z");
    expect(dailyQuotaResumesAt(2_000, now).toISOString()).toBe("2026-12-02T04:00:02.000Z");
    expect(dailyQuotaResumesAt(null, now).toISOString()).toBe("2026-12-02T08:00:00.000Z");
  });
});
