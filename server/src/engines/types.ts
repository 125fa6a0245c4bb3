import type { Extraction } from "../extraction/schema";

/** What an engine receives: the image as prepared by the worker pool. */
export interface PreparedImage {
  /** Re-encoded, auto-rotated, downscaled image bytes. */
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
  /** The model the image's batch was submitted with (the `model` setting); unset: the engine's own. */
  model?: string | null;
}

export interface EngineUsage {
  promptTokens: number | null;
  outputTokens: number | null;
  model: string | null;
  httpStatus: number | null;
}

export interface EngineResult {
  extraction: Extraction;
  usage: EngineUsage;
}

/**
 * How a failed attempt is handled:
 * - retryable: try the image again after a backoff
 * - invalidOutput: the answer was not the requested JSON; worth one more try, not more
 * - rateLimited: the key's per-minute quota ran out; pause the whole key, then retry
 * - permanent: this image will never succeed (blocked, undecodable)
 * - config: the key or model is wrong; stop the batch instead of failing every image
 * - quotaExhausted: the key's daily quota ran out; pause the batch until it resets (`retryAfterMs`
 *   if the engine knows when, else midnight Pacific time), then carry on
 */
export type ErrorClass =
  | "retryable"
  | "invalidOutput"
  | "rateLimited"
  | "permanent"
  | "config"
  | "quotaExhausted"
  | "timeout"
  | "cancelled";

export class EngineError extends Error {
  constructor(
    message: string,
    readonly errorClass: ErrorClass,
    readonly details: { httpStatus?: number | null; retryAfterMs?: number | null; usage?: Partial<EngineUsage> } = {},
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export interface Engine {
  readonly name: "gemini" | "offline" | (string & {});
  readonly model: string | null;
  analyze(image: PreparedImage, signal: AbortSignal): Promise<EngineResult>;
  close?(): Promise<void>;
}
