import { TRPCClientError } from "@trpc/client";
import { explainError } from "../lib/errors";
import { fieldLabel } from "./show-fields";

export interface FieldErrors {
  /** Per field name, what is wrong with it, in words. */
  byField: Record<string, string>;
  /** What is wrong, as one sentence for the whole form. */
  summary: string;
}

/** The schema's messages ("Too small: expected string to have >=1 characters") as a person says them. */
function plainWords(field: string, message: string): string {
  if (/>=\s*1 characters|too small/i.test(message)) return "cannot be empty";
  if (/HH:MM/.test(message)) return "must be a time such as 21:00";
  if (/YYYY-MM-DD|regex|pattern/i.test(message) && field === "date") return "must be a date such as 2026-05-01";
  if (/invalid option|expected one of/i.test(message))
    return field === "dayOfWeek" ? "must be a weekday" : "is not one of the allowed values";
  if (/unrecognized key/i.test(message)) return "is not a field of a show";
  if (/expected string/i.test(message)) return "must be text";
  return message;
}

/**
 * `review.edit`'s refusal (`fields: startTime: 24-hour HH:MM; venueName: Too small…`) split by
 * field, so each message can sit beside its input; any other error is explained as a whole.
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== "BAD_REQUEST" || !message.startsWith("fields:")) return { byField: {}, summary: explainError(error) };
  const byField: Record<string, string> = {};
  const sentences: string[] = [];
  for (const issue of message.slice("fields:".length).split(";")) {
    const [path = "", ...rest] = issue.split(":");
    const text = rest.join(":").trim();
    const field = path.trim();
    if (!text) continue;
    const words = plainWords(field, text);
    byField[field] = words;
    sentences.push(`The ${fieldLabel(field)} ${words}.`);
  }
  return { byField, summary: sentences.length ? `Not saved: ${sentences.join(" ")}` : explainError(error) };
}
