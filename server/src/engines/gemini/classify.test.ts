import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIRequestInputError,
  GoogleGenerativeAIResponseError,
} from "@google/generative-ai";
import { describe, expect, it } from "vitest";
import { EngineError } from "../types";
import { classifyGeminiError, parseRetryDelay, withoutKey } from "./classify";

const URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent";

/**
 * Builds the error exactly as @google/generative-ai 0.24 does for a non-OK response
 * (handleResponseNotOk): the body's message, then its details as JSON, after the status.
 */
function fetchError(status: number, statusText: string, body: { error: { message: string; details?: unknown[] } }) {
  let message = body.error.message;
  if (body.error.details) message += ` ${JSON.stringify(body.error.details)}`;
  return new GoogleGenerativeAIFetchError(
    `Error fetching from ${URL}: [${status} ${statusText}] ${message}`,
    status,
    statusText,
    body.error.details as never,
  );
}

// Bodies shaped like real recorded Gemini responses.
const apiKeyInvalid = {
  error: {
    code: 400,
    message: "API key not valid. Please pass a valid API key.",
    status: "INVALID_ARGUMENT",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
      {
        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
        locale: "en-US",
        message: "API key not valid. Please pass a valid API key.",
      },
      { "@type": "type.googleapis.com/google.rpc.DebugInfo", detail: "Invalid API key: key1234" },
    ],
  },
};

const serviceDisabled = {
  error: {
    code: 403,
    message:
      "Generative Language API has not been used in project 12345678 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678 then retry.",
    status: "PERMISSION_DENIED",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        links: [
          {
            description: "Google developers console API activation",
            url: "https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678",
          },
        ],
      },
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "SERVICE_DISABLED",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com", consumer: "projects/12345678" },
      },
    ],
  },
};

const unknownModel = {
  error: {
    code: 404,
    message:
      "models/gemini-5.0-flash is not found for API version v1, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
    status: "NOT_FOUND",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.DebugInfo",
        detail: "models/gemini-5.0-flash is not found for API version v1, or is not supported for generateContent.",
      },
    ],
  },
};

const rateLimitErrorInfo = {
  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
  reason: "RATE_LIMIT_EXCEEDED",
  domain: "googleapis.com",
  metadata: {
    service: "generativelanguage.googleapis.com",
    consumer: "projects/348715329010",
    quota_limit_value: "0",
    quota_limit: "GenerateContentRequestsPerMinutePerProjectPerRegion",
    quota_metric: "generativelanguage.googleapis.com/generate_content_requests",
  },
};
const quotaHelp = {
  "@type": "type.googleapis.com/google.rpc.Help",
  links: [{ description: "Request a higher quota limit.", url: "https://cloud.google.com/docs/quota#requesting_higher_quota" }],
};
const quotaFailure = (quotaId: string) => ({
  "@type": "type.googleapis.com/google.rpc.QuotaFailure",
  violations: [
    {
      quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
      quotaId,
      quotaDimensions: { model: "gemini-2.5-flash", location: "global" },
    },
  ],
});
const retryInfo = (retryDelay: string) => ({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay });
const quotaBody = (details: unknown[]) => ({
  error: {
    code: 429,
    message:
      "Quota exceeded for quota metric 'Generate Content API requests per minute' and limit 'GenerateContent request limit per minute for a region'.",
    status: "RESOURCE_EXHAUSTED",
    details,
  },
});

describe("parseRetryDelay", () => {
  it("reads protobuf durations in seconds", () => {
    expect(parseRetryDelay("7s")).toBe(7000);
    expect(parseRetryDelay("0s")).toBe(0);
    expect(parseRetryDelay("1.5s")).toBe(1500);
    expect(parseRetryDelay("36.123456789s")).toBe(36124);
  });

  it("returns null for anything else", () => {
    expect(parseRetryDelay(undefined)).toBeNull();
    expect(parseRetryDelay("")).toBeNull();
    expect(parseRetryDelay("7")).toBeNull();
    expect(parseRetryDelay("7ms")).toBeNull();
    expect(parseRetryDelay("s")).toBeNull();
    expect(parseRetryDelay("-1s")).toBeNull();
  });
});

