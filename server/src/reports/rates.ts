import { z } from "zod";

/** A model's rate as an admin enters it: USD per million tokens, from `validFrom` on (default: now). */
export const modelRateSchema = z.object({
  model: z.string().trim().min(1),
  promptUsdPerMillion: z.number().min(0).max(1_000_000),
  outputUsdPerMillion: z.number().min(0).max(1_000_000),
  validFrom: z.coerce.date().optional(),
});
