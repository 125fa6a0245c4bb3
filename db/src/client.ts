import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDrizzle>;
/** A database handle or an open transaction: every query function accepts either. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

const createDrizzle = (client: postgres.Sql) => drizzle(client, { schema, casing: "snake_case" });

export interface DbConnection {
  db: Database;
  /** The raw driver, for LISTEN (which needs a dedicated connection). */
  client: postgres.Sql;
  close(): Promise<void>;
}

export function connect(url: string, options: { max?: number } = {}): DbConnection {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { application_name: "showscan" } });
  return { db: createDrizzle(client), client, close: () => client.end({ timeout: 5 }) };
}

const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/**
 * Applies the committed migrations. drizzle's migrator takes an advisory lock-free path, so
 * concurrent starts are serialised here with a session advisory lock.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(742017)`;
    await migrate(createDrizzle(client), { migrationsFolder });
  } finally {
    await client`select pg_advisory_unlock(742017)`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}
