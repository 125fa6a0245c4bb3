import type { RequestHandler } from "express";
import { UPLOAD_LIMITS } from "../batches/limits";
import { bearerToken, type Tokens } from "../auth/tokens";

/** Room for the multipart boundaries and the text fields around the files. */
const FORM_OVERHEAD = 1024 * 1024;

export const MAX_UPLOAD_BYTES = UPLOAD_LIMITS.admin.maxBatchBytes + FORM_OVERHEAD;

/**
 * Refuses an upload larger than the sender's batch limit from its declared length, before a
 * byte of it is buffered; per-file limits are checked once the form is read. Admins may send
 * without a length (streamed), capped by tRPC's maxBodySize at the largest limit.
 */
export function uploadSizeGuard(tokens: Tokens): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const user = token ? await tokens.verify(token) : null;
    const limit = UPLOAD_LIMITS[user?.role ?? "user"].maxBatchBytes + FORM_OVERHEAD;
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
