import { TRPCError } from "@trpc/server";
import { listCatalogShows } from "@showscan/db";
import { Router, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { bearerToken, type Tokens, type User } from "../auth/tokens";
import { findVisibleBatch } from "../batches/access";
import { batchResults } from "../batches/views";
import { toCatalogShow } from "../catalog/shows";
import { showsCsv } from "../export/shows-file";
import type { Services } from "../services";
import { describeIssues } from "../zod-issues";
import { WEEKDAYS } from "../extraction/schema";

const FORMATS = ["csv", "json"] as const;
/** A directory's whole catalog is thousands of shows; the bound only keeps a runaway export in check. */
const CATALOG_EXPORT_LIMIT = 100_000;

/** The catalog page's filters, so an export holds what the page shows. */
const catalogFilter = z.object({
  city: z.string().trim().min(1).optional(),
  dayOfWeek: z.enum(WEEKDAYS).optional(),
  host: z.string().trim().min(1).optional(),
});
type Format = (typeof FORMATS)[number];

/** Bearer token only: these are downloads a script or the web app (with its header) asks for. */
async function userOf(req: Request, tokens: Tokens): Promise<User | null> {
  const token = bearerToken(req.headers.authorization);
  return token ? tokens.verify(token) : null;
}

function send(res: Response, format: Format, name: string, rows: Record<string, unknown>[], csvExtra: readonly string[]) {
  res.attachment(`${name}.${format}`);
  if (format === "json") return void res.json(rows);
  res.type("text/csv; charset=utf-8").send(showsCsv(rows, csvExtra));
}

const withUser =
  (tokens: Tokens, handle: (req: Request, res: Response, user: User, format: Format) => Promise<void>): RequestHandler =>
  async (req, res) => {
    const format = z.enum(FORMATS).safeParse(req.params.format);
    if (!format.success) return void res.status(404).json({ error: `no export format ${req.params.format}: use .csv or .json` });
    const user = await userOf(req, tokens);
    if (!user) return void res.status(401).json({ error: "sign in: send a bearer token" });
    await handle(req, res, user, format.data);
  };

/**
 * `GET /api/export/batches/:batchId/shows.{csv,json}`: a batch's merged shows, with their
 * review state and sources; `GET /api/export/catalog/shows.{csv,json}[?city=&dayOfWeek=&host=]`:
 * the approved shows, filtered like the catalog page.
 */
export function createExportRoutes({ services, tokens }: { services: Services; tokens: Tokens }): Router {
  const router = Router();

  router.get(
    "/api/export/batches/:batchId/shows.:format",
    withUser(tokens, async (req, res, user, format) => {
      const batchId = String(req.params.batchId);
      const batch = z.uuid().safeParse(batchId).success
        ? await findVisibleBatch(services.db, user, batchId).catch((error: unknown) => {
            if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
            throw error;
          })
        : null;
      if (!batch) return void res.status(404).json({ error: `no batch ${batchId}` });
      const { shows } = await batchResults(services.db, batch);
      const rows = shows.map(({ key: _key, attempts: _attempts, conflicts, sources, ...show }) => ({
        ...show,
        sources,
        conflicts: Object.keys(conflicts).join(" "),
      }));
      send(res, format, `showscan-batch-${batch.id}-shows`, rows, ["match", "review", "confidence", "conflicts", "sources", "id"]);
    }),
  );

  router.get(
    "/api/export/catalog/shows.:format",
    withUser(tokens, async (req, res, _user, format) => {
      const filter = catalogFilter.safeParse(req.query);
      if (!filter.success) return void res.status(400).json({ error: describeIssues(filter.error.issues) });
      const rows = (await listCatalogShows(services.db, { ...filter.data, limit: CATALOG_EXPORT_LIMIT })).map(toCatalogShow);
      send(res, format, "showscan-catalog-shows", rows, ["updatedAt", "updatedBy", "id"]);
    }),
  );

  return router;
}
