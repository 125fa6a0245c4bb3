import { createHash } from "node:crypto";
import { getBatch, listenForProgress, type BatchRow } from "../../db/src/index";
import { createApp, type AppDeps } from "../../server/src/app";
import { createTokens } from "../../server/src/auth/tokens";
import { createGeminiEngine } from "../../server/src/engines/gemini/engine";
import type { Engine } from "../../server/src/engines/types";
import { createLogger, type Logger } from "../../server/src/logger";
import { createWorkerPool, type PoolOptions, type WorkerPool } from "../../server/src/pool/pool";
import { prepareImage } from "../../server/src/pool/prepare";
import type { QuotaGate } from "../../server/src/pipeline/quota";
import type { RetryPolicy } from "../../server/src/pipeline/retry-policy";
import type { Answerer, FakeGemini, FakeReply, FakeRequest } from "./fake-gemini";
import { extractionFromTruth, type Flyer } from "./flyers";
import { createTestDatabase, type TestDatabase } from "./test-database";

export const TEST_MODEL = "gemini-2.5-flash";
export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256";
export const testTokens = createTokens(TEST_JWT_SECRET);

/** The environment of a `showscan serve` process on `databaseUrl`, its Gemini the fake at `fakeUrl`. */
export function serverProcessEnv(databaseUrl: string, fakeUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    GEMINI_API_KEY: "test-key",
    GEMINI_BASE_URL: fakeUrl,
    GEMINI_MODEL: TEST_MODEL,
    JWT_SECRET: TEST_JWT_SECRET,
    // Test files run side by side on few cores: see the load limits in startService.
    OVERLOAD_LAG_MS: "5000",
  };
}

export interface ServiceOptions {
  fake?: FakeGemini;
  engine?: Engine;
  database?: TestDatabase;
  workerFile?: string;
  /** The worker pool's size and how many thread deaths make it shrink (default: 2 threads, the pool's own policy). */
  pool?: Pick<PoolOptions, "threads" | "deathsPerStep">;
  retryPolicy?: RetryPolicy;
  /** The key's quota gate (default: the app's own, on the database's rate cell). */
  quota?: QuotaGate;
  config?: Partial<AppDeps["config"]>;
  listen?: boolean;
  /** Where the service logs (default: silent, or TEST_LOG_LEVEL to stdout). */
  logger?: Logger;
}

export type TestService = Awaited<ReturnType<typeof startService>>;

/** A real service on a fresh database: real pool, real Gemini SDK against the fake. */
export async function startService(opts: ServiceOptions = {}) {
  const database = opts.database ?? (await createTestDatabase());
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const pool: WorkerPool = createWorkerPool({ logger, threads: 2, filename: opts.workerFile, ...opts.pool });
  const engine = opts.engine ?? createGeminiEngine({ apiKey: "test-key", model: TEST_MODEL, baseUrl: opts.fake?.url });
  const app = createApp({
    conn: database,
    tokens: testTokens,
    engine,
    pool,
    logger,
    retryPolicy: opts.retryPolicy,
    quota: opts.quota,
    config: {
      maxConcurrency: 16,
      imageTimeoutMs: 10_000,
      maxRetries: 3,
      pollMs: 100,
      // Test files run side by side on few cores, where a second of event-loop delay is common and
      // says nothing about the service; the overload suite sets its own limits.
      load: { lagMs: 5_000 },
      ...opts.config,
    },
  });
  const { url } = await app.start(opts.listen ? { port: 0, host: "127.0.0.1" } : undefined);
  return {
    app,
    url,
    database,
    db: database.db,
    pool,
    async close({ keepDatabase = false } = {}) {
      await app.stop();
      await pool.destroy();
      if (!keepDatabase) await database.drop();
    },
  };
}

/** Resolves with the batch once it reaches a final state (heard through NOTIFY, checked in the rows). */
export async function waitForBatch(service: { database: TestDatabase }, batchId: string, timeoutMs = 60_000): Promise<BatchRow> {
  const { database } = service;
  return new Promise<BatchRow>((resolve, reject) => {
    let unlisten: (() => Promise<void>) | undefined;
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      clearInterval(poll);
      void unlisten?.();
      fn();
    };
    const check = async () => {
      const batch = await getBatch(database.db, batchId);
      if (batch && ["completed", "failed", "cancelled"].includes(batch.status)) finish(() => resolve(batch));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`batch ${batchId} did not finish in ${timeoutMs} ms`))), timeoutMs);
    const poll = setInterval(() => void check(), 500);
    void listenForProgress(database, () => void check()).then((u) => {
      unlisten = u;
      void check();
    });
  });
}

/** Polls `read` until it answers something other than null. */
export async function eventually<T>(read: () => Promise<T | null>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`nothing came within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The key the fake answers by: the SHA-256 of the image as the pipeline will send it. */
export async function preparedSha256(bytes: Uint8Array): Promise<string> {
  const prepared = await prepareImage({ bytes });
  if (!prepared.ok) throw new Error(prepared.reason);
  return createHash("sha256").update(prepared.bytes).digest("hex");
}

export const files = (items: { name: string; bytes: Uint8Array }[]) => items.map((i) => ({ name: i.name, bytes: i.bytes }));

/**
 * An answerer that reads each known flyer perfectly (its ground truth) and gives `otherwise`
 * for any other screenshot, as a model that knows exactly these images would.
 */
export async function answerWithTruth(flyers: Flyer[], otherwise: (req: FakeRequest) => FakeReply): Promise<Answerer> {
  const answers = new Map<string, Flyer>();
  for (const flyer of flyers) answers.set(await preparedSha256(flyer.bytes), flyer);
  return (req) => {
    const flyer = answers.get(req.imageSha256);
    return flyer ? { json: extractionFromTruth(flyer.truth) } : otherwise(req);
  };
}
