import { availableParallelism } from "node:os";
import {
  attemptFinished,
  claimImages,
  extendLeases,
  listRunnableBatches,
  passSlot,
  setBatchWorkers,
  takeSlot,
  type ClaimedImage,
  type Database,
  type RunnableBatch,
} from "@showscan/db";
import type { Engine } from "../engines/types";
import type { Logger } from "../logger";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import { runAttempt, type AttemptCache, type AttemptResult, type HeldClaim } from "./attempt";
import { AUTO_WORKERS_MAX, chooseWorkers, RecentMean, worthChanging } from "./auto-workers";
import { batchLog } from "./batch-log";
import { BatchWindow } from "./batch-window";
import { MemoryPeaks } from "./memory-peaks";
import { analysisKey, findCached, type CacheHit } from "./cache";
import type { PipelineMetrics } from "./metrics";
import type { ConcurrencyCap } from "./process-load";
import { publishProgress } from "./progress";
import type { QuotaGate } from "./quota";
import { recordAttempt } from "./record";
import { Recorder } from "./recorder";
import { untilReachable } from "../until-reachable";
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
  /** Lowers `maxConcurrency` while the process is overloaded (process-load.ts). */
  load?: ConcurrencyCap;
}

/**
 * Answers after which no other image of the batch should reach the engine for now: a bad key
 * stops the batch, a spent daily quota pauses it (see record.ts).
 */
const holdsTheBatch = (errorClass: string) => errorClass === "config" || errorClass === "quotaExhausted";

/** How many of its latest answers an 'auto' batch's figures average. */
const AUTO_SAMPLES = 32;

/** Prepared ahead per batch, beyond the images at the API: enough to cover one prepare. */
const lookAhead = (workers: number) => Math.min(workers, 4);

interface Held {
  claim: HeldClaim;
  controller: AbortController;
  done: Promise<void>;
  /** Holds a place in the window: its request is at the API (or waits for the key's quota). */
  atApi: boolean;
}

/** A batch's window here, with what `workers: 'auto'` measures to size it. */
interface Lane {
  window: BatchWindow;
  /**
   * `sized`: the first choice is made, from what earlier batches measured here if anything.
   * `sinceChoice`: answers since the window was last chosen.
   */
  auto: { request: RecentMean; prepare: RecentMean; sized: boolean; sinceChoice: number } | null;
  rpm: number | null;
}

/**
 * Keeps every running batch's requests back to back: images are claimed and prepared ahead of
 * their request (a bounded look-ahead, so memory stays bounded), and when a request answers,
 * its place in the window goes to the next prepared image at once, while the record of the
 * answer commits beside it. Claims and places go through Postgres, so any number of processes
 * share the work of one batch, never exceed its window together, and take over images whose
 * holder died (what it claimed ahead returns to the queue when its lease runs out).
 */
export class Dispatcher {
  private readonly held = new Map<number, Held>();
  private readonly lanes = new Map<string, Lane>();
  /** Requests at the API from this process, over all batches. */
  private calling = 0;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  /** Aborted when stopping gives up on what it still holds: a record waiting for the database stops waiting. */
  private readonly giveUp = new AbortController();
  /** Lease length: a whole attempt plus a margin for quota waits and recording. */
  private readonly leaseMs: number;
  /** Each batch's memory peak while its images ran here, stored with its figures. */
  private readonly memory: MemoryPeaks;
  /**
   * What every batch's requests and prepares measured here: where an 'auto' batch starts, so it
   * does not spend its first requests climbing from a guess to the window the work needs.
   */
  private readonly measured = { request: new RecentMean(), prepare: new RecentMean() };
  private readonly recorder: Recorder;

  constructor(private readonly o: DispatcherOptions) {
    this.leaseMs = o.imageTimeoutMs + 15_000;
    this.memory = new MemoryPeaks(o.pool, () => [...new Set([...this.held.values()].map((h) => h.claim.batchId))]);
    this.recorder = new Recorder({ db: o.db, owner: o.owner, policy: o.retryPolicy, memoryPeak: (batchId) => this.memory.take(batchId) });
  }

  start(): void {
    this.timers = [setInterval(() => this.kick(), this.o.pollMs ?? 1_000), setInterval(() => this.renewLeases(), this.leaseMs / 3)];
    for (const timer of this.timers) timer.unref();
    this.memory.start();
    this.kick();
  }

