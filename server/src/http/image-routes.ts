import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { bearerToken, type Tokens, type User } from "../auth/tokens";
import { findViewableImage, imageBytes, imageEtag, type ImageKind } from "../images/serve";
import { IMAGE_ROUTES } from "../images/urls";
import type { Services } from "../services";

const THUMBNAIL_TIMEOUT_MS = 30_000;
const imageIdSchema = z.uuid();

/**
 * If-None-Match by weak comparison (RFC 9110 13.1.2). Not express's req.fresh: that treats any
 * request with `Cache-Control: no-cache` as stale, and fetch() adds that header to every
 * conditional request it is handed, so a client revalidating by hand would never get its 304.
 */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((tag) => bare(tag) === bare(etag));
}

const notFound = (res: Response, imageId: string) => void res.status(404).json({ error: `no image ${imageId}` });

/** The viewer named by a bearer token or, for an `<img src>`, by a link signed for this image. */
async function viewerOf(req: Request, services: Services, tokens: Tokens, imageId: string): Promise<User | null> {
  const token = bearerToken(req.headers.authorization);
  if (token) return tokens.verify(token);
  const sig = req.query.sig;
  return typeof sig === "string" ? services.imageLinks.verify(sig, imageId) : null;
}

/**
 * Serves an image to its batch's owner or an admin. Everyone else, an unknown id and a malformed
 * one all get the same 404, so ids cannot be probed.
 */
function serveImage(services: Services, tokens: Tokens, kind: ImageKind): RequestHandler {
  return async (req, res) => {
    const imageId = String(req.params.imageId);
    if (!imageIdSchema.safeParse(imageId).success) return notFound(res, imageId);
    const viewer = await viewerOf(req, services, tokens, imageId);
    const image = viewer ? await findViewableImage(services.db, viewer, imageId) : null;
    if (!image) return notFound(res, imageId);

    const etag = imageEtag(image.sha256, kind);
    res.set({ "Cache-Control": "private, max-age=3600", ETag: etag });
    // Answered before any bytes are read.
    if (matchesEtag(req.headers["if-none-match"], etag)) return void res.status(304).end();

    const closed = new AbortController();
    res.on("close", () => closed.abort("client went away"));
    const result = await imageBytes(services, imageId, kind, AbortSignal.any([closed.signal, AbortSignal.timeout(THUMBNAIL_TIMEOUT_MS)]));
    if (!result.ok) {
      res.removeHeader("Cache-Control");
      res.removeHeader("ETag");
      return void res.status(result.status).json({ error: result.reason });
    }
    res.type(kind === "thumbnail" ? "image/jpeg" : image.mimeType).send(result.bytes);
  };
}

function jsonErrors(services: Services): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    services.logger.error({ err: error, path: req.path }, "image request failed");
    res.removeHeader("Cache-Control");
    res.removeHeader("ETag");
    res.status(500).json({ error: "internal error" });
  };
}

export function createImageRoutes({ services, tokens }: { services: Services; tokens: Tokens }): Router {
  const router = Router();
  router.get(IMAGE_ROUTES.thumbnail, serveImage(services, tokens, "thumbnail"));
  router.get(IMAGE_ROUTES.original, serveImage(services, tokens, "original"));
  router.use("/api/images", jsonErrors(services));
  return router;
}
