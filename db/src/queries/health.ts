import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Executor } from "../client";
import { onlyRow } from "./rows";

interface JournalEntry {
  tag: string;
  when: number;
}

const journalFile = new URL("../../migrations/meta/_journal.json", import.meta.url);

/** The committed migrations, read when asked so a migration added later is counted too. */
function journalEntries(): JournalEntry[] {
  return (JSON.parse(readFileSync(journalFile, "utf8")) as { entries: JournalEntry[] }).entries;
}

export interface MigrationsStatus {
  expected: number;
  applied: number;
  /** Tags of committed migrations the database has not run. */
  missing: string[];
}

/**
 * Which committed migrations the database has run. drizzle records each one in
 * `drizzle.__drizzle_migrations` with the journal entry's `when` as `created_at`, so an entry
 * whose `when` is absent there was never applied.
 */
export async function migrationsStatus(db: Executor): Promise<MigrationsStatus> {
  const entries = journalEntries();
  const exists = await db.execute<{ present: boolean }>(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists[0]?.present) return { expected: entries.length, applied: 0, missing: entries.map((e) => e.tag) };
  const rows = await db.execute<{ created_at: string }>(sql`select created_at::text as created_at from drizzle.__drizzle_migrations`);
  const applied = new Set(rows.map((r) => Number(r.created_at)));
  const missing = entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
  return { expected: entries.length, applied: entries.length - missing.length, missing };
}

export interface QueueDepth {
  /** Images waiting for a claim (new or waiting out a retry delay). */
  queued: number;
  /** Images claimed by some process and being analysed. */
  running: number;
}

/** Unfinished images over every batch and process (the `images_runnable` partial index covers it). */
export async function imageQueueDepth(db: Executor): Promise<QueueDepth> {
  const rows = await db.execute<{ status: string; n: number }>(
    sql`select status, count(*)::int as n from images where status in ('queued', 'running') group by status`,
  );
  const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { queued: of("queued"), running: of("running") };
}

/**
 * Sessions on this database waiting for a row or table lock now (advisory locks aside): work
 * held up behind a long transaction, as an operator or a test sees it.
 */
export async function sessionsWaitingForLocks(db: Executor): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and wait_event <> 'advisory'`);
  return rows[0]?.n ?? 0;
}

/** The bytes this database takes on disk (tables, indexes and TOAST of every schema), as Postgres counts them. */
export async function databaseSizeBytes(db: Executor): Promise<number> {
  const rows = await db.execute<{ bytes: string }>(sql`select pg_database_size(current_database())::text as bytes`);
  return Number(onlyRow(rows, "database size").bytes);
}
