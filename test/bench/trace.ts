import { readdirSync, readFileSync } from "node:fs";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { AsyncLocalStorage } from "node:async_hooks";
import { QueryPromise, sql } from "drizzle-orm";
import type { Database } from "../../db/src/index";
import type { Engine } from "../../server/src/engines/types";
import type { WorkerPool } from "../../server/src/pool/pool";

/**
 * Light instrumentation around the real service, to see where a slot's time goes between one
 * image's measured time ending and the next one's starting. Nothing here changes behaviour: the
 * engine and the database handle are the real ones, wrapped to note timestamps.
 */

/** Milliseconds on the process's monotonic clock; every span below uses it, so they compare exactly. */
export const nowMs = () => performance.now();

export type SpanLabel = "claim" | "record" | "list" | "lease" | "prepare" | "analyze" | "other";
export interface Span {
  label: SpanLabel;
  start: number;
  end: number;
  /** Transactions: statements run inside. */
  statements?: number;
  /** Claim transactions: the images claimed, as `imageId#attemptNumber`. */
  claimed?: string[];
}

/** finish: an image ended; again: a round asked for during a round; notice: a progress NOTIFY; timer: pollMs or a retry's timer; work: an upload's NOTIFY. */
export type KickSource = "finish" | "again" | "notice" | "timer" | "submit" | "work" | "other";

/**
 * What-if experiments, for investigation only (never on by default): each emulates, from the
 * outside, one change proposed in BENCHMARKS.md, to measure what it would gain.
 * - full-windows: the runnable-batches query leaves out batches whose window is full, so a
 *   round with nothing to claim opens no claim transaction.
 * - no-notice-kick: progress NOTIFYs do not start claim rounds (finishes and the timer still do).
 * - no-lease-extend: the lease is not pushed forward before each attempt (the claim's lease
 *   already covers the attempt's timeout when the quota gate did not wait).
 */
export const EXPERIMENTS = ["full-windows", "no-notice-kick", "no-lease-extend"] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

export interface StatementTiming {
  what: string;
  start: number;
  end: number;
}
export interface TimedTransaction {
  label: SpanLabel;
  start: number;
  end: number;
  claimed: number;
  timings: StatementTiming[];
}

const statementContext = new AsyncLocalStorage<StatementTiming[]>();
let queryPromisePatched = false;

