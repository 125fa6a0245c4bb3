import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A local stand-in for the Gemini REST API (`POST /v1beta/models/{model}:generateContent`), as
 * the real `@google/generative-ai` SDK calls it with `requestOptions.baseUrl`. Its error and
 * response bodies copy the shapes recorded from Google's service, so client error handling is
 * exercised against real shapes. It validates every request strictly so client bugs surface.
 */

export interface FakeGeminiOptions {
  apiKey?: string;
  model?: string;
  /** A fixed delay, or one per request (e.g. drawn from the image's hash, so it is the same every run). */
  latencyMs?: Latency;
  rpm?: number;
  /** The window `rpm` counts in (60 000 ms, as Gemini's; shorter to test a scaled minute). */
  windowMs?: number;
  answer?: Answerer;
}
export type Latency = number | ((req: FakeRequest) => number);
/** One request's service time at the fake: arrival (headers received) to its response written, epoch ms. */
export interface Served {
  index: number;
  arrivedAt: number;
  respondedAt: number;
  status: number;
}
export type Answerer = (req: FakeRequest) => FakeReply | Promise<FakeReply>;
export interface FakeRequest {
  index: number;
  model: string;
  apiKey: string | null;
  imageBytes: Buffer;
  imageMimeType: string;
  imageSha256: string;
  prompt: string;
  body: any;
  /** When its headers came in, epoch ms. */
  arrivedAt: number;
  /**
   * What the fake served this request, once it chose: the reply's `label`, else `json`, the
   * fault's name or `status N`; the fake's own refusals (`invalid-key`, `bad-request`,
   * `quota-window`). A test matches its attempt rows to requests by it.
   */
  servedAs: string | null;
}
/** `label` names the reply in the request's `servedAs`, for a test that scripts shapes of its own. */
export type FakeReply = ({ json: unknown } | { fault: FaultName } | { status: number; body: unknown }) & { label?: string };
export type FaultName =
  | "rate-limit-minute"
  | "rate-limit-day"
  | "server-error"
  | "unavailable"
  | "hang"
  | "malformed-json"
  | "max-tokens"
  | "safety"
  | "blocked-prompt"
  | "finish-other"
  | "invalid-key"
  | "api-disabled"
  | "unknown-model"
  | "text-reply";
export interface FakeGemini {
  url: string;
  requests: FakeRequest[];
  /** Every request's service time, in the order responses were written (`index` is the request's). */
  served: Served[];
  setAnswer(a: Answerer): void;
  setLatency(l: Latency): void;
  /** Clears the recorded requests and service times (indexes restart at 0) and the rpm window. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A per-minute 429 as Gemini sends it (QuotaFailure and RetryInfo), asking for `retryDelay`
 * ("1s"): tests script it where the fake's own `rate-limit-minute` fault (7 s) is too slow.
 */
export function perMinute429(retryDelay: string): FakeReply {
  return {
    status: 429,
    body: {
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [
              {
                quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
              },
            ],
          },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
        ],
      },
    },
  };
}

export interface MixEntry {
  /** Relative weight: the shares need not add up to anything. */
  share: number;
  reply: FakeReply | ((req: FakeRequest) => FakeReply);
}

/**
 * A seeded mix of replies: each request draws an entry by weight, from the seed, the image and
 * how many requests for that image came before it, so a run serves each image the same sequence
 * of replies whatever order its requests arrive in.
 */
export function seededMix(seed: number, entries: MixEntry[]): Answerer {
  const total = entries.reduce((sum, e) => sum + e.share, 0);
  const asked = new Map<string, number>();
  return (req) => {
    const nth = asked.get(req.imageSha256) ?? 0;
    asked.set(req.imageSha256, nth + 1);
    const digest = createHash("sha256").update(`${seed}:${req.imageSha256}:${nth}`).digest();
    const point = (digest.readUInt32BE(0) / 2 ** 32) * total;
    let below = 0;
    const entry =
      entries.find((e) => {
        below += e.share;
        return point < below;
      }) ?? entries.at(-1);
    if (!entry) throw new Error("seededMix needs at least one entry");
    return typeof entry.reply === "function" ? entry.reply(req) : entry.reply;
  };
}

type Raw = { status: number; body: unknown };
type Violation = { field: string; description: string };

const ROUTE = /^\/v1beta\/models\/([^/:]+):generateContent$/;
const DEFAULT_EXTRACTION = { shows: [], venues: [], djs: [], vendors: [] };
const IMAGE_TOKENS = 258;
const DAY_QUOTA = 250;

