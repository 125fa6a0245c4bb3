import { existsSync } from "node:fs";
import path from "node:path";
import { createExpressMiddleware, type CreateExpressContextOptions } from "@trpc/server/adapters/express";
import express from "express";
import type { Services } from "../services";
import type { Tokens } from "../auth/tokens";
import type { Context } from "../trpc/context";
import { appRouter } from "../trpc/routers/index";
import { MAX_UPLOAD_BYTES, uploadSizeGuard } from "./upload-guard";
import { createExportRoutes } from "./export-routes";
import { createHealthRoutes } from "./health";
import { createImageRoutes } from "./image-routes";
import { createRestRoutes } from "./rest-routes";
import { securityHeaders } from "./security-headers";
import { streamedUpload } from "./streamed-upload";

export interface HttpAppOptions {
  services: Services;
  tokens: Tokens;
  createContext: (opts: CreateExpressContextOptions) => Promise<Context>;
  webDist?: string;
  /** For /readyz: whether the Gemini engine has a key (undefined: it was built with one). */
  engineKeySet?: boolean;
}

export function createHttpApp({ services, tokens, createContext, webDist, engineKeySet }: HttpAppOptions) {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());

  app.use("/trpc/batch.analyze", uploadSizeGuard(tokens), streamedUpload);
  // The role's own limit is checked from Content-Length (upload-guard); a body sent without
  // one is still cut off at the largest limit there is.
  app.use("/trpc", createExpressMiddleware({ router: appRouter, createContext, maxBodySize: MAX_UPLOAD_BYTES }));
  app.use(createRestRoutes({ services, tokens }));
  app.use(createImageRoutes({ services, tokens }));
  app.use(createExportRoutes({ services, tokens }));

  app.use(
    createHealthRoutes({
      db: services.db,
      pool: services.pool,
      engine: services.engine,
      engineKeySet,
      inFlight: () => services.dispatcher.inFlight,
    }),
  );

  app.get("/metrics", async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });

  // An API address that matches no route answers JSON, never the web page.
  app.use("/api", (req, res) => void res.status(404).json({ error: `no route ${req.method} ${req.originalUrl.split("?")[0]}` }));

  if (webDist && existsSync(webDist)) {
    app.use(express.static(webDist));
    // Client-side routes all load the single page.
    app.get(/^\/(?!(?:trpc|api|healthz|readyz|metrics)(?:\/|$)).*/, (_req, res) => res.sendFile(path.join(webDist, "index.html")));
  }
  return app;
}
