import { Gauge, Histogram, type Registry } from "prom-client";
import type { QueueDepth } from "@showscan/db";
import type { ThreadMemory } from "../pool/memory";
import type { WorkerPool } from "../pool/pool";
import { LOAD_REASONS, type ProcessLoad } from "./process-load";

export interface ScrapeSources {
  inFlight(): number;
  /** Unfinished images in the database: every process's, so the figure is right whichever one is scraped. */
  queueDepth(): Promise<QueueDepth>;
  pool: WorkerPool;
  load: Pick<ProcessLoad, "cap" | "reason">;
  /** A failed scrape-time read is logged, and the rest of the scrape still answers. */
  onError(what: string, error: unknown): void;
}

/** How long a scrape waits for idle worker threads to report their heap. */
const MEMORY_TIMEOUT_MS = 500;

/** Gauges read when /metrics is scraped, plus the pool's task timings. */
export function registerScrapeGauges(registry: Registry, s: ScrapeSources): void {
  const registers = [registry];
  new Gauge({
    name: "showscan_images_in_flight",
    help: "Images being analysed by this process",
    registers,
    collect() {
      this.set(s.inFlight());
    },
  });
  new Gauge({
    name: "showscan_concurrency_cap",
    help: "Most images this process may have in flight now: MAX_CONCURRENCY, lower while the process is overloaded",
    registers,
    collect() {
      this.set(s.load.cap);
    },
  });
  new Gauge({
    name: "showscan_concurrency_cap_reason",
    help: "Why the cap is where it is: 1 for the current reason (ok, eventLoopLag, memory, recovering), 0 for the others",
    labelNames: ["reason"] as const,
    registers,
    collect() {
      for (const reason of LOAD_REASONS) this.set({ reason }, s.load.reason === reason ? 1 : 0);
    },
  });
  new Gauge({
    name: "showscan_queue_depth_images",
    help: "Unfinished images in the database over every process: queued (waiting for a claim or a retry) and running",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      try {
        const depth = await s.queueDepth();
        this.set({ state: "queued" }, depth.queued);
        this.set({ state: "running" }, depth.running);
      } catch (error) {
        // No figure beats a stale one: the series go missing while the database is away.
        this.reset();
        s.onError("queue depth", error);
      }
    },
  });
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  poolGauge("showscan_worker_pool_threads", "Live worker threads", () => s.pool.stats().threads);
  poolGauge("showscan_worker_pool_busy_threads", "Worker threads running a task now", () => s.pool.stats().busy);
  poolGauge("showscan_worker_pool_queued_tasks", "Tasks waiting for a free worker thread", () => s.pool.stats().queued);
  poolGauge("showscan_worker_pool_utilization", "Busy threads over live threads, now (0 to 1)", () => {
    const { threads, busy } = s.pool.stats();
    return threads > 0 ? Math.min(1, busy / threads) : 0;
  });

  const taskSeconds = new Histogram({
    name: "showscan_worker_task_duration_seconds",
    help: "Worker pool tasks by name and result, queueing included; rate(sum) over threads is the pool's utilisation",
    labelNames: ["task", "result"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers,
  });
  s.pool.onTaskDone((task, seconds, ok) => taskSeconds.observe({ task, result: ok ? "ok" : "error" }, seconds));

  // The registry collects every metric of a scrape at once, so the three memory gauges share
  // one question to the threads.
  let reading: Promise<ThreadMemory[]> | null = null;
  const readMemory = () =>
    (reading ??= s.pool
      .memory(MEMORY_TIMEOUT_MS)
      .catch((error: unknown) => {
        s.onError("worker memory", error);
        return [];
      })
      .finally(() => {
        reading = null;
      }));
  const heapGauge = (name: string, help: string, pick: (t: ThreadMemory) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["thread"] as const,
      registers,
      // A busy thread does not answer: its last figure stays.
      async collect() {
        for (const t of await readMemory()) this.set({ thread: String(t.threadId) }, pick(t));
      },
    });
  heapGauge("showscan_worker_heap_used_bytes", "V8 heap in use in each worker thread (its own isolate)", (t) => t.heapUsedBytes);
  heapGauge("showscan_worker_heap_total_bytes", "V8 heap reserved by each worker thread", (t) => t.heapTotalBytes);
  new Gauge({
    name: "showscan_worker_memory_reporting_threads",
    help: "Worker threads that reported their heap in this scrape (busy ones are skipped)",
    registers,
    async collect() {
      this.set((await readMemory()).length);
    },
  });
}
