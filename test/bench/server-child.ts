import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, startEmbeddedPostgres } from "../../db/src/index";
import { createTokens } from "../../server/src/auth/tokens";
import { createClient } from "../support/trpc-client";
import { MODEL } from "./bench-service";

/**
 * What the parts that run `showscan serve` as its own OS process share: a database of their own,
 * the server's environment, and an admin's client on it.
 */
const SECRET = "bench-secret-that-is-long-enough-for-hs256";

/** A migrated embedded Postgres in a temporary folder, stopped and removed once `run` ends. */
export async function withBenchDatabase<T>(name: string, run: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `showscan-bench-${name}-pg-`));
  const pg = await startEmbeddedPostgres(dir);
  try {
    await migrateDatabase(pg.url);
    return await run(pg.url);
  } finally {
    await pg.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

/** `showscan serve`'s environment: this database, the fake Gemini, the benchmark's secret, and `extra`. */
export const serverEnv = (databaseUrl: string, fakeUrl: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: databaseUrl,
  GEMINI_API_KEY: "test-key",
  GEMINI_BASE_URL: fakeUrl,
  GEMINI_MODEL: MODEL,
  JWT_SECRET: SECRET,
  ...extra,
});

/** An admin's signed token for a server started with serverEnv. */
export const adminToken = () => createTokens(SECRET).sign({ sub: "bench", role: "admin" });

/** An admin's typed client on a server started with serverEnv. */
export const adminClient = async (url: string) => createClient(url, await adminToken());
