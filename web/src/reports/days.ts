/** UTC calendar days as "YYYY-MM-DD" strings: the reporting views' days, which sort and compare as text. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

export const isDay = (value: string | null | undefined): value is string =>
  typeof value === "string" && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

export const todayUtc = () => new Date().toISOString().slice(0, 10);

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);

/** The UTC day of an instant, as the views count a batch's day of upload. */
export const dayOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

/** Every day from `first` to `last`, both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/** "Mar 4" for an axis tick: the year is in the filters above the charts. */
export const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
