import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { connect, createDatabase, dropDatabase, migrateDatabase, type DbConnection } from "../../db/src/index";

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
  const url = await createDatabase(adminUrl, name);
  await migrateDatabase(url);
  const conn = connect(url);
  return {
    ...conn,
    url,
    async drop() {
      await conn.close();
      await dropDatabase(adminUrl, name);
    },
  };
}
