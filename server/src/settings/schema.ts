import { z } from "zod";
import { BATCH_MODES } from "@showscan/db";

/** The settings an admin may change; every batch submitted afterwards, on any process, follows them. */
export const settingsSchema = z.object({
  defaultWorkers: z.number().int().min(1).max(5),
  defaultMode: z.enum(BATCH_MODES),
  /** Null: unlimited. */
  geminiRpm: z.number().int().min(1).max(100_000).nullable(),
  model: z
    .string()
    .trim()
    .max(100)
    .regex(/^[A-Za-z0-9][\w./-]*$/, "expected a model name such as gemini-2.5-flash"),
  userMaxFiles: z.number().int().min(1).max(500),
  userBatchesPerMinute: z.number().int().min(1).max(1000),
});

/** Any subset; an unknown name is refused rather than ignored, so a typo cannot pass as saved. */
export const settingsPatchSchema = settingsSchema.partial().strict();

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
