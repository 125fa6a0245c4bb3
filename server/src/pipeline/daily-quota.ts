/** Gemini's daily quotas reset at midnight Pacific time. */
const RESET_TIME_ZONE = "America/Los_Angeles";

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: RESET_TIME_ZONE, timeZoneName: "longOffset" });
const dateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: RESET_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** The zone's offset from UTC at an instant, in ms ("GMT-07:00" is -25 200 000). */
function offsetMs(at: Date): number {
  const name = offsetFormat.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000);
}

/** The next midnight in Los Angeles after `now`, as an instant. */
export function nextPacificMidnight(now: Date): Date {
  const [year, month, day] = dateFormat.format(now).split("-").map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(year, month - 1, day + 1);
  // The offset at the wall-clock midnight itself: a day that changes to or from daylight time
  // does so at 2 am, after that midnight, so a second reading settles it.
  const guess = midnightAsUtc - offsetMs(now);
  return new Date(midnightAsUtc - offsetMs(new Date(guess)));
}

/**
 * When a batch stopped by a spent daily quota may run again: after the delay the engine gave
 * with the error, else at the quotas' reset. Gemini's per-day 429 carries a RetryInfo of a few
 * seconds that does not mean the quota is back, so its classification passes no delay.
 */
export function dailyQuotaResumesAt(retryAfterMs: number | null | undefined, now = new Date()): Date {
  return retryAfterMs != null ? new Date(now.getTime() + retryAfterMs) : nextPacificMidnight(now);
}
