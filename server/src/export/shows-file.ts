import { stringify } from "csv-stringify/sync";

/** The columns of an exported show, in the order a spreadsheet shows them. */
export const SHOW_COLUMNS = [
  "dayOfWeek",
  "startTime",
  "endTime",
  "venueName",
  "address",
  "city",
  "state",
  "zip",
  "phone",
  "djName",
  "vendor",
  "date",
  "description",
] as const;

type ExportedShow = Partial<Record<(typeof SHOW_COLUMNS)[number], unknown>> & Record<string, unknown>;

const cell = (value: unknown) =>
  value === null || value === undefined
    ? ""
    : value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.join(" ")
        : String(value);

/**
 * Shows as CSV: the show's columns, then the extra ones given (review state, sources). A header
 * row always, so an empty export still says what it would hold. The cells are text a screenshot
 * (through the model) chose, so one starting like a formula (`=`, `+`, `-`, `@`) is written with a
 * leading `'`: a spreadsheet opening the file shows it instead of running it.
 */
export function showsCsv(shows: ExportedShow[], extra: readonly string[] = []): string {
  const columns = [...SHOW_COLUMNS, ...extra];
  return stringify(
    shows.map((show) => columns.map((c) => cell(show[c]))),
    { header: true, columns, bom: false, escape_formulas: true },
  );
}
