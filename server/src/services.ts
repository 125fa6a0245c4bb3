import type { Database } from "@showscan/db";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { Role } from "./batches/limits";
import type { SubmitInput, SubmitResult } from "./batches/submit";
import type { Engine } from "./engines/types";
import type { Logger } from "./logger";
import type { Dispatcher } from "./pipeline/dispatcher";
import type { PipelineMetrics } from "./pipeline/metrics";
import type { ProgressBus } from "./pipeline/progress-bus";

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
  analyzeLimiter: RateLimiterAbstract;
  submit(input: SubmitInput, role: Role): Promise<SubmitResult>;
}
