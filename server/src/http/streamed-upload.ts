import type { RequestHandler, Response } from "express";

/**
 * tRPC reads a multipart/form-data body with Request.formData(), which holds every file in
 * memory at once (1 GB for an admin's 500 screenshots). An application/octet-stream body it
 * hands to the procedure as a stream instead, so `batch.analyze` uploads are relabelled on the
 * way in, their real type kept aside for the procedure, which reads the form one file at a time.
 *
 * The request itself is given as the body: tRPC then reads it only as fast as the procedure
 * asks (its own reader enqueues every chunk as it arrives, so a client faster than the database
 * would pile the upload up in memory). That also skips tRPC's maxBodySize count: the procedure
 * counts the bytes against the sender's limit itself (batches/analyze.ts).
 */
export const streamedUpload: RequestHandler = (req, res, next) => {
  const type = req.headers["content-type"];
  if (type?.toLowerCase().startsWith("multipart/form-data")) {
    res.locals.uploadContentType = type;
    req.headers["content-type"] = "application/octet-stream";
    req.body = req;
  }
  next();
};

export function uploadTypeOf(res: Pick<Response, "locals">): string | undefined {
  const type: unknown = res.locals.uploadContentType;
  return typeof type === "string" ? type : undefined;
}
