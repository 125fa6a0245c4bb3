import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer } from "ws";
import { imageQueueDepth, listenForWork, type DbConnection } from "@showscan/db";
import { createImageLinks } from "./auth/image-links";
import type { Tokens } from "./auth/tokens";
import { DEFAULT_GEMINI_MODEL } from "./env";
import { createPipelineMetrics } from "./pipeline/metrics";
import { ProgressBus } from "./pipeline/progress-bus";
import { createContextFactory } from "./trpc/context";
import { appRouter } from "./trpc/routers/index";
import type { Engine } from "./engines/types";
import type { Logger } from "./logger";
import type { WorkerPool } from "./pool/pool";
import { submitBatch, submitUpload } from "./batches/submit";
import { Dispatcher } from "./pipeline/dispatcher";
import { createProcessLoad, type LoadLimits, type ProcessLoad } from "./pipeline/process-load";
import { createQuotaGate, type QuotaGate } from "./pipeline/quota";
import { noticePoolShrinks } from "./pipeline/shrink-notice";
import { defaultRetryPolicy, type RetryPolicy } from "./pipeline/retry-policy";
import { createHttpApp } from "./http/express-app";
import { allowedUpgradeOrigin } from "./http/ws-origin";
import type { Services } from "./services";
import { defaultSettings } from "./settings/defaults";
import { createLimiterByPoints } from "./settings/limiter";
import { within } from "./within";
import type { Settings } from "./settings/schema";
import { createSettingsStore } from "./settings/store";

