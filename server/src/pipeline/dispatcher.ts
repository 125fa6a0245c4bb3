import { claimImages, extendLease, listRunnableBatches, type ClaimedImage, type Database } from "@showscan/db";
import type { Engine } from "../engines/types";
import type { Logger } from "../logger";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import { runAttempt, type AttemptCache } from "./attempt";
import { batchLog } from "./batch-log";
import { MemoryPeaks } from "./memory-peaks";
import { analysisKey, findCached, type CacheHit } from "./cache";
import type { PipelineMetrics } from "./metrics";
import { publishProgress } from "./progress";
import type { QuotaGate } from "./quota";
import { recordAttempt } from "./record";
import type { RetryPolicy } from "./retry-policy";

export interface DispatcherOptions {
  db: Database;
  engine: Engine;
  pool: WorkerPool;
  quota: QuotaGate;
  logger: Logger;
  retryPolicy: RetryPolicy;
  /** Identifies this process in leases and attempt rows. */
  owner: string;
  /** Most images in flight in this process, over all batches. */
  maxConcurrency: number;
  imageTimeoutMs: number;
  /** How often to look for due retries and expired leases. */
  pollMs?: number;
  metrics?: PipelineMetrics;
}

/**
 * Keeps every running batch's window full: as soon as one image finishes, the next one is
 * claimed, never waiting for a whole group. Claims go through Postgres, so any number of
 * processes share the work of one batch and take over images whose holder died.
 */
export class Dispatcher {
  private readonly running = new Map<number, { batchId: string; controller: AbortController; done: Promise<void> }>();
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Lease length: a whole attempt plus a margin for quota waits and recording. */
  private readonly leaseMs: number;
  /** Each batch's memory peak while its images ran here, stored with its figures. */
  private readonly memory: MemoryPeaks;

  constructor(private readonly o: DispatcherOptions) {
    this.leaseMs = o.imageTimeoutMs + 15_000;
    this.memory = new MemoryPeaks(o.pool, () => [...this.running.values()].map((entry) => entry.batchId));
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.pollMs ?? 1_000);
    this.timer.unref();
    this.memory.start();
    this.kick();
  }

  /** Asks for a claim round soon; rounds never overlap, a kick during one causes another. */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping !== null) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => this.o.logger.error({ err: error }, "dispatcher round failed"))
      .finally(() => {
        this.pumping = null;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.kick();
        }
      });
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Aborts this process's attempts on a batch (it was cancelled or stopped). */
  abortBatch(batchId: string, reason: string): void {
    for (const entry of this.running.values()) if (entry.batchId === batchId) entry.controller.abort(reason);
  }

  /** Stops claiming; attempts under way are aborted and handed back to the queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.memory.stop();
    // A claim round under way may still launch what it claimed; launch() aborts those at once.
    await this.pumping;
    while (this.running.size > 0) {
      for (const entry of this.running.values()) entry.controller.abort("server shutting down");
      await Promise.allSettled([...this.running.values()].map((e) => e.done));
    }
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.running.size < this.o.maxConcurrency) {
      const batches = await listRunnableBatches(this.o.db);
      let claimedAny = false;
      for (const batch of batches) {
        const room = this.o.maxConcurrency - this.running.size;
        if (room <= 0 || this.stopped) break;
        const claimed = await this.o.db.transaction(async (tx) => {
          const claims = await claimImages(tx, {
            batchId: batch.batchId,
            owner: this.o.owner,
            engine: this.o.engine.name,
            leaseMs: this.leaseMs,
            max: room,
          });
          if (claims.length) await publishProgress(tx, batch.batchId);
          return claims;
        });
        for (const claim of claimed) this.launch(claim);
        claimedAny ||= claimed.length > 0;
      }
      if (!claimedAny) return;
    }
  }

  private launch(claim: ClaimedImage): void {
    const controller = new AbortController();
    // Claimed while shutting down: hand it straight back (recorded as cancelled, requeued).
    if (this.stopped) controller.abort("server shutting down");
    const done = this.process(claim, controller.signal)
      // A failed record (connection lost, deadlock) must not take the process down: the lease
      // runs out and another claim picks the image up.
      .catch((error: unknown) =>
        this.o.logger.error({ err: error, batchId: claim.batchId, imageId: claim.imageId }, "recording an attempt failed"),
      )
      .finally(() => {
        this.running.delete(claim.attemptId);
        this.kick();
      });
    this.running.set(claim.attemptId, { batchId: claim.batchId, controller, done });
  }

  private async process(claim: ClaimedImage, cancel: AbortSignal): Promise<void> {
    const { o } = this;
    const attempt = await runAttempt(
      claim,
      {
        engine: o.engine,
        pool: o.pool,
        quota: o.quota,
        timeoutMs: o.imageTimeoutMs,
        renewLease: () =>
          extendLease(o.db, { imageId: claim.imageId, owner: o.owner, attemptNumber: claim.attemptNumber, leaseMs: this.leaseMs }),
        leaseMs: this.leaseMs,
        cache: this.cacheFor(claim),
      },
      cancel,
    );
    if (!attempt.ok && attempt.error.errorClass === "rateLimited") o.quota.pauseFor(attempt.error.details.retryAfterMs ?? 5_000);

    // Under the process's cap the freed slot goes straight to this batch's next image; at the
    // cap it goes back to the pump, which offers it to the least-served batch first.
    const handOver =
      !this.stopped && this.running.size < o.maxConcurrency ? { owner: o.owner, engine: o.engine.name, leaseMs: this.leaseMs } : null;
    const recorded = await recordAttempt(o.db, claim, o.owner, attempt, o.retryPolicy, handOver, () => this.memory.take(claim.batchId));
    if (recorded.next) this.launch(recorded.next);
    o.metrics?.attempt(o.engine.name, attempt, recorded);
    batchLog.attempt(o.logger, claim, attempt);
    const { batch } = recorded;
    if (!batch) return;
    if (recorded.metrics) o.metrics?.batchFinished(batch.status);
    if (recorded.stopped) this.abortBatch(batch.id, batch.error ?? "batch stopped");
    if (recorded.retryInMs !== null) setTimeout(() => this.kick(), recorded.retryInMs + 5).unref();
    batchLog.progressed(o.logger, batch, recorded.processedBefore);
    if (recorded.metrics) batchLog.finished(o.logger, batch, recorded.metrics);
  }

  /** The claim's analysis key, and its lookup unless the batch asked for a fresh analysis. */
  private cacheFor(claim: ClaimedImage): AttemptCache | null {
    const key = analysisKey(this.o.engine, claim.model);
    if (key === null) return null;
    if (claim.skipCache) return { analysisKey: key, find: null };
    return {
      analysisKey: key,
      find: async (prepared: PreparedBytes): Promise<CacheHit | null> => {
        try {
          return await findCached(this.o.db, { imageId: claim.imageId, analysisKey: key, prepared });
        } catch (error) {
          // A failed lookup costs a request, never the image: analyse it as if nothing matched.
          this.o.logger.warn({ err: error, batchId: claim.batchId, imageId: claim.imageId }, "cache lookup failed");
          return null;
        }
      },
    };
  }
}