describe("classifyGeminiError", () => {
  it("400 API_KEY_INVALID is a config error: invalid Gemini API key", () => {
    const result = classifyGeminiError(fetchError(400, "Bad Request", apiKeyInvalid));
    expect(result).toBeInstanceOf(EngineError);
    expect(result.errorClass).toBe("config");
    expect(result.message).toBe("invalid Gemini API key");
    expect(result.details.httpStatus).toBe(400);
  });

  it("403 SERVICE_DISABLED is a config error", () => {
    const result = classifyGeminiError(fetchError(403, "Forbidden", serviceDisabled));
    expect(result.errorClass).toBe("config");
    expect(result.details.httpStatus).toBe(403);
    expect(result.message).toContain("Generative Language API has not been used");
  });

  it("401 is a config error", () => {
    const result = classifyGeminiError(
      fetchError(401, "Unauthorized", { error: { message: "Request had invalid authentication credentials." } }),
    );
    expect(result.errorClass).toBe("config");
  });

  it("404 unknown model is a config error naming the model", () => {
    const result = classifyGeminiError(fetchError(404, "Not Found", unknownModel));
    expect(result.errorClass).toBe("config");
    expect(result.details.httpStatus).toBe(404);
    expect(result.message).toContain("models/gemini-5.0-flash is not found");
  });

  it("keeps the SDK's prefix, the URL and the details JSON out of the message", () => {
    const result = classifyGeminiError(fetchError(404, "Not Found", unknownModel));
    expect(result.message).not.toContain('"@type"');
    expect(result.message).not.toContain("Error fetching from");
    expect(result.message).not.toContain(URL);
  });

  it("429 with a per-day QuotaFailure is quotaExhausted", () => {
    const error = fetchError(
      429,
      "Too Many Requests",
      quotaBody([rateLimitErrorInfo, quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), retryInfo("20s")]),
    );
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("quotaExhausted");
    expect(result.details.httpStatus).toBe(429);
    expect(result.message).toMatch(/daily quota/);
  });

  it("429 per minute with RetryInfo 7s is rateLimited after 7000 ms", () => {
    const error = fetchError(
      429,
      "Too Many Requests",
      quotaBody([rateLimitErrorInfo, quotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"), quotaHelp, retryInfo("7s")]),
    );
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("rateLimited");
    expect(result.details.retryAfterMs).toBe(7000);
    expect(result.details.httpStatus).toBe(429);
  });

  it("429 as recorded (no QuotaFailure, no RetryInfo) is rateLimited with no delay", () => {
    const result = classifyGeminiError(fetchError(429, "Too Many Requests", quotaBody([rateLimitErrorInfo, quotaHelp])));
    expect(result.errorClass).toBe("rateLimited");
    expect(result.details.retryAfterMs).toBeNull();
  });

  it("429 with no body at all is rateLimited", () => {
    const error = new GoogleGenerativeAIFetchError(`Error fetching from ${URL}: [429 Too Many Requests] `, 429, "Too Many Requests");
    expect(classifyGeminiError(error).errorClass).toBe("rateLimited");
  });

  it.each([500, 502, 503, 504])("%i is retryable and keeps the status", (status) => {
    const error = fetchError(status, "Server Error", { error: { message: "The model is overloaded. Please try again later." } });
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("retryable");
    expect(result.details.httpStatus).toBe(status);
    expect(result.message).toContain(String(status));
  });

  it("another 400 is permanent", () => {
    const error = fetchError(400, "Bad Request", {
      error: {
        message: "Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [] }],
      },
    });
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("permanent");
    expect(result.details.httpStatus).toBe(400);
    expect(result.message).toContain("Unable to process input image");
  });

  it("the SDK's wrapped network failure is retryable", () => {
    const error = new GoogleGenerativeAIError(`Error fetching from ${URL}: fetch failed`);
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("retryable");
    expect(result.message).toContain("fetch failed");
  });

  it("a plain network Error is retryable", () => {
    const error = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    });
    const result = classifyGeminiError(error);
    expect(result.errorClass).toBe("retryable");
    expect(result.details.httpStatus ?? null).toBeNull();
  });

  it("a thrown non-Error is retryable with its text", () => {
    const result = classifyGeminiError("socket hang up");
    expect(result.errorClass).toBe("retryable");
    expect(result.message).toContain("socket hang up");
  });

  it("an aborted request is cancelled", () => {
    const result = classifyGeminiError(
      new GoogleGenerativeAIAbortError(`Request aborted when fetching ${URL}: This operation was aborted`),
    );
    expect(result.errorClass).toBe("cancelled");
  });

  it("a request input error is permanent", () => {
    const result = classifyGeminiError(new GoogleGenerativeAIRequestInputError("request is missing contents"));
    expect(result.errorClass).toBe("permanent");
  });

  it("passes an EngineError through unchanged", () => {
    const original = new EngineError("blocked: SAFETY", "permanent");
    expect(classifyGeminiError(original)).toBe(original);
  });

  it("does not mistake a response error for a config error", () => {
    // Thrown by response.text() for a blocked answer; not an HTTP failure.
    const result = classifyGeminiError(new GoogleGenerativeAIResponseError("Candidate was blocked due to SAFETY"));
    expect(["permanent", "retryable", "invalidOutput"]).toContain(result.errorClass);
  });
});

describe("withoutKey", () => {
  const key = "AIzaSy-distinctive-key-0123456789";

  it("takes the key out of a message that echoes it verbatim or as a ?key= query, keeping the class and details", () => {
    const echoed = classifyGeminiError(
      fetchError(500, "Internal Server Error", { error: { message: `upstream ${URL}?key=${key}&alt=json failed for key ${key}` } }),
    );
    expect(echoed.message).toContain(key);
    const clean = withoutKey(echoed, key);
    expect(clean.message).not.toContain(key);
    expect(clean.message).toContain("?key=[redacted]&alt=json");
    expect(clean).toMatchObject({ errorClass: "retryable", details: { httpStatus: 500 } });
  });

  it("redacts another key= value too, and returns an error without one unchanged", () => {
    expect(withoutKey(new EngineError("GET /v1?api_key=other-secret failed", "retryable"), key).message).toBe(
      "GET /v1?api_key=[redacted] failed",
    );
    const plain = new EngineError("Gemini server error 500: overloaded", "retryable");
    expect(withoutKey(plain, key)).toBe(plain);
  });
});
