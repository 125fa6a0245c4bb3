import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { onlyRow } from "./rows";
import { settings, type SettingsRow, type SettingsValues } from "../schema";

const ROW_ID = 1;

/** The settings row; the first read stores `defaults` (a concurrent first read keeps whichever lands first). */
export async function readSettings(db: Executor, defaults: SettingsValues): Promise<SettingsRow> {
  const [row] = await db.select().from(settings).where(eq(settings.id, ROW_ID));
  if (row) return row;
  await db
    .insert(settings)
    .values({ id: ROW_ID, ...defaults })
    .onConflictDoNothing();
  return onlyRow(await db.select().from(settings).where(eq(settings.id, ROW_ID)), "readSettings");
}

/** Changes only the fields given, storing `defaults` for the rest when there is no row yet. */
export async function updateSettings(db: Executor, defaults: SettingsValues, patch: Partial<SettingsValues>): Promise<SettingsRow> {
  const rows = await db
    .insert(settings)
    .values({ id: ROW_ID, ...defaults, ...patch })
    .onConflictDoUpdate({ target: settings.id, set: { ...patch, updatedAt: sql`now()` } })
    .returning();
  return onlyRow(rows, "updateSettings");
}
