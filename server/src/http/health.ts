import { Router } from "express";
import { databaseNow, migrationsStatus, type Database } from "@showscan/db";
import { describeEngine } from "../engines/describe";
import type { Engine } from "../engines/types";
import type { WorkerPool } from "../pool/pool";
import { within } from "../within";

export interface ReadinessDeps {
  db: Database;
  pool: WorkerPool;
  engine: Engine;
  /** Whether the Gemini engine was given a key; unknown (undefined) counts as given, since it was built with one. */
  engineKeySet?: boolean;
  /** How long a database check may take before the database counts as unreachable. */
  timeoutMs?: number;
  inFlight(): number;
}

export interface Check {
  ok: boolean;
  detail: string;
}

const CHECK_ORDER = ["database", "migrations", "pool", "engine"] as const;
type CheckName = (typeof CHECK_ORDER)[number];

const failed = (error: unknown): Check => ({ ok: false, detail: error instanceof Error ? error.message : String(error) });

/** Every readiness check, run together; the first failing one (in CHECK_ORDER) is the reason. */
export async function checkReadiness(
  deps: ReadinessDeps,
): Promise<{ ready: boolean; reason: string | null; checks: Record<CheckName, Check> }> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const [database, migrations] = await Promise.all([
    within(timeoutMs, databaseNow(deps.db)).then((now): Check => ({ ok: true, detail: `reachable, now ${now.toISOString()}` }), failed),
    within(timeoutMs, migrationsStatus(deps.db)).then(
      ({ expected, applied, missing }): Check =>
        missing.length === 0
          ? { ok: true, detail: `${applied} of ${expected} applied` }
          : { ok: false, detail: `${applied} of ${expected} applied, missing ${missing.join(", ")}` },
      failed,
    ),
  ]);
  const stats = deps.pool.stats();
  const pool: Check =
    stats.warm && stats.threads > 0
      ? { ok: true, detail: `${stats.threads} threads, ${stats.busy} busy, ${stats.queued} queued` }
      : { ok: false, detail: stats.warm ? "no live worker threads" : "worker threads not warmed up yet" };
  const checks: Record<CheckName, Check> = { database, migrations, pool, engine: engineCheck(deps) };
  const bad = CHECK_ORDER.find((name) => !checks[name].ok);
  return { ready: bad === undefined, reason: bad ? `${bad}: ${checks[bad].detail}` : null, checks };
}

function engineCheck({ engine, engineKeySet }: ReadinessDeps): Check {
  if (!engine.name) return { ok: false, detail: "no engine configured" };
  if (engine.name === "gemini") {
    if (engineKeySet === false) return { ok: false, detail: "gemini has no API key" };
    if (!engine.model) return { ok: false, detail: "gemini has no model" };
    return { ok: true, detail: `gemini, model ${engine.model}` };
  }
  return { ok: true, detail: engine.name };
}

/** `/healthz`: the process answers (no dependency checked); `/readyz`: it can do its work. */
export function createHealthRoutes(deps: ReadinessDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    const { label, model, hint } = describeEngine(deps.engine);
    res.json({ status: "ok", engine: deps.engine.name, engineLabel: label, model, hint, inFlight: deps.inFlight() });
  });
  router.get("/readyz", async (_req, res) => {
    const { ready, reason, checks } = await checkReadiness(deps);
    if (ready) res.json({ status: "ready", checks });
    else res.status(503).json({ status: "not ready", reason, checks });
  });
  return router;
}