export async function startFakeGemini(opts: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const apiKey = opts.apiKey ?? "test-key";
  const acceptedModel = opts.model ?? "gemini-2.5-flash";
  let answer: Answerer = opts.answer ?? (() => ({ json: DEFAULT_EXTRACTION }));
  let latency: Latency = opts.latencyMs ?? 0;
  const requests: FakeRequest[] = [];
  const served: Served[] = [];
  const window = opts.rpm === undefined ? undefined : new MinuteWindow(opts.rpm, opts.windowMs);
  const closing = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = epochMs();
    let index = -1;
    res.once("finish", () => served.push({ index, arrivedAt, respondedAt: epochMs(), status: res.statusCode }));
    const url = new URL(req.url ?? "/", "http://fake");
    const route = ROUTE.exec(url.pathname);
    if (req.method !== "POST" || !route) {
      const message = `The fake Gemini serves only POST /v1beta/models/{model}:generateContent, not ${req.method} ${url.pathname}`;
      return send(res, apiError(404, "NOT_FOUND", message));
    }
    const raw = await readBody(req);
    const header = req.headers["x-goog-api-key"];
    const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("key");
    const model = decodeURIComponent(route[1] ?? "");
    const { request, violations } = inspect(raw);
    const fr: FakeRequest = { index: requests.length, model, apiKey: key, ...request, servedAs: null, arrivedAt };
    index = fr.index;
    requests.push(fr);
    const refuse = (label: string, raw: Raw) => {
      fr.servedAs = label;
      send(res, raw);
    };

    if (key !== apiKey) return refuse("invalid-key", invalidKey(key));
    if (model !== acceptedModel) return refuse("unknown-model", unknownModel(model));
    if (violations.length > 0) return refuse("bad-request", badRequest(violations));
    const waitSeconds = window?.admit(Date.now()) ?? 0;
    if (waitSeconds > 0) return refuse("quota-window", quotaExceeded("minute", model, window?.limit ?? 0, waitSeconds));

    const delay = typeof latency === "function" ? latency(fr) : latency;
    if (delay > 0) await sleep(delay, undefined, { signal: closing.signal }).catch(() => {});
    let reply: FakeReply;
    try {
      reply = await answer(fr);
    } catch (err) {
      return refuse("answerer-threw", apiError(500, "INTERNAL", `fake Gemini answerer threw: ${String(err)}`));
    }
    fr.servedAs = reply.label ?? ("json" in reply ? "json" : "fault" in reply ? reply.fault : `status ${reply.status}`);
    if ("fault" in reply && reply.fault === "hang") return hang(res, closing.signal);
    send(res, render(reply, fr, opts.rpm));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, apiError(500, "INTERNAL", `fake Gemini failed: ${String(err)}`)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    served,
    setAnswer(a) {
      answer = a;
    },
    setLatency(l) {
      latency = l;
    },
    reset() {
      requests.length = 0;
      served.length = 0;
      window?.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const epochMs = () => performance.timeOrigin + performance.now();

/** Sliding 60 s window over the requests it admitted; a refused request does not count. */
class MinuteWindow {
  private stamps: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}
  /** 0 when admitted, else whole seconds (at least 1) until the window has room. */
  admit(now: number): number {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length < this.limit) {
      this.stamps.push(now);
      return 0;
    }
    return Math.max(1, Math.ceil(((this.stamps[0] ?? now) + this.windowMs - now) / 1000));
  }
  clear(): void {
    this.stamps = [];
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, { status, body }: Raw): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  const type = typeof body === "string" ? "text/plain" : "application/json";
  res.writeHead(status, { "content-type": `${type}; charset=UTF-8` });
  res.end(text);
}

function hang(res: ServerResponse, closing: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    res.once("close", resolve);
    closing.addEventListener("abort", () => resolve(), { once: true });
  });
}