  /** Asks for a claim round soon; rounds never overlap, a kick during one causes another. */
  kick(): void {
    if (this.stopped) return;
    // A place refused because other processes filled the window is asked for again now.
    for (const lane of this.lanes.values()) lane.window.grant();
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

  /** Requests at the API from this process now. */
  get inFlight(): number {
    return this.calling;
  }

  /** Aborts this process's attempts on a batch (it was cancelled or stopped). */
  abortBatch(batchId: string, reason: string): void {
    for (const entry of this.held.values()) if (entry.claim.batchId === batchId) entry.controller.abort(reason);
  }

  /**
   * Stops claiming. Images claimed ahead go back to the queue at once; requests already at the
   * API may answer for `graceMs` (their answers are recorded, not thrown away and paid for
   * again), then whatever is still held is handed back too.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    const [claimTimer, leaseTimer] = this.timers;
    clearInterval(claimTimer);
    this.memory.stop();
    // A claim round under way may still launch what it claimed; launch() aborts those at once.
    await this.pumping;
    for (const entry of this.held.values()) if (!entry.atApi) entry.controller.abort("server shutting down");
    const atApi = [...this.held.values()].filter((e) => e.atApi).map((e) => e.done);
    if (atApi.length > 0 && graceMs > 0) {
      // Leases are still renewed meanwhile: a grace longer than the lease must not lose them.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled(atApi), deadline]);
      clearTimeout(timer);
    }
    clearInterval(leaseTimer);
    this.giveUp.abort("server shutting down");
    while (this.held.size > 0) {
      for (const entry of this.held.values()) entry.controller.abort("server shutting down");
      await Promise.allSettled([...this.held.values()].map((e) => e.done));
    }
  }

  /**
   * Most requests at the API now. Under a lowered cap nothing is cancelled: requests out finish,
   * and no new one starts (nor is claimed beyond the look-ahead) until the count is under it.
   */
  private get cap(): number {
    return Math.min(this.o.maxConcurrency, this.o.load?.cap ?? Number.POSITIVE_INFINITY);
  }

  /** The most images held here (at the API or prepared ahead): what bounds the bytes in memory. */
  private get heldCap(): number {
    return this.cap + lookAhead(this.cap);
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.held.size < this.heldCap) {
      const batches = await listRunnableBatches(this.o.db);
      let claimedAny = false;
      for (const batch of batches) {
        if (this.stopped || this.held.size >= this.heldCap) break;
        const fresh = !this.lanes.has(batch.batchId);
        const lane = this.laneFor(batch);
        const mine = [...this.held.values()].filter((h) => h.claim.batchId === batch.batchId).length;
        const want = Math.min(lane.window.workers + lookAhead(lane.window.workers) - mine, this.heldCap - this.held.size);
        if (want <= 0) continue;
        const claimed = await this.o.db.transaction(async (tx) => {
          const claims = await claimImages(tx, {
            batchId: batch.batchId,
            owner: this.o.owner,
            engine: this.o.engine.name,
            leaseMs: this.leaseMs,
            max: want,
          });
          // The batch's first claim here may start it: subscribers see it running.
          if (claims.length && fresh) await publishProgress(tx, batch.batchId);
          return claims;
        });
        // The lane again: it may have been dropped as idle while the claim was under way, and an
        // image in a dropped lane would never hear the kicks that retry a refused place.
        for (const claim of claimed) this.launch(claim, this.laneFor(batch));
        claimedAny ||= claimed.length > 0;
      }
      if (!claimedAny) return;
    }
  }

  private laneFor(batch: RunnableBatch): Lane {
    let lane = this.lanes.get(batch.batchId);
    if (!lane) {
      const window = new BatchWindow(
        {
          takeSlot: (image, release) =>
            takeSlot(this.o.db, { batchId: batch.batchId, owner: this.o.owner, leaseMs: this.leaseMs, image, release }),
          // The next request is out already: while the database is away the move waits for it
          // (and so does the old request's record), rather than stop a request that is paid for.
          passSlot: (from, to) =>
            untilReachable(() => passSlot(this.o.db, { owner: this.o.owner, leaseMs: this.leaseMs, from, to }), this.giveUp.signal),
          processHasRoom: () => this.calling < this.cap,
          mayKeep: () => this.calling <= this.cap,
          lost: (image) => {
            this.o.logger.warn({ batchId: batch.batchId, imageId: image.imageId }, "a request's place in the window did not pass to it");
            for (const h of this.held.values())
              if (h.claim.imageId === image.imageId && h.claim.attemptNumber === image.attemptNumber)
                h.controller.abort("lost its place in the window");
          },
          changed: (delta) => {
            this.calling += delta;
            // A place given up here may be what another batch's waiter needs under the process cap.
            if (delta < 0) for (const other of this.lanes.values()) if (other.window !== window) other.window.grant();
          },
          failed: (error) => this.o.logger.warn({ err: error, batchId: batch.batchId }, "taking a place in the window failed"),
        },
        batch.workers,
        batch.priority,
      );
      const { request, prepare } = this.measured;
      const auto = batch.workersAuto
        ? {
            request: new RecentMean(AUTO_SAMPLES, request.recent),
            prepare: new RecentMean(AUTO_SAMPLES, prepare.recent),
            sized: false,
            sinceChoice: 0,
          }
        : null;
      lane = { window, auto, rpm: null };
      this.lanes.set(batch.batchId, lane);
    }
    // Another process's 'auto' choice, or an admin's priority change, reaches this one here.
    if (!lane.auto || lane.window.workers !== batch.workers) lane.window.workers = batch.workers;
    lane.window.priority = batch.priority;
    return lane;
  }

