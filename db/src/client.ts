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
  /**
   * LISTENs on a channel; returns the function that stops listening. The driver keeps one
   * dedicated connection for all of a process's channels and re-LISTENs after a reconnect.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function connect(url: string, options: { max?: number } = {}): DbConnection {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { application_name: "showscan" } });
  return {
    db: createDrizzle(client),
    listen: async (channel, onMessage) => (await client.listen(channel, onMessage)).unlisten,
    close: () => client.end({ timeout: 5 }),
  };
}

/** Creates an empty database on a server, connecting as a user allowed to (tests, benchmarks). */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, (admin) => admin`create database ${admin(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** Drops a database created by createDatabase, ending its other sessions. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin`drop database if exists ${admin(name)} with (force)`);
}

/** Sets a database's default synchronous_commit, for the benchmark's durability comparison. */
export async function setSynchronousCommit(url: string, on: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin(url, (admin) => admin`alter database ${admin(name)} set synchronous_commit = ${admin.unsafe(on ? "on" : "off")}`);
}

async function withAdmin(url: string, run: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await run(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
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
