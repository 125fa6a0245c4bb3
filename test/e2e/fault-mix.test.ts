import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, getBatchMetrics, listAttempts, listImages } from "../../db/src/index";
import { perMinute429, seededMix, startFakeGemini, type FakeGemini, type FakeReply, type MixEntry } from "../support/fake-gemini";
import { eventually, preparedSha256, startService, waitForBatch, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";

const IMAGES = 60;
const TIMEOUT_MS = 2_500;
const fastRetries = { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 200, maxRateLimited: 10 };
const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };
const RATINGS = ["HATE_SPEECH", "DANGEROUS_CONTENT", "HARASSMENT", "SEXUALLY_EXPLICIT"].map((c) => ({
  category: `HARM_CATEGORY_${c}`,
  probability: "NEGLIGIBLE",
}));

/** The shapes Google's service sends, written out here as recorded (not read from anywhere). */
const recorded = {
  /** A successful answer with everything a real one carries: ratings, log-probabilities, token details. */
  success: (text: string): FakeReply => ({
    label: "recorded-success",
    status: 200,
    body: {
      candidates: [{ content: { parts: [{ text }], role: "model" }, finishReason: "STOP", safetyRatings: RATINGS, avgLogprobs: -0.0487 }],
      usageMetadata: {
        promptTokenCount: 265,
        candidatesTokenCount: 22,
        totalTokenCount: 287,
        promptTokensDetails: [{ modality: "TEXT", tokenCount: 7 }],
        candidatesTokensDetails: [{ modality: "TEXT", tokenCount: 22 }],
      },
      modelVersion: "gemini-2.0-flash",
    },
  }),
  /** A plain prose answer where JSON was asked for. */
  prose: {
    label: "recorded-prose",
    status: 200,
    body: {
      candidates: [
        {
          content: { parts: [{ text: "Google's headquarters is located in **Mountain View, California**.\n" }], role: "model" },
          finishReason: "STOP",
          safetyRatings: RATINGS,
        },
      ],
      modelVersion: "gemini-2.0-flash",
    },
  } satisfies FakeReply,
  /** finishReason OTHER with a message and no content. */
  otherNoContent: {
    label: "recorded-other",
    status: 200,
    body: { candidates: [{ finishReason: "OTHER", finishMessage: "Model failed to generate content due to internal error." }] },
  } satisfies FakeReply,
  /** No candidates, only promptFeedback, and that without a blockReason. */
  promptFeedbackOnly: {
    label: "recorded-prompt-feedback",
    status: 200,
    body: { candidates: [], promptFeedback: { blockReasonMessage: "Message" }, modelVersion: "gemini-2.0-flash" },
  } satisfies FakeReply,
  /** A per-minute 429 with ErrorInfo RATE_LIMIT_EXCEEDED and no RetryInfo. */
  rateLimitNoRetryInfo: {
    label: "recorded-429",
    status: 429,
    body: {
      error: {
        code: 429,
        message:
          "Quota exceeded for quota metric 'Generate Content API requests per minute' of service 'generativelanguage.googleapis.com'.",
        status: "RESOURCE_EXHAUSTED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "RATE_LIMIT_EXCEEDED",
            domain: "googleapis.com",
            metadata: { service: "generativelanguage.googleapis.com", quota_limit: "GenerateContentRequestsPerMinutePerProjectPerRegion" },
          },
        ],
      },
    },
  } satisfies FakeReply,
};

/** The mix the issue names (in percent), the recorded shapes beside it, success for the rest. */
const MIX: MixEntry[] = [
  { share: 20, reply: { fault: "unavailable" } },
  { share: 5, reply: { ...perMinute429("1s"), label: "rate-limit-1s" } },
  { share: 5, reply: { ...perMinute429("2s"), label: "rate-limit-2s" } },
  { share: 5, reply: { fault: "malformed-json" } },
  { share: 3, reply: { fault: "hang" } },
  { share: 2, reply: { fault: "safety" } },
  { share: 2, reply: recorded.prose },
  { share: 2, reply: recorded.otherNoContent },
  { share: 2, reply: recorded.promptFeedbackOnly },
  { share: 1, reply: recorded.rateLimitNoRetryInfo },
  { share: 28, reply: { json: EMPTY } },
  { share: 25, reply: recorded.success(JSON.stringify(EMPTY)) },
];

