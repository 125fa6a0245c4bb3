/** Keys that make two spellings of the same thing compare equal. */
export function nameKey(value: string | null | undefined): string {
  return (value ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "");
}

/** "7:30" and "07:30" are the same start. */
export function timeKey(value: string | null | undefined): string {
  const [, hours, minutes] = value?.match(/^(\d{1,2}):(\d{2})$/) ?? [];
  return hours && minutes ? `${hours.padStart(2, "0")}:${minutes}` : "";
}

export const showKey = (show: { venueName: string; dayOfWeek: string; startTime: string | null }) =>
  `${nameKey(show.venueName)}|${show.dayOfWeek}|${timeKey(show.startTime)}`;
