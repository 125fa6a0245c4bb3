import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import { databaseNow } from "@showscan/db";
import type { Services } from "../app";

export function createHttpApp(services: Services, webDist?: string) {
  const app = express();
  app.disable("x-powered-by");

  app.get("/healthz", async (_req, res) => {
    try {
      await databaseNow(services.db);
      res.json({ status: "ok", engine: services.engine.name, inFlight: services.dispatcher.inFlight });
    } catch (error) {
      res.status(503).json({ status: "unavailable", error: (error as Error).message });
    }
  });

  if (webDist && existsSync(webDist)) {
    app.use(express.static(webDist));
    // Client-side routes all load the single page.
    app.get(/^\/(?!trpc|api|healthz|metrics).*/, (_req, res) => res.sendFile(path.join(webDist, "index.html")));
  }
  return app;
}