/** How the pipeline must classify what the fake served: the attempt row's error class and HTTP status. */
const EXPECTED: Record<string, { errorClass: string | null; httpStatus: number | null }> = {
  json: { errorClass: null, httpStatus: 200 },
  "recorded-success": { errorClass: null, httpStatus: 200 },
  unavailable: { errorClass: "retryable", httpStatus: 503 },
  "rate-limit-1s": { errorClass: "rateLimited", httpStatus: 429 },
  "rate-limit-2s": { errorClass: "rateLimited", httpStatus: 429 },
  "recorded-429": { errorClass: "rateLimited", httpStatus: 429 },
  "malformed-json": { errorClass: "invalidOutput", httpStatus: 200 },
  "recorded-prose": { errorClass: "invalidOutput", httpStatus: 200 },
  hang: { errorClass: "timeout", httpStatus: null },
  safety: { errorClass: "permanent", httpStatus: 200 },
  "recorded-prompt-feedback": { errorClass: "permanent", httpStatus: 200 },
  "recorded-other": { errorClass: "retryable", httpStatus: 200 },
};

describe("a mix of Gemini faults over one batch", () => {
  let fake: FakeGemini;
  let service: TestService;

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 20, answer: seededMix(20261203, MIX) });
    service = await startService({ fake, retryPolicy: fastRetries, config: { imageTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("ends every image once with its classified reason, one attempt row per request served, counters equal to the rows", async () => {
    const uploads = await distinctImages(IMAGES, "mix");
    const shaOf = new Map<string, string>();
    for (const u of uploads) shaOf.set(u.name, await preparedSha256(u.bytes));
    const { batchId } = await service.app.submit({ owner: "admin", files: uploads, workers: 5, mode: "parallel" }, "admin");
    await waitForBatch(service, batchId, 180_000);
    const attempts = await eventually(async () => {
      const all = await listAttempts(service.db, batchId);
      return all.some((a) => a.outcome === "running") ? null : all;
    });
    const images = await listImages(service.db, batchId);
    const batch = (await getBatch(service.db, batchId))!;

    // Every request was one the mix chose (none refused by the fake's own validation).
    const served = fake.requests.map((r) => r.servedAs);
    expect(served.filter((s) => s === null || !(s in EXPECTED))).toEqual([]);
    // The mix really was mixed: each fault of the list came up.
    for (const kind of ["unavailable", "rate-limit-1s", "malformed-json", "hang", "safety"]) expect(served).toContain(kind);

    expect(attempts).toHaveLength(fake.requests.length);
    expect(images).toHaveLength(IMAGES);
    for (const image of images) {
      const sha = shaOf.get(image.fileName);
      const requests = fake.requests.filter((r) => r.imageSha256 === sha);
      const mine = attempts.filter((a) => a.imageId === image.id);
      // One attempt per request, in order, each classified as what was served.
      expect(mine.map((a) => a.attemptNumber)).toEqual(mine.map((_, i) => i + 1));
      expect(
        mine.map((a) => ({ errorClass: a.errorClass, httpStatus: a.httpStatus })),
        `${image.fileName}: ${requests.map((r) => r.servedAs).join(", ")}`,
      ).toEqual(requests.map((r) => EXPECTED[r.servedAs!]));
      // Only the last attempt ends the image, as the image row says.
      const last = mine.at(-1)!;
      expect(mine.slice(0, -1).every((a) => a.outcome === "retry")).toBe(true);
      expect(["succeeded", "failed"]).toContain(last.outcome);
      expect(image.status).toBe(last.outcome);
      expect(image.errorClass).toBe(last.errorClass);
      if (last.outcome === "failed") expect(image.error).toBe(last.errorMessage);
      // A permanent failure is never retried.
      expect(mine.slice(0, -1).some((a) => a.errorClass === "permanent")).toBe(false);
    }

    const succeeded = images.filter((i) => i.status === "succeeded").length;
    const failed = images.filter((i) => i.status === "failed").length;
    expect(succeeded + failed).toBe(IMAGES);
    expect(batch).toMatchObject({ status: "completed", totalImages: IMAGES, succeededImages: succeeded, failedImages: failed });
    // The stored figures count the same rows.
    const metrics = await getBatchMetrics(service.db, batchId);
    expect(metrics).toMatchObject({
      attempts: attempts.length,
      retries: attempts.filter((a) => a.outcome === "retry").length,
      rateLimited: attempts.filter((a) => a.errorClass === "rateLimited").length,
    });
  }, 240_000);
});
