import { UPLOAD_LIMITS } from "../batches/limits";
import type { Settings } from "./schema";

/** What the settings row starts with; GEMINI_RPM and GEMINI_MODEL come in through `fromEnvironment`. */
export function defaultSettings(fromEnvironment: Partial<Settings> & Pick<Settings, "model">): Settings {
  return {
    defaultWorkers: 3,
    defaultMode: "parallel",
    geminiRpm: null,
    userMaxFiles: UPLOAD_LIMITS.user.maxFiles,
    userBatchesPerMinute: 5,
    ...fromEnvironment,
  };
}