export interface AppDeps {
  conn: DbConnection;
  engine: Engine;
  pool: WorkerPool;
  logger: Logger;
  tokens: Tokens;
  quota?: QuotaGate;
  retryPolicy?: RetryPolicy;
  /** The process-wide cap under overload (default: one on this process's event loop and memory, at `config.load`). */
  load?: ProcessLoad;
  config: {
    /** What the settings row starts with (GEMINI_RPM, GEMINI_MODEL; tests seed others). */
    settingsDefaults?: Partial<Settings>;
    maxConcurrency: number;
    imageTimeoutMs: number;
    maxRetries: number;
    /** Folder of the built web client, served at `/` when present. */
    webDist?: string;
    pollMs?: number;
    /** On stop, how long requests at the engine may take to answer before they are handed back (default 0). */
    shutdownGraceMs?: number;
    /** Whether the Gemini engine was given a key, for /readyz (undefined: it was built with one). */
    engineKeySet?: boolean;
    /** The sample screenshots the web app offers on an empty database. */
    samplesDir?: string;
    /** OVERLOAD_LAG_MS and MAX_RSS_MB (tests also shorten the window). */
    load?: LoadLimits;
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
  const load =
    deps.load ??
    createProcessLoad({ ...deps.config.load, maxConcurrency: deps.config.maxConcurrency, logger, raised: () => dispatcher.kick() });
  // The gauges read the dispatcher lazily, so they may be created first.
  const metrics = createPipelineMetrics({
    load,
    inFlight: () => dispatcher.inFlight,
    queueDepth: () => within(2_000, imageQueueDepth(conn.db)),
    pool: deps.pool,
    onError: (what, error) => logger.warn({ err: error }, `metrics: reading ${what} failed`),
  });
  // The budget is the Gemini key's; another engine only pauses after a 429, if it ever gets one.
  const quota = metrics.measureQuota(
    deps.quota ??
      createQuotaGate(
        engine.name === "gemini"
          ? { db: conn.db, key: "gemini", onError: (error) => logger.warn({ err: error }, "quota: recording a 429 pause failed") }
          : undefined,
      ),
  );
  const dispatcher: Dispatcher = new Dispatcher({
    metrics,
    db: conn.db,
    engine,
    pool: deps.pool,
    quota,
    logger,
    retryPolicy: deps.retryPolicy ?? defaultRetryPolicy(deps.config.maxRetries),
    owner,
    maxConcurrency: deps.config.maxConcurrency,
    imageTimeoutMs: deps.config.imageTimeoutMs,
    pollMs: deps.config.pollMs,
    load,
  });

  const bus = new ProgressBus();
  const settingsDefaults = defaultSettings({
    model: engine.name === "gemini" && engine.model ? engine.model : DEFAULT_GEMINI_MODEL,
    ...deps.config.settingsDefaults,
  });
  const settings = createSettingsStore(conn.db, settingsDefaults);
  const services: Services = {
    db: conn.db,
    engine,
    logger,
    dispatcher,
    bus,
    metrics,
    pool: deps.pool,
    settings,
    analyzeLimiter: createLimiterByPoints(conn.db, { keyPrefix: "analyze", durationSeconds: 60 }),
    imageLinks: createImageLinks(deps.tokens),
    samplesDir: deps.config.samplesDir ?? null,
    submit: async (input, role, current) => {
      const result = await submitBatch({ db: conn.db, logger, engine }, input, role, current ?? (await settings.get()));
      dispatcher.kick();
      return result;
    },
    submitUpload: async (request, role, current) => {
      const result = await submitUpload({ db: conn.db, logger, engine }, request, role, current);
      dispatcher.kick();
      return result;
    },
  };

  const createContext = createContextFactory(services, deps.tokens);
  const server = http.createServer(
    createHttpApp({
      services,
      tokens: deps.tokens,
      createContext,
      webDist: deps.config.webDist,
      engineKeySet: deps.config.engineKeySet,
    }),
  );
  const wss = new WebSocketServer({
    server,
    path: "/trpc",
    // Refused with 403 before the upgrade: no socket, no context, no token read.
    verifyClient: ({ req }, done) => (allowedUpgradeOrigin(req) ? done(true) : done(false, 403, "cross-origin WebSocket refused")),
  });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext,
    keepAlive: { enabled: true, pingMs: 20_000, pongWaitMs: 10_000 },
  });
  let unlisten: (() => Promise<void>) | undefined;
  const stopFollowing = bus.subscribe("*", (notice) => {
    // A batch stopped by another process (cancelled, bad key) must stop here too.
    if (notice.status === "cancelled" || notice.status === "failed") dispatcher.abortBatch(notice.batchId, `batch ${notice.status}`);
    // Another process finishing an image may have freed a slot of a shared window.
    else if (notice.status === "running") dispatcher.kick();
  });

  const stopShrinkNotices = noticePoolShrinks({ db: conn.db, pool: deps.pool, logger }, owner);

  return {
    ...services,
    owner,
    server,
    load,
    /** Starts the dispatcher, and the HTTP server when a port is given. */
    async start(listenOn?: { port: number; host: string }): Promise<{ url: string | null }> {
      // Uploads to other processes on the same database wake this dispatcher too.
      unlisten = await listenForWork(conn, () => dispatcher.kick());
      await bus.start(conn);
      await deps.pool.warmUp();
      load.start();
      dispatcher.start();
      if (!listenOn) return { url: null };
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(listenOn.port, listenOn.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      return { url: `http://${listenOn.host.includes(":") ? `[${listenOn.host}]` : listenOn.host}:${port}` };
    },
    /**
     * Stops claiming, lets the requests at the engine answer within the grace period (the rest,
     * and what was claimed ahead, go back to the queue for any process) and closes the server.
     * WebSocket clients are told to reconnect first, so they go elsewhere while this drains.
     */
    async stop(): Promise<void> {
      wsHandler.broadcastReconnectNotification();
      await dispatcher.stop(deps.config.shutdownGraceMs ?? 0);
      load.stop();
      stopFollowing();
      stopShrinkNotices();
      await bus.stop();
      await unlisten?.().catch(() => {});
      for (const client of wss.clients) client.terminate();
      wss.close();
      if (server.listening) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
