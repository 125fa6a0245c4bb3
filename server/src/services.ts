import type { Database } from "@showscan/db";
import type { ImageLinks } from "./auth/image-links";
import type { Role } from "./batches/limits";
import type { SubmitInput, SubmitResult, UploadRequest } from "./batches/submit";
import type { Engine } from "./engines/types";
import type { Logger } from "./logger";
import type { Dispatcher } from "./pipeline/dispatcher";
import type { PipelineMetrics } from "./pipeline/metrics";
import type { ProgressBus } from "./pipeline/progress-bus";
import type { WorkerPool } from "./pool/pool";
import type { LimiterByPoints } from "./settings/limiter";
import type { Settings } from "./settings/schema";
import type { SettingsStore } from "./settings/store";

/**
 * What request handlers and procedures reach the service through. It lives apart from app.ts,
 * which builds it, so that handlers import this and app.ts imports them: one direction only.
 */
export interface Services {
  db: Database;
  engine: Engine;
  logger: Logger;
  dispatcher: Dispatcher;
  bus: ProgressBus;
  metrics: PipelineMetrics;
  /** CPU work off the event loop (thumbnails). */
  pool: WorkerPool;
  settings: SettingsStore;
  /** Users' batches per minute, for the limit the settings name at the time. */
  analyzeLimiter: LimiterByPoints;
  imageLinks: ImageLinks;
  /** The sample screenshots for the first-run demo; null: none installed. */
  samplesDir: string | null;
  /** Stores a batch under the settings read for this submission (read here when not given), and starts it. */
  submit(input: SubmitInput, role: Role, settings?: Settings): Promise<SubmitResult>;
  /** The same for an upload whose files and options arrive as it streams in. */
  submitUpload(request: UploadRequest, role: Role, settings: Settings): Promise<SubmitResult>;
}