function inspect(raw: string): {
  request: Omit<FakeRequest, "index" | "model" | "apiKey" | "servedAs" | "arrivedAt">;
  violations: Violation[];
} {
  const violations: Violation[] = [];
  const problem = (field: string, description: string) => violations.push({ field, description });
  let body: any = null;
  try {
    body = JSON.parse(raw);
  } catch {
    problem("", "the request body is not valid JSON");
  }
  const parts: unknown = body?.contents?.[0]?.parts;
  const list = Array.isArray(parts) ? (parts as any[]) : [];
  if (body && !Array.isArray(parts)) problem("contents[0].parts", "expected contents[0].parts to be an array");

  let imageBytes = Buffer.alloc(0);
  let imageMimeType = "";
  const images = list.filter((p) => p && typeof p === "object" && "inlineData" in p);
  if (body && images.length !== 1) problem("contents[0].parts", `expected exactly one inlineData part, got ${images.length}`);
  const inline = images[0]?.inlineData;
  if (inline) {
    imageMimeType = typeof inline.mimeType === "string" ? inline.mimeType : "";
    const data = typeof inline.data === "string" ? inline.data : "";
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0 || data.length === 0) {
      problem("contents[0].parts.inlineData.data", "expected plain base64 (no data: URL prefix, no whitespace)");
    } else {
      imageBytes = Buffer.from(data, "base64");
      const sniffed = sniffImage(imageBytes);
      if (!sniffed) problem("contents[0].parts.inlineData.data", "the bytes are not a JPEG, PNG, WebP or GIF image");
      else if (sniffed !== imageMimeType)
        problem("contents[0].parts.inlineData.mimeType", `says ${JSON.stringify(imageMimeType)} but the bytes are ${sniffed}`);
    }
  }

  const texts = list.filter((p) => typeof p?.text === "string").map((p) => p.text as string);
  const prompt = texts.join("\n");
  if (body && prompt.trim() === "") problem("contents[0].parts", "expected a text part with the prompt");

  const config = body?.generationConfig;
  if (body && config?.responseMimeType !== "application/json")
    problem("generationConfig.responseMimeType", `expected "application/json", got ${JSON.stringify(config?.responseMimeType)}`);
  const schema = config?.responseSchema;
  if (body && (typeof schema !== "object" || schema === null || String(schema.type).toLowerCase() !== "object"))
    problem("generationConfig.responseSchema", "expected an OBJECT schema");
  else if (body && !schema.properties?.shows) problem("generationConfig.responseSchema.properties", "expected a `shows` property");

  const imageSha256 = createHash("sha256").update(imageBytes).digest("hex");
  return { request: { imageBytes, imageMimeType, imageSha256, prompt, body }, violations };
}

function sniffImage(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  if (/^GIF8[79]a/.test(b.toString("latin1", 0, 6))) return "image/gif";
  return null;
}

function render(reply: FakeReply, req: FakeRequest, rpm: number | undefined): Raw {
  if ("json" in reply) return modelReply(req, JSON.stringify(reply.json));
  if ("fault" in reply) return fault(reply.fault, req, rpm);
  return { status: reply.status, body: reply.body };
}

function usage(prompt: string, text: string) {
  const promptText = Math.ceil(prompt.length / 4);
  const candidates = Math.ceil(text.length / 4);
  return {
    promptTokenCount: IMAGE_TOKENS + promptText,
    candidatesTokenCount: candidates,
    totalTokenCount: IMAGE_TOKENS + promptText + candidates,
    promptTokensDetails: [
      { modality: "TEXT", tokenCount: promptText },
      { modality: "IMAGE", tokenCount: IMAGE_TOKENS },
    ],
  };
}

function modelReply(req: FakeRequest, text: string, finishReason = "STOP", extra: object = {}): Raw {
  const candidate = { content: { parts: [{ text }], role: "model" }, finishReason, index: 0, ...extra };
  return {
    status: 200,
    body: { candidates: [candidate], usageMetadata: usage(req.prompt, text), modelVersion: req.model, responseId: `fake-${req.index}` },
  };
}

