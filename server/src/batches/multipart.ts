import { on } from "node:events";
import { pipeline, type Readable, Transform } from "node:stream";
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
  /** The whole body: past it the upload is refused with BodyTooLargeError. */
  maxBodyBytes: number;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`upload too large: at most ${Math.round(limitBytes / 1024 / 1024)} MB`);
    this.name = "BodyTooLargeError";
  }
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
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.byteLength;
      done(received > limits.maxBodyBytes ? new BodyTooLargeError(limits.maxBodyBytes) : null, chunk);
    },
  });
  // Whatever fails first (the body, the count, the parser) fails the parser, and so the loop below.
  pipeline(body, counter, parser, () => {});
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
    throw error instanceof BodyTooLargeError ? error : new MultipartError((error as Error).message);
  } finally {
    // A consumer that stopped early (a refused upload) reads no more of the body.
    if (!ended) body.destroy();
  }
}
