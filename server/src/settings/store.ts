import { readSettings, updateSettings, type Database, type SettingsRow } from "@showscan/db";
import type { Settings, SettingsPatch } from "./schema";

export interface SettingsStore {
  /** Read from the database on every call (one small query), so a change made by any process applies at once. */
  get(): Promise<Settings>;
  update(patch: SettingsPatch): Promise<Settings>;
}

const toSettings = (row: SettingsRow): Settings => ({
  defaultWorkers: row.defaultWorkers,
  defaultMode: row.defaultMode,
  geminiRpm: row.geminiRpm,
  model: row.model,
  userMaxFiles: row.userMaxFiles,
  userBatchesPerMinute: row.userBatchesPerMinute,
});

/** `defaults` fill the row the first time it is read or written. */
export function createSettingsStore(db: Database, defaults: Settings): SettingsStore {
  return {
    get: async () => toSettings(await readSettings(db, defaults)),
    update: async (patch) => toSettings(await updateSettings(db, defaults, patch)),
  };
}
