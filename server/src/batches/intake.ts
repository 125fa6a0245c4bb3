import { createHash, randomUUID } from "node:crypto";
import { insertBatchImages, type Executor, type NewBatchImage } from "@showscan/db";
import type { UploadLimits } from "./limits";
import type { IncomingFile } from "./multipart";
import { safeFileName } from "./file-names";
import { sniffImageType } from "./sniff";

export interface Rejection {
  fileName: string;
  reason: string;
}

/** Megabytes as a person reads them: "10 MB", and "10.8 MB" for a file just over it (never "10 MB, at most 10 MB"). */
const mb = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

/**
 * Accepted files wait for one multi-row insert up to this many bytes or rows: a rerun of 30 small
 * screenshots is one statement, not 30 round trips, while a large file still goes on its own (a
 * larger group held a 1 GB upload 60 MB higher, in the driver's encoded copies).
 */
const FLUSH_BYTES = 1024 * 1024;
const FLUSH_ROWS = 100;

/**
 * Checks each file of an upload on its own and stores the good ones as they come, in the
 * batch's transaction: one bad file is named with its reason and never sinks the rest, and at
 * most FLUSH_BYTES of accepted files (and the one being read) are held at a time.
 */
export class BatchIntake {
  readonly rejected: Rejection[];
  stored = 0;
  private bytes = 0;
  /** Image ids by content hash: a second copy of the same bytes is stored as its duplicate. */
  private readonly byHash = new Map<string, string>();
  private pending: NewBatchImage[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly tx: Executor,
    private readonly batchId: string,
    private readonly limits: UploadLimits,
    refused: Rejection[] = [],
  ) {
    this.rejected = [...refused];
  }

  async add(file: IncomingFile): Promise<void> {
    const fileName = safeFileName(file.name);
    const reject = (reason: string) => void this.rejected.push({ fileName, reason });
    const { maxFiles, maxFileBytes, maxBatchBytes } = this.limits;
    if (this.stored >= maxFiles) return reject(`too many files: at most ${maxFiles} per batch`);
    if (file.truncated || file.bytes.byteLength > maxFileBytes) {
      const size = file.truncated ? `over ${mb(maxFileBytes)}` : mb(file.bytes.byteLength);
      return reject(`too large: ${size}, at most ${mb(maxFileBytes)} per file`);
    }
    if (this.bytes + file.bytes.byteLength > maxBatchBytes) return reject(`batch too large: at most ${mb(maxBatchBytes)} in all`);
    const type = await sniffImageType(file.bytes);
    if (!type.ok) return reject(type.reason);
    const content = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    const sha256 = createHash("sha256").update(content).digest("hex");
    const id = randomUUID();
    this.pending.push({
      id,
      batchId: this.batchId,
      position: this.stored,
      fileName,
      mimeType: type.mimeType,
      content,
      sha256,
      duplicateOf: this.byHash.get(sha256) ?? null,
    });
    if (!this.byHash.has(sha256)) this.byHash.set(sha256, id);
    this.stored += 1;
    this.bytes += file.bytes.byteLength;
    this.pendingBytes += content.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES || this.pending.length >= FLUSH_ROWS) await this.flush();
  }

  /** Stores what is still waiting; called once the last file is in. */
  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await insertBatchImages(this.tx, rows);
  }
}
