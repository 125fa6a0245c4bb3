import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect, migrateDatabase, startEmbeddedPostgres } from "@showscan/db";
import { createApp } from "./app";
import { loadJwtSecret } from "./auth/secret";
import { createTokens } from "./auth/tokens";
import { createGeminiEngine } from "./engines/gemini/engine";
import { createOfflineEngine } from "./engines/offline/engine";
import type { Env } from "./env";
import type { Logger } from "./logger";
import { createWorkerPool } from "./pool/pool";

const webDist = fileURLToPath(new URL("../../web/dist", import.meta.url));
const samplesDir = fileURLToPath(new URL("../../samples", import.meta.url));

/** The database the environment asks for: DATABASE_URL, or the embedded one under DATA_DIR. */
export async function openDatabase(env: Env, logger: Logger) {
  if (env.DATABASE_URL) {
    await migrateDatabase(env.DATABASE_URL);
    return { url: env.DATABASE_URL, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres(path.join(env.DATA_DIR, "postgres"), (line) => logger.warn(line));
  await migrateDatabase(embedded.url);
  return embedded;
}

/** The whole service as the environment describes it, ready to start. */
export async function createRuntime(env: Env, logger: Logger) {
  const database = await openDatabase(env, logger);
  const conn = connect(database.url, { max: Math.max(10, env.MAX_CONCURRENCY + 5) });
  const pool = createWorkerPool({
    logger,
    threads: env.WORKER_THREADS,
    idleMs: env.WORKER_IDLE_MS || undefined,
    maxHeapMb: env.WORKER_MAX_HEAP_MB,
  });
  const engine =
    // The environment schema already refuses ENGINE=gemini without a key.
    env.ENGINE === "gemini" && env.GEMINI_API_KEY
      ? createGeminiEngine({ apiKey: env.GEMINI_API_KEY, model: env.GEMINI_MODEL, baseUrl: env.GEMINI_BASE_URL })
      : createOfflineEngine({ ocr: (input, signal) => pool.ocr(input, signal) });
  const { secret, created: newSecret } = loadJwtSecret(env);
  const tokens = createTokens(secret);
  const app = createApp({
    conn,
    tokens,
    engine,
    pool,
    logger,
    config: {
      // Only the first start on a database stores these; afterwards settings.update changes them.
      settingsDefaults: { geminiRpm: env.GEMINI_RPM ?? null, model: env.GEMINI_MODEL },
      maxConcurrency: env.MAX_CONCURRENCY,
      imageTimeoutMs: env.IMAGE_TIMEOUT_MS,
      maxRetries: env.MAX_RETRIES,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      webDist,
      samplesDir,
      engineKeySet: Boolean(env.GEMINI_API_KEY),
      load: { lagMs: env.OVERLOAD_LAG_MS, maxRssMb: env.MAX_RSS_MB },
    },
  });
  return {
    app,
    tokens,
    newSecret,
    databaseUrl: database.url,
    async close() {
      await app.stop();
      await engine.close?.();
      await pool.destroy();
      await conn.close();
      await database.stop();
    },
  };
}
