import { createHash } from "node:crypto";
import { createBatch, notifyWork, type BatchMode, type Database } from "@showscan/db";
import type { Engine } from "../engines/types";
import type { Logger } from "../logger";
import { batchLog } from "../pipeline/batch-log";
import { AUTO_WORKERS_START } from "../pipeline/auto-workers";
import { publishProgress } from "../pipeline/progress";
import type { Settings } from "../settings/schema";
import { sniffImageType } from "./sniff";
import { uploadLimits, type Role } from "./limits";

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export interface SubmitInput {
  owner: string;
  files: UploadFile[];
  /** Files refused before their bytes were read in full (too large while streaming). */
  refused?: Rejection[];
  /** Unset: the defaultWorkers setting. */
  workers?: number | "auto";
  /** Unset: 1 for a user's submission, 0 for an admin's bulk batch, so a singer's two screenshots go first. */
  priority?: number;
  /** Unset: parallel when workers are given, else the defaultMode setting. */
  mode?: BatchMode;
  sourceUrl?: string | null;
  description?: string | null;
  idempotencyKey?: string | null;
  /** The batch this one runs again. */
  rerunOf?: string | null;
  /** Analyse every image afresh instead of reusing earlier answers (an admin option; reruns). */
  skipCache?: boolean;
}

export interface Rejection {
  fileName: string;
  reason: string;
}

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

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Checks every file on its own and keeps the good ones: one bad file is named with its reason
 * and never sinks the rest. The batch and its images are stored in one transaction; analysis
 * starts afterwards, so the caller gets the batch id at once. `settings` are read by the caller
 * for this submission: the limits, defaults, model and budget the batch gets.
 */
export async function submitBatch(
  deps: { db: Database; logger: Logger; engine: Engine },
  input: SubmitInput,
  role: Role,
  settings: Settings,
): Promise<SubmitResult> {
  const limits = uploadLimits(role, settings);
  const rejected: Rejection[] = [...(input.refused ?? [])];
  const accepted: { fileName: string; mimeType: string; content: Buffer; sha256: string }[] = [];
  let total = 0;
  for (const file of input.files) {
    const reject = (reason: string) => rejected.push({ fileName: file.name, reason });
    if (accepted.length >= limits.maxFiles) {
      reject(`too many files: at most ${limits.maxFiles} per batch`);
      continue;
    }
    if (file.bytes.byteLength > limits.maxFileBytes) {
      reject(`too large: ${mb(file.bytes.byteLength)}, at most ${mb(limits.maxFileBytes)} per file`);
      continue;
    }
    if (total + file.bytes.byteLength > limits.maxBatchBytes) {
      reject(`batch too large: at most ${mb(limits.maxBatchBytes)} in all`);
      continue;
    }
    const type = await sniffImageType(file.bytes);
    if (!type.ok) {
      reject(type.reason);
      continue;
    }
    total += file.bytes.byteLength;
    const content = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    accepted.push({ fileName: file.name, mimeType: type.mimeType, content, sha256: createHash("sha256").update(content).digest("hex") });
  }
  if (accepted.length === 0) throw new SubmitError(rejected.length ? "no usable image in the upload" : "no images sent", rejected);

  // Workers asked for without a mode mean a parallel run with that many, whatever the default mode.
  const mode = input.mode ?? (input.workers === undefined ? settings.defaultMode : "parallel");
  // The model and budget settings are the Gemini engine's; another engine's batches record none.
  const gemini = deps.engine.name === "gemini";
  const { batch, created } = await createBatch(
    deps.db,
    {
      owner: input.owner,
      mode,
      workers: mode === "sequential" ? 1 : input.workers === "auto" ? AUTO_WORKERS_START : (input.workers ?? settings.defaultWorkers),
      workersAuto: mode !== "sequential" && input.workers === "auto",
      priority: input.priority ?? (role === "admin" ? 0 : 1),
      engine: deps.engine.name,
      model: gemini ? settings.model : null,
      geminiRpm: gemini ? settings.geminiRpm : null,
      rerunOf: input.rerunOf,
      sourceUrl: input.sourceUrl,
      description: input.description,
      idempotencyKey: input.idempotencyKey,
      skipCache: input.skipCache,
      images: accepted,
    },
    // The first snapshot commits with the batch, so a subscriber never finds a batch without one.
    (tx, created) => publishProgress(tx, created.id),
  );
  if (created) {
    await notifyWork(deps.db);
    batchLog.started(deps.logger, batch);
  }
  return { batchId: batch.id, totalImages: batch.totalImages, rejected, created };
}