/** A short name for a statement: its verb and first table, or the function it calls. */
function describeStatement(query: unknown): string {
  let text = "";
  try {
    const q = query as { toSQL?: () => { sql: string }; getQuery?: () => { sql: string } };
    text = q.toSQL?.().sql ?? q.getQuery?.().sql ?? "";
  } catch {
    text = "";
  }
  const flat = text.replace(/\s+/g, " ").trim().toLowerCase();
  const table = (re: RegExp) => re.exec(flat)?.[1] ?? "?";
  if (flat.startsWith("select pg_notify")) return "select pg_notify";
  if (flat.startsWith("select (select count")) return "select progress figures (3 counts over images)";
  if (flat.startsWith("with ")) return `with ... update ${table(/\) update "?(\w+)"?/)} (claim images)`;
  if (/^select count\(/.test(flat)) return `select count(*) from ${table(/ from "?(\w+)"?/)}`;
  if (flat.startsWith("select") && flat.includes("for update")) return `select ${table(/ from "?(\w+)"?/)} for update skip locked`;
  const m = /^(update|insert into|delete from|select .*? from) "?(\w+)"?/.exec(flat);
  if (m) return `${m[1]!.startsWith("select") ? "select" : m[1]} ${m[2]}`;
  return flat.slice(0, 40) || "(unknown)";
}

/**
 * Times every Drizzle statement run inside a traced transaction (patches QueryPromise.then in
 * this process; behaviour unchanged). Opt-in: it adds a little work to every statement.
 */
function patchQueryPromise(): void {
  if (queryPromisePatched) return;
  queryPromisePatched = true;
  const original = QueryPromise.prototype.then;
  QueryPromise.prototype.then = function <A, B>(
    this: QueryPromise<unknown>,
    onFulfilled?: ((v: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((e: unknown) => B | PromiseLike<B>) | null,
  ) {
    const log = statementContext.getStore();
    if (!log) return original.call(this, onFulfilled, onRejected) as Promise<A | B>;
    const what = describeStatement(this);
    const start = nowMs();
    const note = () => log.push({ what, start, end: nowMs() });
    return original.call(
      this,
      (v: unknown) => {
        note();
        return onFulfilled ? onFulfilled(v) : (v as A);
      },
      (e: unknown) => {
        note();
        if (onRejected) return onRejected(e);
        throw e;
      },
    ) as Promise<A | B>;
  };
}

export class Trace {
  /** Transactions with every statement's timing (only when statement timing is on). */
  readonly statementLog: TimedTransaction[] | undefined;

  constructor(
    readonly experiments: ReadonlySet<Experiment> = new Set(),
    timeStatements = false,
  ) {
    if (timeStatements) {
      patchQueryPromise();
      this.statementLog = [];
    }
  }

  readonly spans: Span[] = [];
  /** fileName -> when the engine's analyze() returned (end of the image's measured time). */
  readonly analyzeEnd = new Map<string, number>();
  /** fileName -> how long the engine's analyze() took (the Gemini call through the SDK). */
  readonly analyzeMs = new Map<string, number>();
  /** Calls to dispatcher.kick(), by who called, each with its time. */
  readonly kicks: { at: number; source: KickSource }[] = [];

  /** The real engine, noting when each analysis returns. */
  engine(engine: Engine): Engine {
    const { analyzeEnd, analyzeMs, spans } = this;
    return {
      ...engine,
      async analyze(image, signal) {
        const start = nowMs();
        try {
          return await engine.analyze(image, signal);
        } finally {
          const end = nowMs();
          analyzeEnd.set(image.fileName, end);
          analyzeMs.set(image.fileName, end - start);
          spans.push({ label: "analyze", start, end });
        }
      },
    };
  }

  /** The real worker pool, timing each prepare task (queueing in the pool included). */
  pool(pool: WorkerPool): WorkerPool {
    const spans = this.spans;
    return {
      ...pool,
      async prepare(input, signal) {
        const start = nowMs();
        try {
          return await pool.prepare(input, signal);
        } finally {
          spans.push({ label: "prepare", start, end: nowMs() });
        }
      },
    };
  }

  /** Notes every dispatcher.kick() and who asked (wraps kick() on the instance; same behaviour). */
  dispatcher(dispatcher: { kick(): void }): void {
    const { kicks, experiments } = this;
    const kick = dispatcher.kick.bind(dispatcher);
    const sources = new Map<string, string[]>();
    const sourceLines = (file: string) => {
      let lines = sources.get(file);
      if (!lines) {
        try {
          lines = readFileSync(file, "utf8").split("\n");
        } catch {
          lines = [];
        }
        sources.set(file, lines);
      }
      return lines;
    };
    dispatcher.kick = () => {
      const frames = (new Error().stack ?? "").split("\n").slice(2);
      const text = frames.join("\n");
      let source: KickSource = "other";
      if (text.includes("ProgressBus")) source = "notice";
      else if (text.includes("submit")) source = "submit";
      else if (text.includes("listOnTimeout")) source = "timer";
      else if (text.includes("onnotify")) source = "work";
      else {
        // A kick from the dispatcher itself: after an image finished, or the re-run of a round.
        const at = /\((?:file:\/\/)?([^()]+dispatcher\.ts):(\d+):\d+\)/.exec(frames[0] ?? "");
        if (at) {
          const line = Number(at[2]);
          const before = sourceLines(at[1]!)
            .slice(Math.max(0, line - 5), line)
            .join("\n");
          source = before.includes("pumpAgain") ? "again" : "finish";
        }
      }
      kicks.push({ at: nowMs(), source });
      if (source === "notice" && experiments.has("no-notice-kick")) return;
      kick();
    };
  }

  /**
   * The real Drizzle handle, timing its transactions (the dispatcher's claim and the record of
   * an attempt, told apart by who called, with the statements each ran), the dispatcher's
   * runnable-batches query and the lease extension before each attempt.
   */
  database(db: Database): Database {
    const { spans, experiments, statementLog } = this;
    return new Proxy(db, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "transaction") {
          return (fn: Parameters<Database["transaction"]>[0], config?: Parameters<Database["transaction"]>[1]) => {
            const stack = new Error().stack ?? "";
            const label: SpanLabel = stack.includes("recordAttempt") ? "record" : stack.includes("pump") ? "claim" : "other";
            let statements = 0;
            const counted = (tx: Parameters<typeof fn>[0]) =>
              new Proxy(tx, {
                get(t, p) {
                  const v = Reflect.get(t, p, t) as unknown;
                  if (p === "query" && v && typeof v === "object") {
                    // Relational reads (tx.query.table.findFirst / findMany) are statements too.
                    return new Proxy(v, {
                      get(q, table) {
                        const api = Reflect.get(q, table, q) as unknown;
                        if (!api || typeof api !== "object") return api;
                        return new Proxy(api, {
                          get(a, method) {
                            const m = Reflect.get(a, method, a) as unknown;
                            if (typeof m !== "function") return m;
                            return (...args: unknown[]) => {
                              statements++;
                              return (m as (...x: unknown[]) => unknown).apply(a, args);
                            };
                          },
                        });
                      },
                    });
                  }
                  if (typeof v !== "function") return v;
                  if (p === "execute" || p === "select" || p === "insert" || p === "update" || p === "delete") {
                    return (...args: unknown[]) => {
                      statements++;
                      return (v as (...a: unknown[]) => unknown).apply(t, args);
                    };
                  }
                  return (v as (...a: unknown[]) => unknown).bind(t);
                },
              });
            const timings: StatementTiming[] | undefined = statementLog ? [] : undefined;
            const start = nowMs();
            const body = (tx: Parameters<typeof fn>[0]) =>
              timings ? statementContext.run(timings, () => fn(counted(tx))) : fn(counted(tx));
            return target.transaction(body, config).then((result: unknown) => {
              const claimed =
                label === "claim" && Array.isArray(result)
                  ? result.map((c: { imageId: string; attemptNumber: number }) => `${c.imageId}#${c.attemptNumber}`)
                  : undefined;
              const end = nowMs();
              spans.push({ label, start, end, statements, ...(claimed ? { claimed } : {}) });
              if (timings && statementLog) statementLog.push({ label, start, end, claimed: claimed?.length ?? 0, timings });
              return result;
            });
          };
        }
        if (prop === "execute") {
          return (...args: Parameters<Database["execute"]>) => {
            const stack = new Error().stack ?? "";
            if (!stack.includes("listRunnableBatches")) return target.execute(...args);
            const start = nowMs();
            return target.execute(...args).then((rows) => {
              spans.push({ label: "list", start, end: nowMs() });
              if (!experiments.has("full-windows")) return rows;
              const open = (rows as unknown as { workers: number; in_flight: number }[]).filter((r) => r.in_flight < r.workers);
              return Object.assign(open, { count: open.length }) as unknown as typeof rows;
            });
          };
        }
        if (prop === "update") {
          return (table: Parameters<Database["update"]>[0]) => {
            const builder = target.update(table);
            if (!(new Error().stack ?? "").includes("extendLease")) return builder;
            if (experiments.has("no-lease-extend")) {
              const skipped: Record<string, unknown> = {};
              skipped.set = skipped.where = () => skipped;
              skipped.returning = () => Promise.resolve([{ id: "lease-not-extended" }]);
              return skipped as unknown as typeof builder;
            }
            // The statement runs when the finished builder is awaited: time that.
            const set = builder.set.bind(builder);
            builder.set = ((values: Parameters<typeof set>[0]) => {
              const query = set(values);
              const then = query.then.bind(query);
              query.then = ((onFulfilled, onRejected) => {
                const start = nowMs();
                return then((rows) => {
                  spans.push({ label: "lease", start, end: nowMs() });
                  return rows;
                }).then(onFulfilled, onRejected);
              }) as typeof query.then;
              return query;
            }) as typeof builder.set;
            return builder;
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  spansBetween(from: number, to: number, label: SpanLabel): Span[] {
    return this.spans.filter((s) => s.label === label && s.start >= from && s.start <= to);
  }
}

/** Busy and total jiffies of the whole machine (all CPUs), from /proc/stat; null off Linux. */
function machineTicks(): { busy: number; steal: number; iowait: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [, ...fields] = line.trim().split(/\s+/);
    const n = fields.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busy: total - idle, steal: n[7] ?? 0, iowait: n[4] ?? 0, total };
  } catch {
    return null;
  }
}

/** utime + stime (clock ticks) and parent of every process, from /proc/[pid]/stat. */
function processTicks(): Map<number, { ppid: number; comm: string; ticks: number }> {
  const out = new Map<number, { ppid: number; comm: string; ticks: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      // After "pid (comm) ": state ppid ... utime is field 14, stime 15 of the full line.
      out.set(Number(pid), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

const CLOCK_TICKS_PER_S = 100;

export interface LoadFigures {
  /** Share of the machine's CPU time stolen by the hypervisor (a busy host). */
  machineSteal: number;
  /** Share of the machine's CPU time idle while waiting for disk I/O. */
  machineIowait: number;
  /** CPUs' worth of time used by this benchmark's own Postgres (postmaster and backends). */
  postgresCpus: number;
  /** CPUs' worth of time used by every other process on the machine (other users, other suites). */
  otherCpus: number;
  /** The busiest other processes, "comm cpus". */
  topOthers: string;
  /** Share of all the machine's CPUs busy (every process: node, its worker threads, Postgres). */
  machineBusy: number;
  /** CPUs' worth of time this node process used (main thread and worker threads). */
  nodeCpus: number;
  /** Share of the time the main event loop was busy. */
  eventLoopUtilisation: number;
  /** Event loop delay percentiles, ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

/** Measures the load on the machine and on the main event loop while a run is under way. */
export function startLoadMeter(): { stop(): LoadFigures } {
  const ticks = machineTicks();
  const procs = processTicks();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = nowMs();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  return {
    stop() {
      delay.disable();
      const wall = nowMs() - started;
      const after = machineTicks();
      const used = process.cpuUsage(cpu);
      const nowProcs = processTicks();
      const ours = new Set<number>([process.pid]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [pid, p] of nowProcs) {
          if (!ours.has(pid) && ours.has(p.ppid)) {
            ours.add(pid);
            grew = true;
          }
        }
      }
      let postgres = 0;
      const others = new Map<string, number>();
      for (const [pid, p] of nowProcs) {
        if (pid === process.pid) continue;
        const delta = (p.ticks - (procs.get(pid)?.ticks ?? 0)) / CLOCK_TICKS_PER_S / (wall / 1000);
        if (ours.has(pid)) postgres += delta;
        else if (delta > 0) others.set(p.comm, (others.get(p.comm) ?? 0) + delta);
      }
      const top = [...others.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
      const span = ticks && after ? Math.max(1, after.total - ticks.total) : Number.NaN;
      return {
        machineSteal: ticks && after ? (after.steal - ticks.steal) / span : Number.NaN,
        machineIowait: ticks && after ? (after.iowait - ticks.iowait) / span : Number.NaN,
        postgresCpus: postgres,
        otherCpus: [...others.values()].reduce((a, b) => a + b, 0),
        topOthers: top.map(([comm, c]) => `${comm} ${c.toFixed(2)}`).join(", "),
        machineBusy: ticks && after ? (after.busy - ticks.busy) / span : Number.NaN,
        nodeCpus: (used.user + used.system) / 1000 / wall,
        eventLoopUtilisation: performance.eventLoopUtilization(elu).utilization,
        loopDelayP50: delay.percentile(50) / 1e6,
        loopDelayP99: delay.percentile(99) / 1e6,
        loopDelayMax: delay.max / 1e6,
      };
    },
  };
}

export interface PgProfile {
  samples: number;
  /** How long each sampling query took, ms: a plain round trip to Postgres under the run's load. */
  roundTripMs: number[];
  /** Mean number of the service's backends in each state over the samples. */
  byState: Record<string, number>;
}

/**
 * Samples pg_stat_activity every `everyMs` for the service's connections (application_name
 * showscan) and counts what each backend is doing: running (cpu), waiting for a row lock
 * (lock), flushing WAL at commit (wal), waiting inside an open transaction for the next
 * statement from Node (in tx, waiting on node). Opt-in: sampling adds load of its own.
 */
export function startPgSampler(db: Database, everyMs: number): { stop(): Promise<PgProfile> } {
  const counts: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const roundTripMs: number[] = [];
  const loop = (async () => {
    while (running) {
      const sent = nowMs();
      const rows = await db.execute<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        sql`select state, wait_event_type, wait_event from pg_stat_activity
            where application_name = 'showscan' and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      roundTripMs.push(nowMs() - sent);
      samples++;
      for (const r of rows) {
        const key =
          r.state === "idle in transaction"
            ? "in tx, waiting on node"
            : r.state !== "active"
              ? "idle"
              : r.wait_event_type === null
                ? "cpu"
                : r.wait_event_type === "Lock"
                  ? `lock (${r.wait_event})`
                  : r.wait_event_type === "IO" && (r.wait_event ?? "").startsWith("WAL")
                    ? "wal flush"
                    : r.wait_event === "ClientRead"
                      ? "in tx, waiting on node"
                      : `${r.wait_event_type}:${r.wait_event}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const byState: Record<string, number> = {};
      for (const [k, v] of Object.entries(counts)) if (k !== "idle") byState[k] = v / Math.max(1, samples);
      return { samples, roundTripMs, byState };
    },
  };
}
