import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { listen, WORK_CHANNEL, type Database, type DbConnection } from "@showscan/db";
import type { Engine } from "./engines/types";
import type { Logger } from "./logger";
import type { WorkerPool } from "./pool/pool";
import { submitBatch, type SubmitInput, type SubmitResult } from "./batches/submit";
import { UPLOAD_LIMITS, type Role } from "./batches/limits";
import { Dispatcher } from "./pipeline/dispatcher";
import { createQuotaGate, type QuotaGate } from "./pipeline/quota";
import { defaultRetryPolicy, type RetryPolicy } from "./pipeline/retry-policy";
import { createHttpApp } from "./http/express-app";

export interface AppDeps {
  conn: DbConnection;
  engine: Engine;
  pool: WorkerPool;
  logger: Logger;
  quota?: QuotaGate;
  retryPolicy?: RetryPolicy;
  config: {
    maxConcurrency: number;
    imageTimeoutMs: number;
    maxRetries: number;
    /** Folder of the built web client, served at `/` when present. */
    webDist?: string;
    pollMs?: number;
  };
}

export type App = ReturnType<typeof createApp>;

/**
 * Everything the service is, built from its dependencies: tests pass a fake engine or a
 * faulty worker pool, production passes the real ones (see runtime.ts).
 */
export function createApp(deps: AppDeps) {
  const { conn, engine, logger } = deps;
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const dispatcher = new Dispatcher({
    db: conn.db,
    engine,
    pool: deps.pool,
    quota: deps.quota ?? createQuotaGate(),
    logger,
    retryPolicy: deps.retryPolicy ?? defaultRetryPolicy(deps.config.maxRetries),
    owner,
    maxConcurrency: deps.config.maxConcurrency,
    imageTimeoutMs: deps.config.imageTimeoutMs,
    pollMs: deps.config.pollMs,
  });

  const services: Services = {
    db: conn.db,
    engine,
    logger,
    dispatcher,
    submit: async (input: SubmitInput, role: Role) => {
      const result = await submitBatch({ db: conn.db, logger, engine: engine.name }, input, UPLOAD_LIMITS[role]);
      dispatcher.kick();
      return result;
    },
  };

  const server = http.createServer(createHttpApp(services, deps.config.webDist));
  let unlisten: (() => Promise<void>) | undefined;

  return {
    ...services,
    owner,
    server,
    /** Starts the dispatcher, and the HTTP server when a port is given. */
    async start(listenOn?: { port: number; host: string }): Promise<{ url: string | null }> {
      // Uploads to other processes on the same database wake this dispatcher too.
      unlisten = await listen(conn.client, WORK_CHANNEL, () => dispatcher.kick());
      await deps.pool.warmUp();
      dispatcher.start();
      if (!listenOn) return { url: null };
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(listenOn.port, listenOn.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      return { url: `http://${listenOn.host.includes(":") ? `[${listenOn.host}]` : listenOn.host}:${port}` };
    },
    async stop(): Promise<void> {
      await dispatcher.stop();
      await unlisten?.().catch(() => {});
      if (server.listening) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** What request handlers and procedures reach the service through. */
export interface Services {
  db: Database;
  engine: Engine;
  logger: Logger;
  dispatcher: Dispatcher;
  submit(input: SubmitInput, role: Role): Promise<SubmitResult>;
}
