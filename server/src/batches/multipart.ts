import { on } from "node:events";
import type { Readable } from "node:stream";
import busboy from "busboy";

export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
  /** Cut off at the per-file limit: the rest of its bytes were skipped unread. */
  truncated?: boolean;
}

export interface MultipartLimits {
  /** Bytes kept of one file; a longer one arrives `truncated`. */
  maxFileBytes: number;
}

/** The body is not a readable multipart form (a missing boundary, a part cut off). */
export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MultipartError";
  }
}

/** Text fields are short options; a form with more or longer ones is not ours. */
const FIELD_LIMITS = { fields: 50, fieldSize: 10_000, fieldNameSize: 100 };

/**
 * Reads a multipart/form-data body one file at a time: each file of the `images` field is
 * yielded whole once its last byte is in, and the next one is not read until the consumer asks
 * for it, so memory holds one file however large the upload. Text fields land in `fields` as
 * they pass; the form may send them after its files, so they are complete once iteration ends.
 */
export async function* readMultipartImages(
  body: Readable,
  contentType: string,
  limits: MultipartLimits,
  fields: Record<string, string>,
): AsyncGenerator<IncomingFile> {
  const parser = busboy({
    headers: { "content-type": contentType },
    // File names are UTF-8 as browsers and undici send them (emoji included).
    defParamCharset: "utf8",
    limits: { ...FIELD_LIMITS, fileSize: limits.maxFileBytes },
  });
  parser.on("field", (name, value) => {
    fields[name] = value;
  });
  let bodyError: unknown = null;
  body.on("error", (error) => {
    bodyError = error;
    parser.destroy(error);
  });
  body.pipe(parser);
  let ended = false;
  try {
    for await (const [field, stream, info] of on(parser, "file", { close: ["close"] }) as AsyncIterable<
      [string, Readable & { truncated?: boolean }, busboy.FileInfo]
    >) {
      if (field !== "images") {
        stream.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      yield { name: info.filename ?? "", bytes: Buffer.concat(chunks), truncated: stream.truncated === true };
    }
    ended = true;
  } catch (error) {
    // The body's own failure (cut off at the size limit, the client gone) passes as it is.
    throw error === bodyError ? error : new MultipartError((error as Error).message);
  } finally {
    // A consumer that stopped early (a refused upload) reads no more of the body.
    if (!ended) {
      body.unpipe(parser);
      body.destroy();
    }
  }
}