function apiError(code: number, status: string, message: string, details?: unknown[]): Raw {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

function badRequest(violations: Violation[]): Raw {
  const message = `Invalid generateContent request (fake Gemini): ${violations.map((v) => `${v.field || "body"}: ${v.description}`).join("; ")}`;
  return apiError(400, "INVALID_ARGUMENT", message, [
    { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: violations },
  ]);
}

function invalidKey(key: string | null): Raw {
  const message = "API key not valid. Please pass a valid API key.";
  return apiError(400, "INVALID_ARGUMENT", message, [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    },
    { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
    { "@type": "type.googleapis.com/google.rpc.DebugInfo", detail: key === null ? "No API key was sent" : `Invalid API key: ${key}` },
  ]);
}

function unknownModel(model: string): Raw {
  const message = `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`;
  return apiError(404, "NOT_FOUND", message, [
    { "@type": "type.googleapis.com/google.rpc.DebugInfo", detail: `[ORIGINAL ERROR] generic::not_found: ${message}` },
    { "@type": "type.googleapis.com/google.rpc.DebugInfo", detail: message },
  ]);
}

function apiDisabled(): Raw {
  const url = "https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678";
  const message = `Generative Language API has not been used in project 12345678 before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return apiError(403, "PERMISSION_DENIED", message, [
    { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console API activation", url }] },
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "SERVICE_DISABLED",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com", consumer: "projects/12345678" },
    },
  ]);
}

/** Like the real service, a per-day 429 also carries a (short, misleading) RetryInfo. */
function quotaExceeded(kind: "minute" | "day", model: string, limit: number, retrySeconds: number): Raw {
  const quotaId =
    kind === "minute" ? "GenerateRequestsPerMinutePerProjectPerModel-FreeTier" : "GenerateRequestsPerDayPerProjectPerModel-FreeTier";
  const quotaMetric = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
  const message =
    "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n" +
    `* Quota exceeded for metric: ${quotaMetric}, limit: ${limit}, model: ${model}\nPlease retry in ${retrySeconds}s.`;
  return apiError(429, "RESOURCE_EXHAUSTED", message, [
    {
      "@type": "type.googleapis.com/google.rpc.QuotaFailure",
      violations: [{ quotaMetric, quotaId, quotaDimensions: { location: "global", model }, quotaValue: String(limit) }],
    },
    {
      "@type": "type.googleapis.com/google.rpc.Help",
      links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }],
    },
    { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retrySeconds}s` },
  ]);
}

const SAFETY_RATINGS = [
  { category: "HARM_CATEGORY_HATE_SPEECH", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_HARASSMENT", probability: "MEDIUM", blocked: true },
  { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "NEGLIGIBLE" },
];
const TRUNCATED_SOURCE = JSON.stringify({
  shows: [
    {
      venueName: "The Rusty Nail",
      dayOfWeek: "tuesday",
      startTime: "20:00",
      endTime: "02:00",
      date: null,
      djName: "KJ Big Mike",
      vendor: null,
      description: null,
      confidence: 0.9,
    },
    {
      venueName: "Harbor Lights Inn",
      dayOfWeek: "saturday",
      startTime: "21:30",
      endTime: "23:00",
      date: null,
      djName: "KJ Jax",
      vendor: null,
      description: null,
      confidence: 0.9,
    },
  ],
  venues: [],
  djs: [],
  vendors: [],
});
const MALFORMED_JSON =
  '```json\n{"shows": [{"venueName": "The Rusty Nail", dayOfWeek: "tuesday", "startTime": "20:00",}], "venues": []\n```';
const TEXT_REPLY =
  "This image shows a karaoke flyer. The schedule lists **Tuesday** at The Rusty Nail from 8 PM to 2 AM, hosted by KJ Big Mike.\n";

function fault(name: FaultName, req: FakeRequest, rpm: number | undefined): Raw {
  switch (name) {
    case "rate-limit-minute":
      return quotaExceeded("minute", req.model, rpm ?? 10, 7);
    case "rate-limit-day":
      return quotaExceeded("day", req.model, DAY_QUOTA, 43);
    case "server-error":
      return apiError(
        500,
        "INTERNAL",
        "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
      );
    case "unavailable":
      return apiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    case "malformed-json":
      return modelReply(req, MALFORMED_JSON);
    case "max-tokens":
      return modelReply(req, TRUNCATED_SOURCE.slice(0, Math.floor(TRUNCATED_SOURCE.length * 0.6)), "MAX_TOKENS");
    case "safety":
      return modelReply(req, "I can't help with that image.", "SAFETY", { safetyRatings: SAFETY_RATINGS });
    case "blocked-prompt": {
      const { promptTokenCount, promptTokensDetails } = usage(req.prompt, "");
      const usageMetadata = { promptTokenCount, totalTokenCount: promptTokenCount, promptTokensDetails };
      const promptFeedback = { blockReason: "OTHER", blockReasonMessage: "The prompt was blocked." };
      return { status: 200, body: { candidates: [], promptFeedback, usageMetadata, modelVersion: req.model } };
    }
    case "finish-other":
      return {
        status: 200,
        body: {
          candidates: [{ finishReason: "OTHER", finishMessage: "Model failed to generate content due to internal error.", index: 0 }],
        },
      };
    case "invalid-key":
      return invalidKey(req.apiKey);
    case "api-disabled":
      return apiDisabled();
    case "unknown-model":
      return unknownModel(req.model);
    case "text-reply":
      return modelReply(req, TEXT_REPLY);
    case "hang":
      throw new Error("hang is served before rendering");
  }
}
