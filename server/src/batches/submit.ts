import {
  findBatchByIdempotencyKey,
  insertBatch,
  notifyWork,
  settleBatch,
  type BatchMode,
  type BatchRow,
  type Database,
} from "@showscan/db";
import type { Engine } from "../engines/types";
import type { Logger } from "../logger";
import { batchLog } from "../pipeline/batch-log";
import { AUTO_WORKERS_START } from "../pipeline/auto-workers";
import { publishProgress } from "../pipeline/progress";
import type { Settings } from "../settings/schema";
import { BatchIntake, type Rejection } from "./intake";
import { uploadLimits, type Role } from "./limits";
import type { IncomingFile } from "./multipart";

export type UploadFile = IncomingFile;

export interface SubmitInput {
  owner: string;
  files: UploadFile[];
  /** Files refused before they reached the upload checks (REST screenshots that decode to nothing). */
  refused?: Rejection[];
  /** Unset: the defaultWorkers setting. */
  workers?: number | "auto";
  /** Unset: 1 for a user's submission, 0 for an admin's bulk batch, so a singer's two screenshots go first. */
  priority?: number;
  /** Unset: parallel when workers are given, else the defaultMode setting. */
  mode?: BatchMode;
  sourceUrl?: string | null;
  description?: string | null;
  /** The company the sender named for every image (the original REST clients' `vendor`). */
  vendor?: string | null;
  idempotencyKey?: string | null;
  /** The batch this one runs again. */
  rerunOf?: string | null;
  /** Analyse every image afresh instead of reusing earlier answers (an admin option; reruns). */
  skipCache?: boolean;
}

export type { Rejection } from "./intake";

export interface SubmitResult {
  batchId: string;
  totalImages: number;
  rejected: Rejection[];
  /** False when an idempotency key returned an earlier batch. */
  created: boolean;
}

export class SubmitError extends Error {
  constructor(
    message: string,
    readonly rejected: Rejection[],
  ) {
    super(message);
    this.name = "SubmitError";
  }
}

/** What a submission's batch is run with, once known (a streamed form may send it after its files). */
export type SubmitOptions = Omit<SubmitInput, "owner" | "files" | "refused">;

export interface UploadRequest {
  owner: string;
  /** The files in upload order, read one at a time (a streamed form) or all at hand. */
  files: Iterable<IncomingFile> | AsyncIterable<IncomingFile>;
  /** Files refused before they reached the upload checks (unreadable data URLs). */
  refused?: Rejection[];
  /** Read once every file is in; throwing refuses the whole upload and stores nothing. */
  options: () => SubmitOptions | Promise<SubmitOptions>;
  /** The last check before the batch commits (the per-user rate limit); throwing refuses it. */
  beforeCommit?: () => Promise<void>;
}

/** An idempotent retry found its earlier batch: the new one rolls back. */
class Replay extends Error {
  constructor(readonly earlier: BatchRow) {
    super("replay of an earlier upload");
  }
}

/**
 * Stores a batch as its upload comes in: each file is checked on its own and stored the moment
 * it is complete, all in one transaction, so no other process sees (or claims) the batch
 * before its last file and options are in, and a refused upload leaves nothing behind. The
 * transaction holds one connection for as long as the upload takes to arrive: the price of
 * that all-or-nothing, paid per upload rather than per image. Analysis starts after the
 * commit, so the caller gets the batch id at once. `settings` are read by the caller for this
 * submission: the limits, defaults, model and budget the batch gets.
 */
export async function submitUpload(
  deps: { db: Database; logger: Logger; engine: Engine },
  request: UploadRequest,
  role: Role,
  settings: Settings,
): Promise<SubmitResult> {
  // The model and budget settings are the Gemini engine's; another engine's batches record none.
  const gemini = deps.engine.name === "gemini";
  const fixed = { engine: deps.engine.name, model: gemini ? settings.model : null, geminiRpm: gemini ? settings.geminiRpm : null };
  let idempotencyKey: string | null = null;
  try {
    const { batch, rejected } = await deps.db.transaction(async (tx) => {
      const opened = await insertBatch(tx, request.owner, { ...fixed, mode: settings.defaultMode, workers: settings.defaultWorkers });
      const intake = new BatchIntake(tx, opened.id, uploadLimits(role, settings), request.refused);
      for await (const file of request.files) await intake.add(file);
      await intake.flush();
      const input = await request.options();
      idempotencyKey = input.idempotencyKey ?? null;
      if (idempotencyKey) {
        const earlier = await findBatchByIdempotencyKey(tx, request.owner, idempotencyKey);
        if (earlier) throw new Replay(earlier);
      }
      if (intake.stored === 0)
        throw new SubmitError(intake.rejected.length ? "no usable image in the upload" : "no images sent", intake.rejected);
      await request.beforeCommit?.();
      const settled = await settleBatch(tx, opened.id, { ...fixed, ...batchOptions(input, role, settings) }, intake.stored);
      // The first snapshot commits with the batch, so a subscriber never finds a batch without one.
      await publishProgress(tx, settled.id);
      return { batch: settled, rejected: intake.rejected };
    });
    await notifyWork(deps.db);
    batchLog.started(deps.logger, batch);
    return { batchId: batch.id, totalImages: batch.totalImages, rejected, created: true };
  } catch (error) {
    if (error instanceof Replay) return { batchId: error.earlier.id, totalImages: error.earlier.totalImages, rejected: [], created: false };
    // Two uploads with one key at once: the one that lost the unique index answers with the winner.
    const earlier = idempotencyKey ? await findBatchByIdempotencyKey(deps.db, request.owner, idempotencyKey) : undefined;
    if (earlier) return { batchId: earlier.id, totalImages: earlier.totalImages, rejected: [], created: false };
    throw error;
  }
}

function batchOptions(input: SubmitOptions, role: Role, settings: Settings) {
  // Workers asked for without a mode mean a parallel run with that many, whatever the default mode.
  const mode = input.mode ?? (input.workers === undefined ? settings.defaultMode : "parallel");
  return {
    mode,
    workers: mode === "sequential" ? 1 : input.workers === "auto" ? AUTO_WORKERS_START : (input.workers ?? settings.defaultWorkers),
    workersAuto: mode !== "sequential" && input.workers === "auto",
    priority: input.priority ?? (role === "admin" ? 0 : 1),
    rerunOf: input.rerunOf,
    sourceUrl: input.sourceUrl,
    description: input.description,
    vendor: input.vendor,
    idempotencyKey: input.idempotencyKey,
    skipCache: input.skipCache,
  };
}

/** A submission whose files are all at hand (reruns, the REST routes, tests). */
export function submitBatch(
  deps: { db: Database; logger: Logger; engine: Engine },
  input: SubmitInput,
  role: Role,
  settings: Settings,
): Promise<SubmitResult> {
  const { owner, files, refused, ...options } = input;
  return submitUpload(deps, { owner, files, refused, options: () => options }, role, settings);
}
