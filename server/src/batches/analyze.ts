import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { TRPCError } from "@trpc/server";
import type { Services } from "../services";
import type { User } from "../auth/tokens";
import { analyzeOptions } from "./form";
import { uploadBodyLimit, uploadLimits } from "./limits";
import { BodyTooLargeError, MultipartError, readMultipartImages } from "./multipart";
import { refuseOverBatchRate } from "./rate-limit";
import { SubmitError } from "./submit";

export interface StreamedUpload {
  body: ReadableStream<Uint8Array>;
  /** The multipart content type with its boundary, as the client sent it. */
  contentType: string | undefined;
}

/**
 * `batch.analyze`: stores the upload file by file as it streams in, then (with every field read)
 * replays an idempotent retry, applies the per-user rate limit (admins are not limited) and
 * commits the batch. Answers with the batch id at once.
 */
export async function analyzeBatch(services: Services, user: User, upload: StreamedUpload) {
  if (!upload.contentType?.toLowerCase().startsWith("multipart/form-data")) {
    throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "send the upload as multipart/form-data" });
  }
  const settings = await services.settings.get();
  const fields: Record<string, string> = {};
  const body = Readable.fromWeb(upload.body as NodeReadableStream<Uint8Array>);
  const limits = { maxFileBytes: uploadLimits(user.role, settings).maxFileBytes, maxBodyBytes: uploadBodyLimit(user.role) };
  const files = readMultipartImages(body, upload.contentType, limits, fields);
  try {
    return await services.submitUpload(
      {
        owner: user.sub,
        files,
        options: () => analyzeOptions(fields, user),
        beforeCommit: async () => {
          await refuseOverBatchRate(services, user, settings);
        },
      },
      user.role,
      settings,
    );
  } catch (error) {
    if (error instanceof SubmitError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    if (error instanceof TRPCError) throw error;
    if (error instanceof BodyTooLargeError) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: error.message });
    if (error instanceof MultipartError) throw new TRPCError({ code: "BAD_REQUEST", message: `unreadable upload: ${error.message}` });
    throw error;
  }
}
