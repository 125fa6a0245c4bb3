import { BATCH_MODES, type ReportFilter } from "@showscan/db";
import { z } from "zod";
import type { User } from "../auth/tokens";

const fields = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Admins only: a user's reports are always of their own batches. */
  owner: z.string().trim().min(1).optional(),
  source: z.string().trim().min(1).optional(),
  mode: z.enum(BATCH_MODES).optional(),
});

const ordered = (f: { from?: Date; to?: Date }) => !f.from || !f.to || f.from < f.to;
const orderedMessage = { message: "must be after from", path: ["to"] };

/** What every report.* procedure takes, all optional: `from` inclusive, `to` exclusive. */
export const reportFilterSchema = fields.refine(ordered, orderedMessage).default({});

/** report.batches also takes how many rows (newest first). */
export const reportBatchesSchema = fields
  .extend({ limit: z.number().int().min(1).max(5000).default(500) })
  .refine(ordered, orderedMessage)
  .default({ limit: 500 });

/**
 * The filter a caller's report runs with: admins see everyone and may name an owner; a user's
 * owner is their own sub, whatever they asked for (no error, so one client serves both).
 */
export function scopedFilter(user: User, input: z.infer<typeof fields>): ReportFilter {
  return { ...input, owner: user.role === "admin" ? input.owner : user.sub };
}
