import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Where a secret could reach a log line by accident (an error carrying a request's headers or a
 * client's options): those fields are replaced before the line is written.
 */
const REDACT = [
  "*.authorization",
  "*.headers.authorization",
  "*.headers['x-goog-api-key']",
  "*.apiKey",
  "*.token",
  "*.secret",
  "*.JWT_SECRET",
  "*.GEMINI_API_KEY",
];

/** One JSON line per event; `destination` defaults to stdout (tests pass a stream to read the lines). */
export function createLogger(level: string = "info", destination?: DestinationStream): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}
