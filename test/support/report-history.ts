import {
  type AttemptOutcome,
  attempts,
  type BatchMode,
  batches,
  batchMetrics,
  type BatchRow,
  type Executor,
  type ImageStatus,
  images,
  setModelRate,
} from "../../db/src/index";

/**
 * A small batch history with known figures for the reporting suites: six batches of three owners
 * on four UTC days in two ISO weeks, with retries, 429s, failures, cached images, a batch still
 * running, one that crosses midnight, and a model (gemini-2.5-pro) without a rate. Rows are
 * inserted as the pipeline would have left them; the expected figures are worked out by hand in
 * the tests (see the comments there).
 */

export const FLASH = "gemini-2.5-flash";
export const PRO = "gemini-2.5-pro";

/** Flash's only rate at first: it starts after batch A's attempts, which therefore take it as the model's first rate. */
export const FLASH_RATE = { model: FLASH, promptUsdPerMillion: 0.3, outputUsdPerMillion: 2.5, validFrom: new Date("2026-03-02T12:00:00Z") };

interface HistoryAttempt {
  at: string;
  outcome: Exclude<AttemptOutcome, "lease_expired" | "cancelled">;
  errorClass?: string;
  message?: string;
  httpStatus?: number;
  prompt?: number;
  output?: number;
  /** Defaults to the batch's model when the attempt has tokens (what the engine reports). */
  model?: string | null;
}

interface HistoryImage {
  status: ImageStatus;
  finishedAt?: string;
  durationMs?: number;
  /** Answered from the cache: cached_from points at batch A's first image. */
  cached?: boolean;
  attempts: HistoryAttempt[];
}

interface HistoryBatch {
  owner: string;
  sourceUrl: string | null;
  mode: BatchMode;
  workers: number;
  model: string;
  status: BatchRow["status"];
  createdAt: string;
  startedAt: string;
  finishedAt?: string;
  metrics?: { wallMs: number; sumImageMs: number; speedup: number; meanImageMs: number; p50ImageMs: number; p95ImageMs: number };
  images: HistoryImage[];
}

const A_SOURCE = "https://example.com/a";
const B_SOURCE = "https://example.com/b";

