import { constants as bufferConstants } from "node:buffer";
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { FINAL_BATCH_STATUSES, getBatch } from "@showscan/db";
import type { Services } from "../services";
import { bearerToken, type Tokens, type User } from "../auth/tokens";
import { UPLOAD_LIMITS, type Role } from "../batches/limits";
import { SubmitError, type Rejection, type SubmitResult } from "../batches/submit";
import { batchImages, batchResults } from "../batches/views";
import { streamProgress } from "../batches/progress-stream";
import { overBatchRate } from "../batches/rate-limit";
import type { BatchProgress } from "../pipeline/progress";
import { legacyBodySchema, readScreenshots } from "./legacy-screenshots";

/**
 * The original service's REST routes, kept for its existing clients: a JSON body of data URLs
 * in, the merged listings out once the batch has ended. Underneath it is the same pipeline as
 * `batch.analyze`: the batch is stored and keeps running even if the client goes away.
 */

export interface RestRoutesOptions {
  services: Services;
  tokens: Tokens;
  /** How long a request waits for its batch before answering 504 (the batch goes on). */
  waitTimeoutMs?: number;
}

const WAIT_TIMEOUT_MS = 15 * 60_000;

const issuesText = (error: z.ZodError) => error.issues.map((issue) => issue.message).join("; ");
/** Room for the JSON around the base64 (keys, quotes, the other fields). */
const JSON_OVERHEAD = 1024 * 1024;

/** Base64 is 4/3 the size of its bytes; a body cannot exceed what V8 can hold as one string. */
const jsonLimit = (role: Role) =>
  Math.min(Math.ceil((UPLOAD_LIMITS[role].maxBatchBytes * 4) / 3) + JSON_OVERHEAD, bufferConstants.MAX_STRING_LENGTH);

const workersSchema = z.coerce
  .number({ error: "maxConcurrentWorkers: expected a number" })
  .int("maxConcurrentWorkers: expected a whole number")
  .min(1, "maxConcurrentWorkers: 1 to 5")
  .max(5, "maxConcurrentWorkers: 1 to 5");

type Fail = (res: Response, status: number, error: string, extra?: object) => void;
const fail: Fail = (res, status, error, extra = {}) => void res.status(status).json({ success: false, error, ...extra });

function authenticate(tokens: Tokens, role: Role): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const user = token ? await tokens.verify(token) : null;
    if (!user) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="showscan"');
      return fail(res, 401, token ? "invalid or expired token" : "sign in: send a bearer token");
    }
    if (role === "admin" && user.role !== "admin") return fail(res, 403, "admin only");
    res.locals.user = user;
    next();
  };
}

type WaitOutcome = { kind: "final"; progress: BatchProgress } | { kind: "timeout" } | { kind: "gone" };

/** Follows the batch's progress stream (the same one `batch.onProgress` serves) to its end. */
async function waitForFinal(services: Services, batchId: string, timeoutMs: number, gone: AbortSignal): Promise<WaitOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let last: BatchProgress | null = null;
  for await (const { progress } of streamProgress(services, batchId, null, AbortSignal.any([gone, timeout]))) last = progress;
  if (last && FINAL_BATCH_STATUSES.includes(last.status)) return { kind: "final", progress: last };
  return gone.aborted ? { kind: "gone" } : { kind: "timeout" };
}

/**
 * The original answer: merged data, measured stats, every screenshot that yielded nothing, and
 * the original's `timestamp` (when it answered) and, on the admin route, `requiresApproval`
 * (shows wait for review before they reach the catalog). The request's `vendor` is stored with
 * the batch, and the merge makes it the company of every show whose image names none.
 */
