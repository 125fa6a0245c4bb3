import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  connect,
  getBatch,
  migrateDatabase,
  startEmbeddedPostgres,
  type BatchRow,
  type DbConnection,
  type EmbeddedDatabase,
} from "../../db/src/index";
import { createApp } from "../../server/src/app";
import { createTokens } from "../../server/src/auth/tokens";
import { createGeminiEngine } from "../../server/src/engines/gemini/engine";
import type { Engine } from "../../server/src/engines/types";
import { createLogger } from "../../server/src/logger";
import { createWorkerPool, type WorkerPool } from "../../server/src/pool/pool";
import { prepareImage } from "../../server/src/pool/prepare";
import type { FakeGemini } from "../support/fake-gemini";

export const MODEL = "gemini-2.5-flash";

/**
 * The real service for the benchmark, outside Vitest: an embedded Postgres in a temporary
 * folder, the real worker pool, the real Gemini engine (SDK) pointed at the fake, wired as
 * runtime.ts wires them, listening on an ephemeral port for the WebSocket part.
 */
export interface BenchServiceOptions {
  fake: FakeGemini;
  threads: number;
  maxConcurrency: number;
  pollMs: number;
  imageTimeoutMs: number;
  /** What GEMINI_RPM gives runtime.ts: the settings row's geminiRpm (unset: no limit). */
  geminiRpm?: number;
}

export type BenchService = Awaited<ReturnType<typeof startBenchService>>;

export async function startBenchService(opts: BenchServiceOptions) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "showscan-bench-"));
  let pg: EmbeddedDatabase | undefined;
  let conn: DbConnection | undefined;
  let pool: WorkerPool | undefined;
  let app: ReturnType<typeof createApp> | undefined;
  const close = async () => {
    await app?.stop().catch(() => {});
    await pool?.destroy().catch(() => {});
    await conn?.close().catch(() => {});
    await pg?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    pg = await startEmbeddedPostgres(dir);
    await migrateDatabase(pg.url);
    // The same connection pool size runtime.ts gives the service.
    conn = connect(pg.url, { max: Math.max(10, opts.maxConcurrency + 5) });
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? "silent");
    pool = createWorkerPool({ logger, threads: opts.threads });
    const engine: Engine = createGeminiEngine({ apiKey: "test-key", model: MODEL, baseUrl: opts.fake.url });
    const tokens = createTokens(randomBytes(32).toString("hex"));
    app = createApp({
      conn,
      tokens,
      engine,
      pool,
      logger,
      config: {
        maxConcurrency: opts.maxConcurrency,
        imageTimeoutMs: opts.imageTimeoutMs,
        maxRetries: 3,
        pollMs: opts.pollMs,
        settingsDefaults: opts.geminiRpm === undefined ? undefined : { geminiRpm: opts.geminiRpm },
      },
    });
    const { url } = await app.start({ port: 0, host: "127.0.0.1" });
    if (!url) throw new Error("the service did not listen");
    return { app, url, db: conn.db, databaseUrl: pg.url, pool, engine, tokens, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls the batch row until it reaches a final state. */
export async function waitForFinalBatch(db: DbConnection["db"], batchId: string, timeoutMs: number, everyMs = 10): Promise<BatchRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await getBatch(db, batchId);
    if (batch && ["completed", "failed", "cancelled"].includes(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not finish in ${timeoutMs} ms (status ${batch?.status})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The SHA-256 of an image as the pipeline sends it to Gemini (what the fake sees). */
export async function preparedSha256(bytes: Uint8Array): Promise<string> {
  const prepared = await prepareImage({ bytes });
  if (!prepared.ok) throw new Error(prepared.reason);
  return createHash("sha256").update(prepared.bytes).digest("hex");
}
