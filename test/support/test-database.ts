import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { connect, migrateDatabase, type DbConnection } from "../../db/src/index";

declare module "vitest" {
  export interface ProvidedContext {
    /** A Postgres URL whose user may create databases: each test makes its own. */
    pgAdminUrl: string;
  }
}

export interface TestDatabase extends DbConnection {
  url: string;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own on the run's Postgres server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `showscan_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.href);
  const conn = connect(url.href);
  return {
    ...conn,
    url: url.href,
    async drop() {
      await conn.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
