import { GoogleGenerativeAIAbortError, GoogleGenerativeAIFetchError, GoogleGenerativeAIRequestInputError } from "@google/generative-ai";
import { EngineError } from "../types";

interface ErrorDetail {
  "@type"?: string;
  reason?: string;
  retryDelay?: string;
  violations?: { quotaId?: string; quotaMetric?: string }[];
}

const detail = (details: unknown, type: string) =>
  (Array.isArray(details) ? (details as ErrorDetail[]) : []).find((d) => d["@type"]?.endsWith(type));

/** "7s" or "1.5s" (protobuf Duration as JSON) to milliseconds. */
export function parseRetryDelay(value: string | undefined): number | null {
  const match = value?.match(/^(\d+(?:\.\d+)?)s$/);
  return match ? Math.ceil(Number(match[1]) * 1000) : null;
}

/** Turns what the SDK threw into the pipeline's error classes. */
export function classifyGeminiError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof GoogleGenerativeAIAbortError) return new EngineError("request aborted", "cancelled");
  if (error instanceof GoogleGenerativeAIFetchError) {
    const status = error.status ?? null;
    const info = detail(error.errorDetails, "google.rpc.ErrorInfo");
    const message = error.message.replace(/^(\[GoogleGenerativeAI Error\]: )?Error fetching from \S+: /, "").replace(/ \[\{.*$/, "");
    const base = { httpStatus: status };
    if (status === 429) {
      const quota = detail(error.errorDetails, "google.rpc.QuotaFailure");
      const perDay = quota?.violations?.some((v) => /PerDay/i.test(v.quotaId ?? ""));
      if (perDay)
        return new EngineError("the Gemini key's daily quota is used up; it resets at midnight Pacific time", "quotaExhausted", base);
      const retryAfterMs = parseRetryDelay(detail(error.errorDetails, "google.rpc.RetryInfo")?.retryDelay);
      return new EngineError("rate limited by Gemini (requests per minute)", "rateLimited", { ...base, retryAfterMs });
    }
    if (info?.reason === "API_KEY_INVALID") return new EngineError("invalid Gemini API key", "config", base);
    if (status === 401 || status === 403) return new EngineError(`Gemini refused the key: ${message}`, "config", base);
    if (status === 404) return new EngineError(`unknown Gemini model: ${message}`, "config", base);
    if (status !== null && status >= 500) return new EngineError(`Gemini server error ${status}: ${message}`, "retryable", base);
    return new EngineError(`Gemini rejected the request (${status}): ${message}`, "permanent", base);
  }
  if (error instanceof GoogleGenerativeAIRequestInputError) return new EngineError(error.message, "permanent");
  const message = error instanceof Error ? error.message : String(error);
  // Everything else the SDK throws is transport: DNS, reset connections, bodies cut short.
  return new EngineError(`network error talking to Gemini: ${message}`, "retryable");
}

/**
 * The error with the key taken out of its message. The SDK sends the key in a header, but its
 * messages carry the request URL and the service's error text, and a proxy or a key passed in
 * `GEMINI_BASE_URL` can echo it back there, as `?key=` or verbatim.
 */
export function withoutKey(error: EngineError, apiKey: string): EngineError {
  const message = error.message.replaceAll(apiKey, "[redacted]").replace(/([?&](?:key|api_key|apiKey)=)[^&\s"']+/gi, "$1[redacted]");
  return message === error.message ? error : new EngineError(message, error.errorClass, error.details);
}
