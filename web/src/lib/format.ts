/** "850 ms", "4.2 s", "3 min 5 s": durations as people read them. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export const times = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${x.toFixed(1)}×`);

export const percent = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${Math.round(x * 100)}%`);

export const weekday = (day: string) => day.charAt(0).toUpperCase() + day.slice(1);

/** "19:30" as "7:30 pm", the way flyers and singers say it. */
export function clock(hhmm: string | null | undefined): string {
  const match = hhmm?.match(/^(\d{1,2}):(\d{2})$/);
  if (!match) return "";
  const hours = Number(match[1]);
  if (hours % 24 === 0 && match[2] === "00") return "midnight";
  const suffix = hours >= 12 ? "pm" : "am";
  return `${hours % 12 || 12}:${match[2]} ${suffix}`;
}

export function timeRange(start: string | null, end: string | null): string {
  if (!start) return "time not given";
  return end ? `${clock(start)} – ${clock(end)}` : `from ${clock(start)}`;
}

export const dateTime = (value: string | Date | null | undefined) => (value ? new Date(value).toLocaleString() : "–");

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** "Dec 2, 2026, 1:19 AM": when, to the minute, for table cells. */
export const shortDateTime = (value: string | Date | null | undefined) =>
  value ? new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "–";
