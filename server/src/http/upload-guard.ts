import type { RequestHandler } from "express";
import { uploadBodyLimit } from "../batches/limits";
import { bearerToken, type Tokens } from "../auth/tokens";

export const MAX_UPLOAD_BYTES = uploadBodyLimit("admin");

/**
 * Refuses an upload larger than the sender's batch limit from its declared length, before a
 * byte of it is read; per-file limits are checked as the form streams in. Admins may send
 * without a length, counted against the same limit as it streams (batches/multipart.ts).
 */
export function uploadSizeGuard(tokens: Tokens): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const user = token ? await tokens.verify(token) : null;
    const limit = uploadBodyLimit(user?.role ?? "user");
    const declared = req.headers["content-length"];
    // Without a declared length a user's upload could only be measured by buffering it all.
    if (declared === undefined && user?.role !== "admin") {
      res.status(411).json({
        error: {
          message: "send the upload with a Content-Length",
          code: -32600,
          data: { code: "LENGTH_REQUIRED", httpStatus: 411, path: "batch.analyze" },
        },
      });
      return;
    }
    const length = Number(declared ?? 0);
    if (length > limit) {
      res.status(413).json({
        error: {
          message: `upload too large: at most ${Math.round(limit / 1024 / 1024)} MB`,
          code: -32600,
          data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, path: "batch.analyze" },
        },
      });
      return;
    }
    next();
  };
}
