import { createHash } from "node:crypto";
import { createBatch, notifyWork, type Database } from "@showscan/db";
import type { Logger } from "../logger";
import { batchLog } from "../pipeline/batch-log";
import { publishProgress } from "../pipeline/progress";
import { sniffImageType } from "./sniff";
import type { UploadLimits } from "./limits";

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export interface SubmitInput {
  owner: string;
  files: UploadFile[];
  /** Files refused before their bytes were read in full (too large while streaming). */
  refused?: Rejection[];
  workers: number;
  mode: "parallel" | "sequential";
  sourceUrl?: string | null;
  description?: string | null;
  idempotencyKey?: string | null;
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
 * starts afterwards, so the caller gets the batch id at once.
 */
export async function submitBatch(
  deps: { db: Database; logger: Logger; engine: string },
  input: SubmitInput,
  limits: UploadLimits,
): Promise<SubmitResult> {
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

  const { batch, created } = await createBatch(
    deps.db,
    {
      owner: input.owner,
      mode: input.mode,
      workers: input.mode === "sequential" ? 1 : input.workers,
      engine: deps.engine,
      sourceUrl: input.sourceUrl,
      description: input.description,
      idempotencyKey: input.idempotencyKey,
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