export const HISTORY = {
  A: {
    owner: "alice",
    sourceUrl: A_SOURCE,
    mode: "parallel",
    workers: 3,
    model: FLASH,
    status: "completed",
    createdAt: "2026-03-02T10:00:00Z",
    startedAt: "2026-03-02T10:00:01Z",
    finishedAt: "2026-03-02T10:00:21Z",
    metrics: { wallMs: 20_000, sumImageMs: 12_000, speedup: 0.6, meanImageMs: 4000, p50ImageMs: 4000, p95ImageMs: 4900 },
    images: [
      {
        status: "succeeded",
        finishedAt: "2026-03-02T10:00:05Z",
        durationMs: 4000,
        attempts: [{ at: "2026-03-02T10:00:01Z", outcome: "succeeded", prompt: 1000, output: 200 }],
      },
      {
        status: "succeeded",
        finishedAt: "2026-03-02T10:00:12Z",
        durationMs: 5000,
        attempts: [
          { at: "2026-03-02T10:00:01Z", outcome: "retry", errorClass: "retryable", message: "503 Service Unavailable", httpStatus: 503 },
          { at: "2026-03-02T10:00:07Z", outcome: "succeeded", prompt: 1000, output: 300 },
        ],
      },
      {
        status: "failed",
        finishedAt: "2026-03-02T10:00:21Z",
        durationMs: 3000,
        attempts: [
          { at: "2026-03-02T10:00:01Z", outcome: "retry", errorClass: "rateLimited", message: "429 Too Many Requests", httpStatus: 429 },
          { at: "2026-03-02T10:00:10Z", outcome: "failed", errorClass: "permanent", message: "blocked: SAFETY", prompt: 1000, output: 0 },
        ],
      },
      {
        status: "succeeded",
        finishedAt: "2026-03-02T10:00:03Z",
        cached: true,
        attempts: [{ at: "2026-03-02T10:00:02Z", outcome: "cached" }],
      },
    ],
  },
  B: {
    owner: "bob",
    sourceUrl: B_SOURCE,
    mode: "sequential",
    workers: 1,
    model: FLASH,
    status: "completed",
    createdAt: "2026-03-02T15:00:00Z",
    startedAt: "2026-03-02T15:00:00Z",
    finishedAt: "2026-03-02T15:00:10Z",
    metrics: { wallMs: 10_000, sumImageMs: 10_000, speedup: 1, meanImageMs: 5000, p50ImageMs: 5000, p95ImageMs: 5900 },
    images: [
      {
        status: "succeeded",
        finishedAt: "2026-03-02T15:00:04Z",
        durationMs: 4000,
        attempts: [{ at: "2026-03-02T15:00:00Z", outcome: "succeeded", prompt: 2000, output: 400 }],
      },
      {
        status: "succeeded",
        finishedAt: "2026-03-02T15:00:10Z",
        durationMs: 6000,
        attempts: [
          { at: "2026-03-02T15:00:04Z", outcome: "retry", errorClass: "timeout", message: "timed out after 30000 ms" },
          { at: "2026-03-02T15:00:05Z", outcome: "succeeded", prompt: 2000, output: 600 },
        ],
      },
    ],
  },
  /** gemini-2.5-pro, which has no rate: unpriced. Created on 4 March, ends on the 5th. */
  C: {
    owner: "alice",
    sourceUrl: A_SOURCE,
    mode: "parallel",
    workers: 2,
    model: PRO,
    status: "completed",
    createdAt: "2026-03-04T23:59:00Z",
    startedAt: "2026-03-04T23:59:00Z",
    finishedAt: "2026-03-05T00:00:30Z",
    metrics: { wallMs: 90_000, sumImageMs: 22_500, speedup: 0.25, meanImageMs: 7500, p50ImageMs: 9500, p95ImageMs: 9950 },
    images: [
      {
        status: "succeeded",
        finishedAt: "2026-03-04T23:59:10Z",
        durationMs: 10_000,
        attempts: [{ at: "2026-03-04T23:59:00Z", outcome: "succeeded", prompt: 5000, output: 1000 }],
      },
      {
        status: "succeeded",
        finishedAt: "2026-03-05T00:00:30Z",
        durationMs: 9500,
        attempts: [
          { at: "2026-03-04T23:59:05Z", outcome: "retry", errorClass: "rateLimited", message: "429 quota per minute", httpStatus: 429 },
          {
            at: "2026-03-05T00:00:05Z",
            outcome: "retry",
            errorClass: "rateLimited",
            message: "429 quota per minute again",
            httpStatus: 429,
          },
          { at: "2026-03-05T00:00:20Z", outcome: "succeeded", prompt: 5000, output: 1000 },
        ],
      },
      {
        status: "failed",
        finishedAt: "2026-03-04T23:59:50Z",
        durationMs: 3000,
        attempts: [
          {
            at: "2026-03-04T23:59:12Z",
            outcome: "retry",
            errorClass: "invalidOutput",
            message: "invalid output: not JSON",
            prompt: 5000,
            output: 2000,
          },
          {
            at: "2026-03-04T23:59:40Z",
            outcome: "failed",
            errorClass: "invalidOutput",
            message: "invalid output: MAX_TOKENS",
            prompt: 5000,
            output: 2000,
          },
        ],
      },
    ],
  },
  D: {
    owner: "carol",
    sourceUrl: null,
    mode: "parallel",
    workers: 5,
    model: FLASH,
    status: "completed",
    createdAt: "2026-03-05T09:00:00Z",
    startedAt: "2026-03-05T09:00:00Z",
    finishedAt: "2026-03-05T09:00:08Z",
    metrics: { wallMs: 8000, sumImageMs: 7000, speedup: 0.875, meanImageMs: 7000, p50ImageMs: 7000, p95ImageMs: 7000 },
    images: [
      {
        status: "succeeded",
        finishedAt: "2026-03-05T09:00:01Z",
        cached: true,
        attempts: [{ at: "2026-03-05T09:00:00Z", outcome: "cached" }],
      },
      {
        status: "failed",
        finishedAt: "2026-03-05T09:00:08Z",
        durationMs: 7000,
        attempts: [{ at: "2026-03-05T09:00:01Z", outcome: "failed", errorClass: "permanent", message: "blocked: RECITATION", prompt: 800 }],
      },
    ],
  },
  /**
   * Still running: one attempt in flight, one image queued, no figures yet. Its lease and its
   * queued image's next attempt lie far ahead, so a service's dispatcher on the database leaves it be.
   */
  E: {
    owner: "alice",
    sourceUrl: A_SOURCE,
    mode: "parallel",
    workers: 3,
    model: FLASH,
    status: "running",
    createdAt: "2026-03-05T12:00:00Z",
    startedAt: "2026-03-05T12:00:01Z",
    images: [
      { status: "running", attempts: [{ at: "2026-03-05T12:00:01Z", outcome: "running" }] },
      { status: "queued", attempts: [] },
    ],
  },
  /** The next ISO week. Its attempt reports no model: the batch's is priced. */
  F: {
    owner: "bob",
    sourceUrl: B_SOURCE,
    mode: "sequential",
    workers: 1,
    model: FLASH,
    status: "completed",
    createdAt: "2026-03-09T08:00:00Z",
    startedAt: "2026-03-09T08:00:00Z",
    finishedAt: "2026-03-09T08:00:03Z",
    metrics: { wallMs: 3000, sumImageMs: 3000, speedup: 1, meanImageMs: 3000, p50ImageMs: 3000, p95ImageMs: 3000 },
    images: [
      {
        status: "succeeded",
        finishedAt: "2026-03-09T08:00:03Z",
        durationMs: 3000,
        attempts: [{ at: "2026-03-09T08:00:00Z", outcome: "succeeded", prompt: 1000, output: 100, model: null }],
      },
    ],
  },
} satisfies Record<string, HistoryBatch>;

