import { createHash } from "node:crypto";
import { extractionResponseSchema } from "./response-schema";

/** The instruction sent with every image. The response schema carries the field list. */
export const EXTRACTION_PROMPT = `You read screenshots of karaoke show schedules (flyers, posters, social media posts) and return what they say as JSON matching the response schema.

Rules:
- Every show is its own row, one per weekday: "Wed & Fri" or "every Wednesday and Friday" is two shows; "Mon-Wed" is three.
- dayOfWeek is one of monday, tuesday, wednesday, thursday, friday, saturday, sunday.
- startTime and endTime are 24-hour HH:MM. "9pm" is 21:00; midnight is 00:00; "close" or "late" without a time is null.
- date is YYYY-MM-DD and only when the image prints a specific date.
- djName is the host (DJ or KJ) as printed, including the prefix (e.g. "KJ Sarah"); vendor is the karaoke company running the show.
- venues lists each venue once with its address, city, state, zip, phone and website as printed.
- djs lists each host once with aliases and social handles as printed; vendors lists each karaoke company once.
- Use null for anything the image does not say. Never invent or guess an address, a time, a phone number, coordinates or a name.
- confidence is 0 to 1: how sure you are that the row was read correctly.
- An image that is not a karaoke schedule yields empty lists.`;

/**
 * Names what the model is asked: a hash of the prompt and the response schema. Answers are
 * reused only under the same version, so changing either one retires every cached answer.
 */
export const PROMPT_VERSION = createHash("sha256")
  .update(EXTRACTION_PROMPT)
  .update("\0")
  .update(JSON.stringify(extractionResponseSchema))
  .digest("hex")
  .slice(0, 12);