  private launch(claimed: ClaimedImage, lane: Lane): void {
    const { content, ...claim } = claimed;
    lane.rpm = claim.geminiRpm;
    if (lane.auto && !lane.auto.sized) {
      lane.auto.sized = true;
      this.sizeAuto(claim.batchId, lane, true);
    }
    const controller = new AbortController();
    // Claimed while shutting down: hand it straight back (recorded as cancelled, requeued).
    if (this.stopped) controller.abort("server shutting down");
    const done = this.process(claim, content, lane, controller.signal)
      // A failed record (connection lost, deadlock) must not take the process down: the lease
      // runs out and another claim picks the image up.
      .catch((error: unknown) =>
        this.o.logger.error({ err: error, batchId: claim.batchId, imageId: claim.imageId }, "recording an attempt failed"),
      )
      .finally(() => {
        this.held.delete(claim.attemptId);
        this.dropIdleLane(claim.batchId);
        this.kick();
      });
    this.held.set(claim.attemptId, { claim, controller, done, atApi: false });
  }

  private async process(claim: HeldClaim, content: Buffer, lane: Lane, cancel: AbortSignal): Promise<void> {
    const { o } = this;
    const image = { imageId: claim.imageId, attemptNumber: claim.attemptNumber };
    const attempt = await runAttempt(
      claim,
      content,
      {
        engine: o.engine,
        pool: o.pool,
        quota: o.quota,
        timeoutMs: o.imageTimeoutMs,
        cache: this.cacheFor(claim),
        enterWindow: async (signal) => {
          const leave = await lane.window.enter(image, signal);
          this.setAtApi(claim.attemptId, true);
          return (answer) => {
            this.setAtApi(claim.attemptId, false);
            // Before the place passes on: the next request must already meet the pause, or the stop.
            if (!answer.ok && answer.error.errorClass === "rateLimited") o.quota.pauseFor(answer.error.details.retryAfterMs ?? 5_000);
            if (!answer.ok && holdsTheBatch(answer.error.errorClass)) lane.window.close();
            leave();
          };
        },
      },
      cancel,
    );
    this.resizeAuto(claim.batchId, lane, attempt);

    // The answer is paid for: while the database is away, keep it and record it once it is back,
    // rather than lose it and ask again after the lease runs out. Recording checks the lease in
    // its transaction, so a record that comes too late (the image was taken over) changes nothing.
    // A try whose COMMIT went through but whose answer was lost with the connection must not be
    // recorded again (it would mark its own counted attempt as lease_expired): a retry first
    // checks that the attempt is still open.
    let tries = 0;
    // An answer that stops or pauses the batch goes alone; the others join the batch's group.
    const record =
      !attempt.ok && holdsTheBatch(attempt.error.errorClass)
        ? () => recordAttempt(o.db, claim, o.owner, attempt, o.retryPolicy, () => this.memory.take(claim.batchId))
        : () => this.recorder.record({ claim, attempt });
    // Until the database has moved this request's place on, its record would end it early.
    await lane.window.settled(image);
    const recorded = await untilReachable(
      async () => (tries++ > 0 && (await attemptFinished(o.db, claim.attemptId)) ? null : record()),
      this.giveUp.signal,
    ).finally(() => lane.window.recorded(image));
    if (!recorded) return;
    o.metrics?.attempt(o.engine.name, attempt, recorded);
    batchLog.attempt(o.logger, claim, attempt);
    const { batch } = recorded;
    if (!attempt.ok && holdsTheBatch(attempt.error.errorClass) && !recorded.stopped) {
      // A spent daily quota paused the batch: what is held here ahead of its request goes back
      // to the queue until the batch resumes (see applyImageOutcome), then the window reopens.
      // A stop that did not happen (the attempt had lost its lease) just carries on.
      if (attempt.error.errorClass === "quotaExhausted")
        for (const h of this.held.values()) if (h.claim.batchId === claim.batchId && !h.atApi) h.controller.abort(attempt.error.message);
      lane.window.open();
    }
    if (!batch) return;
    if (recorded.metrics) o.metrics?.batchFinished(batch.status);
    if (recorded.stopped) this.abortBatch(batch.id, batch.error ?? "batch stopped");
    if (recorded.retryInMs !== null) setTimeout(() => this.kick(), recorded.retryInMs + 5).unref();
    batchLog.progressed(o.logger, batch, recorded.processedBefore);
    if (recorded.metrics) batchLog.finished(o.logger, batch, recorded.metrics);
  }

