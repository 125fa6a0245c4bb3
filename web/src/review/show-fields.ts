import type { MergedShow } from "../api/types";
import { weekday } from "../lib/format";

/** The fields of a show a reviewer sees and may correct, as `review.edit` names them. */
export const EDITABLE_SHOW_FIELDS = [
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
] as const satisfies readonly (keyof MergedShow)[];

export type EditableShowField = (typeof EDITABLE_SHOW_FIELDS)[number];
export type ShowFields = Pick<MergedShow, EditableShowField>;

/** Field names as a person says them ("start", "host"), for conflicts, changes and errors. */
export const FIELD_LABELS: Record<string, string> = {
  dayOfWeek: "day",
  startTime: "start",
  endTime: "end",
  venueName: "venue",
  address: "address",
  city: "city",
  state: "state",
  zip: "zip",
  phone: "phone",
  djName: "host",
  vendor: "company",
  date: "date",
  description: "description",
};

export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

/** A field's value as the table shows it: weekdays capitalised, times as written (21:00), nothing as "none". */
export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (field === "dayOfWeek" && typeof value === "string") return weekday(value);
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}