async function legacyAnswer(
  services: Services,
  progress: BatchProgress,
  request: { sent: number; refused: Rejection[]; startedAt: number; role: Role },
) {
  const { sent, refused, startedAt } = request;
  const batch = await getBatch(services.db, progress.batchId);
  if (!batch) throw new Error(`batch ${progress.batchId} vanished while it was awaited`);
  const [results, images] = await Promise.all([batchResults(services.db, batch), batchImages(services.db, batch.id)]);
  const errors = [
    ...refused.map((r) => ({ file: r.fileName, error: r.reason })),
    ...images
      .filter((i) => i.status === "failed" || i.status === "cancelled")
      .map((i) => ({ file: i.fileName, error: i.error ?? i.status })),
  ];
  const { shows, venues, djs, vendors } = results;
  return {
    success: progress.succeededImages > 0,
    data: { shows, venues, djs, vendors },
    stats: {
      totalImages: sent,
      processedImages: progress.succeededImages,
      failedImages: errors.length,
      totalTime: Date.now() - startedAt,
      averageTimePerImage: progress.averageTimePerImage,
      speedup: progress.speedup,
      workers: progress.workers,
    },
    batchId: batch.id,
    errors,
    timestamp: new Date().toISOString(),
    ...(request.role === "admin"
      ? { requiresApproval: [...shows, ...venues, ...djs, ...vendors].some((item) => item.review === "pending") }
      : {}),
  };
}

function analyzeHandler(services: Services, role: Role, waitTimeoutMs: number): RequestHandler {
  return async (req: Request, res: Response) => {
    const startedAt = Date.now();
    const user = res.locals.user as User;
    // A client that hangs up stops the waiting, not the batch.
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const parsed = legacyBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, 400, issuesText(parsed.error));
    const body = parsed.data;
    // Users always get the default window and mode; only admins choose the window.
    const workers = role === "admin" && body.maxConcurrentWorkers !== undefined ? workersSchema.safeParse(body.maxConcurrentWorkers) : null;
    if (workers && !workers.success) return fail(res, 400, issuesText(workers.error));

    const { files, refused } = await readScreenshots(body.screenshots);
    const errorsOf = (list: Rejection[]) => list.map((r) => ({ file: r.fileName, error: r.reason }));
    if (files.length === 0) return fail(res, 400, "no usable screenshot in the request", { errors: errorsOf(refused) });
    const settings = await services.settings.get();
    const wait = await overBatchRate(services, user, settings);
    if (wait !== null) {
      res.setHeader("Retry-After", String(wait));
      return fail(res, 429, `too many batches: try again in ${wait} s`);
    }

    let submitted: SubmitResult;
    try {
      submitted = await services.submit(
        {
          owner: user.sub,
          files,
          refused,
          // Unset for users, and for admins who name none: the settings' defaults.
          workers: workers?.data,
          sourceUrl: body.url,
          description: body.description,
          vendor: body.vendor,
        },
        role,
        settings,
      );
    } catch (error) {
      if (error instanceof SubmitError) return fail(res, 400, error.message, { errors: errorsOf(error.rejected) });
      throw error;
    }

    const outcome = await waitForFinal(services, submitted.batchId, waitTimeoutMs, gone.signal);
    if (outcome.kind === "gone") return;
    if (outcome.kind === "timeout") {
      return fail(
        res,
        504,
        `the batch is still running after ${Math.round(waitTimeoutMs / 1000)} s; follow it as batch ${submitted.batchId}`,
        { batchId: submitted.batchId },
      );
    }
    const answer = await legacyAnswer(services, outcome.progress, {
      sent: body.screenshots.length,
      refused: submitted.rejected,
      startedAt,
      role,
    });
    res.status(answer.success ? 200 : 422).json(answer);
  };
}

/** Body-parser and other errors as the JSON shape these clients read. */
function jsonErrors(services: Services): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === "entity.too.large") return fail(res, 413, "request too large for your upload limit");
    if (error.status && error.status >= 400 && error.status < 500)
      return fail(res, error.status, `bad request: ${error.message ?? "unreadable body"}`);
    services.logger.error({ err: error, path: req.path }, "legacy REST request failed");
    fail(res, 500, "internal error");
  };
}

export function createRestRoutes({ services, tokens, waitTimeoutMs = WAIT_TIMEOUT_MS }: RestRoutesOptions): Router {
  const router = Router();
  for (const [path, role] of [
    ["/api/parser/analyze-screenshots-parallel", "user"],
    ["/api/parser/analyze-admin-screenshots-parallel", "admin"],
  ] as const) {
    router.post(path, authenticate(tokens, role), express.json({ limit: jsonLimit(role) }), analyzeHandler(services, role, waitTimeoutMs));
  }
  router.use("/api/parser", jsonErrors(services));
  return router;
}