  /** `workers: 'auto'`: re-sizes the window from what the last requests measured. */
  private resizeAuto(batchId: string, lane: Lane, attempt: AttemptResult): void {
    if (!attempt.ok || attempt.source !== "engine") return;
    // The thread's own time, not the attempt's wait for a thread: a pool that queues because the
    // window is too big would otherwise read as a slow pool and shrink it, then as a fast one.
    const prepareMs = attempt.prepared.workMs;
    const requestMs = attempt.latencyMs - attempt.prepareMs;
    this.measured.request.add(requestMs);
    this.measured.prepare.add(prepareMs);
    if (!lane.auto) return;
    lane.auto.request.add(requestMs);
    lane.auto.prepare.add(prepareMs);
    // A choice stands for a couple of rounds of the window: sooner, it follows the latency's tail.
    if (++lane.auto.sinceChoice < Math.max(8, 2 * lane.window.workers)) return;
    lane.auto.sinceChoice = 0;
    this.sizeAuto(batchId, lane, false);
  }

  /** `first`: the batch's first choice, taken whatever it is; later ones only when worth a change. */
  private sizeAuto(batchId: string, lane: Lane, first: boolean): void {
    if (!lane.auto || lane.auto.request.value === null) return;
    const workers = chooseWorkers({
      requestMs: lane.auto.request.value,
      prepareMs: lane.auto.prepare.value ?? 0,
      // The cores the pool really has: one goes to the main thread (requests, records, sockets)
      // and the database beside it, whatever the pool's size.
      poolThreads: Math.min(this.o.pool.threads, Math.max(1, availableParallelism() - 1)),
      rpm: lane.rpm,
      cap: Math.min(AUTO_WORKERS_MAX, this.o.maxConcurrency),
    });
    if (workers === lane.window.workers || (!first && !worthChanging(lane.window.workers, workers))) return;
    this.setAuto(batchId, lane, workers);
  }

  private setAuto(batchId: string, lane: Lane, workers: number): void {
    lane.window.workers = workers;
    lane.window.grant();
    setBatchWorkers(this.o.db, batchId, workers).catch((error: unknown) =>
      this.o.logger.warn({ err: error, batchId }, "storing the chosen workers failed"),
    );
  }

  private setAtApi(attemptId: number, atApi: boolean): void {
    const held = this.held.get(attemptId);
    if (held) held.atApi = atApi;
  }

  private dropIdleLane(batchId: string): void {
    const lane = this.lanes.get(batchId);
    if (!lane || lane.window.calling > 0 || lane.window.waiting > 0) return;
    for (const h of this.held.values()) if (h.claim.batchId === batchId) return;
    this.lanes.delete(batchId);
  }

  /** One statement renews every lease held here; an image no longer held is given up. */
  private renewLeases(): void {
    const held = [...this.held.values()];
    extendLeases(this.o.db, {
      owner: this.o.owner,
      leaseMs: this.leaseMs,
      held: held.map((h) => ({ imageId: h.claim.imageId, attemptNumber: h.claim.attemptNumber })),
    }).then(
      (still) => {
        for (const h of held) if (!still.has(h.claim.imageId) && this.held.has(h.claim.attemptId)) h.controller.abort("lease lost");
      },
      (error: unknown) => this.o.logger.warn({ err: error }, "renewing leases failed"),
    );
  }

  /** The claim's analysis key, and its lookup unless the batch asked for a fresh analysis. */
  private cacheFor(claim: HeldClaim): AttemptCache | null {
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
