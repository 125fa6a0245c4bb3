import { GoogleGenerativeAI, type GenerateContentResponse, type GenerativeModel } from "@google/generative-ai";
import { extractionSchema } from "../../extraction/schema";
import { EngineError, type Engine, type EngineResult, type EngineUsage, type PreparedImage } from "../types";
import { classifyGeminiError, withoutKey } from "./classify";
import { EXTRACTION_PROMPT } from "./prompt";
import { extractionResponseSchema } from "./response-schema";

export interface GeminiEngineOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
}

const BLOCKING_FINISH_REASONS = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE"]);

/** The only module that talks to the Gemini SDK; swapping SDKs means replacing this folder. */
export function createGeminiEngine({ apiKey, model, baseUrl }: GeminiEngineOptions): Engine {
  const sdk = new GoogleGenerativeAI(apiKey);
  const clients = new Map<string, GenerativeModel>();
  /** One SDK model object per model name: a batch may name another model than the default. */
  const clientFor = (name: string) => {
    let client = clients.get(name);
    if (!client) {
      client = sdk.getGenerativeModel(
        {
          model: name,
          generationConfig: { responseMimeType: "application/json", responseSchema: extractionResponseSchema, temperature: 0 },
        },
        baseUrl ? { baseUrl } : undefined,
      );
      clients.set(name, client);
    }
    return client;
  };

  return {
    name: "gemini",
    model,
    async analyze(image: PreparedImage, signal: AbortSignal): Promise<EngineResult> {
      const chosen = image.model ?? model;
      const client = clientFor(chosen);
      try {
        // `signal` rather than the SDK's `timeout`, whose timer outlives the request.
        const result = await client.generateContent(
          [{ inlineData: { mimeType: image.mimeType, data: Buffer.from(image.bytes).toString("base64") } }, { text: EXTRACTION_PROMPT }],
          { signal },
        );
        return interpret(result.response, chosen);
      } catch (error) {
        // Every message from here is stored with the attempt, logged and shown to clients.
        throw withoutKey(classifyGeminiError(error), apiKey);
      }
    },
  };
}

function interpret(response: GenerateContentResponse, model: string): EngineResult {
  const usage: EngineUsage = {
    promptTokens: response.usageMetadata?.promptTokenCount ?? null,
    outputTokens: response.usageMetadata?.candidatesTokenCount ?? null,
    model: (response as { modelVersion?: string }).modelVersion ?? model,
    httpStatus: 200,
  };
  const feedback = response.promptFeedback as { blockReason?: string; blockReasonMessage?: string } | undefined;
  const candidate = response.candidates?.[0];
  if (!candidate) {
    const reason = feedback?.blockReason ?? feedback?.blockReasonMessage ?? "no answer";
    throw new EngineError(`blocked prompt: ${reason}`, "permanent", { httpStatus: 200, usage });
  }
  const finish = candidate.finishReason as string | undefined;
  if (finish && BLOCKING_FINISH_REASONS.has(finish)) throw new EngineError(`blocked: ${finish}`, "permanent", { httpStatus: 200, usage });
  if (finish === "OTHER") {
    const message = (candidate as { finishMessage?: string }).finishMessage ?? "model stopped (OTHER)";
    throw new EngineError(`Gemini internal error: ${message}`, "retryable", { httpStatus: 200, usage });
  }
  const text = candidate.content?.parts?.map((p) => p.text ?? "").join("") ?? "";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const why = finish === "MAX_TOKENS" ? "answer cut off at the token limit" : "answer is not JSON";
    throw new EngineError(`invalid output: ${why}`, "invalidOutput", { httpStatus: 200, usage });
  }
  const parsed = extractionSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new EngineError(`invalid output: ${first?.path.join(".")}: ${first?.message}`, "invalidOutput", { httpStatus: 200, usage });
  }
  return { extraction: parsed.data, usage };
}