export type HistoryKey = keyof typeof HISTORY;

const at = (iso: string) => new Date(iso);
const FAR_AHEAD = new Date("2100-01-01T00:00:00Z");
const later = (iso: string, ms: number) => new Date(at(iso).getTime() + ms);

/** Inserts the history and flash's first rate; answers each batch's id by its letter. */
export async function insertReportHistory(db: Executor): Promise<Record<HistoryKey, string>> {
  const ids = {} as Record<HistoryKey, string>;
  let firstImageOfA: string | null = null;
  for (const [key, b] of Object.entries(HISTORY) as [HistoryKey, HistoryBatch][]) {
    const count = (status: ImageStatus) => b.images.filter((i) => i.status === status).length;
    const [row] = await db
      .insert(batches)
      .values({
        owner: b.owner,
        status: b.status,
        mode: b.mode,
        workers: b.workers,
        engine: "gemini",
        model: b.model,
        sourceUrl: b.sourceUrl,
        totalImages: b.images.length,
        succeededImages: count("succeeded"),
        failedImages: count("failed"),
        createdAt: at(b.createdAt),
        startedAt: at(b.startedAt),
        finishedAt: b.finishedAt ? at(b.finishedAt) : null,
      })
      .returning({ id: batches.id });
    if (!row) throw new Error(`batch ${key} was not inserted`);
    ids[key] = row.id;
    for (const [position, image] of b.images.entries()) {
      const imageId = crypto.randomUUID();
      firstImageOfA ??= imageId;
      await db.insert(images).values({
        id: imageId,
        batchId: row.id,
        position,
        fileName: `${key}-${position}.png`,
        mimeType: "image/png",
        byteSize: 1,
        content: Buffer.from([position]),
        sha256: `${key}-${position}`,
        status: image.status,
        cachedFrom: image.cached ? firstImageOfA : null,
        attemptCount: image.attempts.length,
        durationMs: image.durationMs ?? null,
        ...(image.status === "running" ? { leaseOwner: "history", leaseExpiresAt: FAR_AHEAD } : {}),
        ...(image.status === "queued" ? { nextAttemptAt: FAR_AHEAD } : {}),
        createdAt: at(b.createdAt),
        finishedAt: image.finishedAt ? at(image.finishedAt) : null,
      });
      for (const [n, attempt] of image.attempts.entries()) {
        const tokens = attempt.prompt !== undefined || attempt.output !== undefined;
        await db.insert(attempts).values({
          imageId,
          batchId: row.id,
          attemptNumber: n + 1,
          worker: "history",
          engine: "gemini",
          startedAt: at(attempt.at),
          finishedAt: attempt.outcome === "running" ? null : later(attempt.at, 1000),
          outcome: attempt.outcome,
          errorClass: attempt.errorClass ?? null,
          errorMessage: attempt.message ?? null,
          httpStatus: attempt.httpStatus ?? (attempt.outcome === "succeeded" || tokens ? 200 : null),
          model: attempt.model !== undefined ? attempt.model : tokens ? b.model : null,
          promptTokens: attempt.prompt ?? null,
          outputTokens: attempt.output ?? null,
        });
      }
    }
    if (b.metrics) {
      await db.insert(batchMetrics).values({
        batchId: row.id,
        ...b.metrics,
        // The views count attempts, retries, 429s and tokens from the attempts themselves: zeros here prove it.
        successRate: count("succeeded") / b.images.length,
        attempts: 0,
        retries: 0,
        rateLimited: 0,
        promptTokens: 0,
        outputTokens: 0,
        workerUtilisation: 0,
        cachedImages: b.images.filter((i) => i.cached).length,
      });
    }
  }
  await setModelRate(db, FLASH_RATE);
  return ids;
}
