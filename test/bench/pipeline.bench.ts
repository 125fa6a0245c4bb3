import { execFileSync } from "node:child_process";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { getBatchMetrics, listAttempts, listImages, type BatchMetricsRow } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { preparedSha256, startBenchService, waitForFinalBatch, type BenchService } from "./bench-service";
import { benchImages, type BenchImage, type ImageKind } from "./images";
import { mulberry32 } from "../support/random";
import { listScheduleMakespan, mean, percentile, sum } from "./schedule";
import {
  EXPERIMENTS,
  nowMs,
  startLoadMeter,
  startPgSampler,
  type Experiment,
  type KickSource,
  type LoadFigures,
  type PgProfile,
  type Span,
  type TimedTransaction,
} from "./trace";

/**
 * Sliding-window benchmark: the same N distinct images through the real pipeline (embedded
 * Postgres, worker pool, Gemini SDK against the local fake) sequentially, with 3 workers and
 * with 5, printing only measured figures. BENCHMARKS.md explains every column.
 *
 * Settings (environment): BENCH_IMAGES=plain|flyers, BENCH_COUNT, BENCH_SEED, BENCH_LATENCY_MS,
 * BENCH_JITTER_MS (uniform +/-), BENCH_THREADS (worker pool), BENCH_POLL_MS,
 * BENCH_MAX_CONCURRENCY, BENCH_WARMUP; for investigation only: BENCH_PG_SYNCHRONOUS_COMMIT=off,
 * BENCH_PG_SAMPLE_MS (samples pg_stat_activity, which adds load of its own), BENCH_EXPERIMENTS
 * (what-if emulations of proposed changes, see trace.ts), BENCH_STATEMENTS=1 (times each statement
 * inside the record and claim transactions).
 */

const MODEL = "gemini-2.5-flash";
const TARGET_RATIO = 0.95;

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
};
const kind = (process.env.BENCH_IMAGES ?? "plain") as ImageKind;
if (kind !== "plain" && kind !== "flyers") throw new Error(`BENCH_IMAGES must be plain or flyers, got ${JSON.stringify(kind)}`);
const settings = {
  kind,
  count: num("BENCH_COUNT", 100),
  seed: num("BENCH_SEED", 42),
  latencyMs: num("BENCH_LATENCY_MS", 200),
  jitterMs: num("BENCH_JITTER_MS", 50),
  threads: num("BENCH_THREADS", Math.max(1, os.availableParallelism())),
  pollMs: num("BENCH_POLL_MS", 100),
  maxConcurrency: num("BENCH_MAX_CONCURRENCY", 16),
  warmup: num("BENCH_WARMUP", 10),
  synchronousCommit: process.env.BENCH_PG_SYNCHRONOUS_COMMIT === "off" ? ("off" as const) : undefined,
  /** Investigation only: sample what the service's Postgres backends are doing every N ms (0: off). */
  pgSampleMs: num("BENCH_PG_SAMPLE_MS", 0),
  /** Investigation only: time each statement inside the record and claim transactions. */
  timeStatements: process.env.BENCH_STATEMENTS === "1",
  /** Investigation only: comma-separated what-if experiments (trace.ts EXPERIMENTS). */
  experiments: new Set(
    (process.env.BENCH_EXPERIMENTS ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean)
      .map((e) => {
        if (!(EXPERIMENTS as readonly string[]).includes(e))
          throw new Error(`unknown BENCH_EXPERIMENTS entry ${JSON.stringify(e)}; known: ${EXPERIMENTS.join(", ")}`);
        return e as Experiment;
      }),
  ),
};

const RUNS = [
  { label: "sequential", mode: "sequential" as const, workers: 1 },
  { label: "workers 3", mode: "parallel" as const, workers: 3 },
  { label: "workers 5", mode: "parallel" as const, workers: 5 },
];

/**
 * A slot's time between one image's measured time and the next one's, in five stages, ms. All
 * from one monotonic clock in this process (the wrapped engine, database handle and dispatcher).
 */
interface Stages {
  /** 1. analyze() returned -> the record transaction began. */
  toRecord: number[];
  /** 2. the record transaction (begin -> committed, as the dispatcher sees it). */
  recordTx: number[];
  /** 3. a record committed -> the claim transaction that refilled that slot began. */
  toClaim: number[];
  /** 4. the claim transaction that claimed the image. */
  claimTx: number[];
  /** 5. claim committed -> the image's measured time began (launch, quota gate, lease extension). */
  toStart: number[];
}

interface Activity {
  claimRounds: number;
  emptyClaims: number;
  kicks: Record<KickSource, number>;
  recordStatements: number[];
  claimStatements: number[];
  list: number[];
  lease: number[];
}

interface RunFigures {
  label: string;
  workers: number;
  images: number;
  attempts: number;
  succeeded: number;
  wallMs: number;
  e2eMs: number;
  sumImageMs: number;
  speedup: number;
  vsSequential: number;
  idealMs: number;
  ratio: number;
  metrics: BatchMetricsRow | null;
  stages: Stages;
  activity: Activity;
  load: LoadFigures;
  pg: PgProfile | null;
  /** Per transaction kind: [part, mean ms per transaction, statements of that part per transaction]. */
  txParts: { label: string; count: number; parts: [string, number, number][] }[];
  /** Inside the measured per-image time, ms per image. */
  inside: { latency: number[]; prepare: number[]; analyze: number[]; analyzeOverFake: number[] };
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "-");
const s2 = (ms: number) => (ms / 1000).toFixed(2);
const stats = (xs: number[]) =>
  xs.length ? `${f1(mean(xs))} / ${f1(percentile(xs, 50))} / ${f1(percentile(xs, 95))} / ${f1(Math.max(...xs))}` : "-";

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Which code was measured: the commit, and the pipeline's files changed since it. */
function gitState(): string {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], cwd: new URL("..", import.meta.url) }).trimEnd();
    const head = git(["rev-parse", "--short", "HEAD"]);
    const paths = ["server/src/pipeline", "server/src/app.ts", "server/src/pool", "server/src/engines/gemini", "db/src"];
    const dirty = git(["status", "--porcelain", "--", ...paths.map((p) => `../${p}`)])
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3));
    return `commit ${head}; ${dirty.length ? `uncommitted changes in ${dirty.join(", ")}` : `no uncommitted changes in ${paths.join(", ")}`}`;
  } catch {
    return "not a git checkout";
  }
}

async function runOnce(
  service: BenchService,
  images: BenchImage[],
  fakeLatency: Map<string, number>,
  run: (typeof RUNS)[number],
  tag: string,
): Promise<Omit<RunFigures, "vsSequential">> {
  const { trace } = service;
  const files = images.map((i) => ({ name: `${tag}-${i.name}`, bytes: new Uint8Array(i.bytes) }));
  const meter = startLoadMeter();
  const sampler = settings.pgSampleMs > 0 ? startPgSampler(service.db, settings.pgSampleMs) : null;
  const started = nowMs();
  // Every run sends the same pictures: each must reach the model, not the answer cache.
  const { batchId } = await service.app.submit({ owner: "bench", files, workers: run.workers, mode: run.mode, skipCache: true }, "admin");
  const batch = await waitForFinalBatch(service.db, batchId, 10 * 60_000, 10);
  const ended = nowMs();
  const load = meter.stop();
  const pg = (await sampler?.stop()) ?? null;
  if (!batch.startedAt || !batch.finishedAt) throw new Error(`batch ${batchId} has no start or end time`);
  // The final record transaction stores the metrics; give its commit a moment if needed.
  let metrics = await getBatchMetrics(service.db, batchId);
  for (let i = 0; !metrics && i < 100; i++) {
    await sleep(20);
    metrics = await getBatchMetrics(service.db, batchId);
  }

  const rows = await listImages(service.db, batchId);
  const attempts = await listAttempts(service.db, batchId);
  const wallMs = batch.finishedAt.getTime() - batch.startedAt.getTime();
  const sumImageMs = sum(rows.map((r) => r.durationMs ?? 0));
  // Attempt ids are handed out in claim order: the order the ideal packs them in.
  const latencies = attempts.map((a) => a.latencyMs ?? 0);
  const idealMs = listScheduleMakespan(latencies, batch.workers);

  // Where each slot's time went between one measured image and the next.
  const inRun = (label: Span["label"]) => trace.spansBetween(started, ended, label).sort((a, b) => a.start - b.start);
  const claimSpans = inRun("claim");
  const recordSpans = inRun("record");
  const claimOf = new Map<string, Span>();
  for (const span of claimSpans) for (const key of span.claimed ?? []) claimOf.set(key, span);
  const fileName = new Map(rows.map((r) => [r.id, r.fileName]));
  const timed = attempts
    .map((a) => {
      const end = trace.analyzeEnd.get(fileName.get(a.imageId) ?? "") ?? Number.NaN;
      return {
        analyzeEnd: end,
        timerStart: end - (a.latencyMs ?? 0),
        claim: claimOf.get(`${a.imageId}#${a.attemptNumber}`),
        record: undefined as Span | undefined,
      };
    })
    .sort((a, b) => a.analyzeEnd - b.analyzeEnd);
  // Each attempt is recorded right after its analysis: the first unused record transaction begun since.
  const unused = new Set(recordSpans);
  for (const t of timed) {
    for (const span of unused) {
      if (span.start >= t.analyzeEnd - 0.05) {
        t.record = span;
        unused.delete(span);
        break;
      }
    }
  }
  // Slots are refilled in the order they free up: the k-th record to commit frees the slot that
  // the (k + workers)-th claimed image fills. A claim can begin a little before the dispatcher
  // sees its record's COMMIT answer, when the record's NOTIFY (which kicks a round) arrives first.
  const commits = timed.flatMap((t) => (t.record ? [t.record.end] : [])).sort((a, b) => a - b);
  const claimStarts = claimSpans.flatMap((s) => (s.claimed ?? []).map(() => s.start));
  const toClaim: number[] = [];
  for (let k = batch.workers; k < claimStarts.length && k - batch.workers < commits.length; k++)
    toClaim.push(claimStarts[k]! - commits[k - batch.workers]!);
  const finite = (xs: number[]) => xs.filter(Number.isFinite);
  const stages: Stages = {
    toRecord: finite(timed.map((t) => (t.record ? t.record.start - t.analyzeEnd : Number.NaN))),
    recordTx: finite(timed.map((t) => (t.record ? t.record.end - t.record.start : Number.NaN))),
    toClaim,
    claimTx: finite(timed.map((t) => (t.claim ? t.claim.end - t.claim.start : Number.NaN))),
    toStart: finite(timed.map((t) => (t.claim ? t.timerStart - t.claim.end : Number.NaN))),
  };
  const kicks: Record<KickSource, number> = { finish: 0, again: 0, notice: 0, timer: 0, submit: 0, work: 0, other: 0 };
  for (const k of trace.kicks) if (k.at >= started && k.at <= ended) kicks[k.source]++;
  const activity: Activity = {
    claimRounds: claimSpans.length,
    emptyClaims: claimSpans.filter((s) => (s.claimed?.length ?? 0) === 0).length,
    kicks,
    recordStatements: recordSpans.map((s) => s.statements ?? 0),
    claimStatements: claimSpans.filter((s) => (s.claimed?.length ?? 0) > 0).map((s) => s.statements ?? 0),
    list: inRun("list").map((s) => s.end - s.start),
    lease: inRun("lease").map((s) => s.end - s.start),
  };

  return {
    label: run.label,
    workers: batch.workers,
    images: batch.totalImages,
    attempts: attempts.length,
    succeeded: batch.succeededImages,
    wallMs,
    e2eMs: ended - started,
    sumImageMs,
    speedup: wallMs > 0 ? sumImageMs / wallMs : Number.NaN,
    idealMs,
    ratio: wallMs > 0 ? idealMs / wallMs : Number.NaN,
    metrics,
    stages,
    activity,
    load,
    pg,
    txParts: transactionParts(trace.statementLog?.filter((t) => t.start >= started && t.start <= ended) ?? []),
    inside: {
      latency: latencies,
      prepare: inRun("prepare").map((s) => s.end - s.start),
      analyze: inRun("analyze").map((s) => s.end - s.start),
      analyzeOverFake: images.flatMap((i) => {
        const took = trace.analyzeMs.get(`${tag}-${i.name}`);
        const fake = fakeLatency.get(i.name);
        return took === undefined || fake === undefined ? [] : [took - fake];
      }),
    },
  };
}

/** Where a transaction's time went: each kind of statement, BEGIN, COMMIT and Node between statements. */
function transactionParts(log: TimedTransaction[]): RunFigures["txParts"] {
  const kinds: [string, TimedTransaction[]][] = [
    ["record tx", log.filter((t) => t.label === "record")],
    ["claim tx (claimed)", log.filter((t) => t.label === "claim" && t.claimed > 0)],
    ["claim tx (empty)", log.filter((t) => t.label === "claim" && t.claimed === 0)],
  ];
  return kinds
    .filter(([, txs]) => txs.length > 0)
    .map(([label, txs]) => {
      const totals = new Map<string, { ms: number; n: number }>();
      const add = (part: string, ms: number, n = 1) => {
        const t = totals.get(part) ?? { ms: 0, n: 0 };
        totals.set(part, { ms: t.ms + ms, n: t.n + n });
      };
      for (const tx of txs) {
        const first = tx.timings[0]?.start ?? tx.end;
        const last = tx.timings.at(-1)?.end ?? tx.end;
        add("BEGIN (until the first statement)", first - tx.start);
        for (const st of tx.timings) add(st.what, st.end - st.start);
        add("Node between statements", last - first - sum(tx.timings.map((x) => x.end - x.start)), 0);
        add("COMMIT (after the last statement)", last === tx.end ? 0 : tx.end - last);
        add("whole transaction", tx.end - tx.start, 0);
      }
      return {
        label,
        count: txs.length,
        parts: [...totals.entries()].map(([part, t]) => [part, t.ms / txs.length, t.n / txs.length] as [string, number, number]),
      };
    });
}

const FIRST_PART = "BEGIN (until the first statement)";
const LAST_PARTS = ["Node between statements", "COMMIT (after the last statement)", "whole transaction"];

/** BEGIN, then the statements in the order they first ran, then the time between them, COMMIT and the total. */
function partOrder(txParts: RunFigures["txParts"]): string[] {
  const statements = [...new Set(txParts.flatMap((t) => t.parts.map((p) => p[0])))].filter(
    (p) => p !== FIRST_PART && !LAST_PARTS.includes(p),
  );
  return [FIRST_PART, ...statements, ...LAST_PARTS];
}

function report(results: RunFigures[]): void {
  console.log("");
  console.log("Runs: wall = batch started_at -> finished_at as recorded; per-image time = images.duration_ms;");
  console.log("ideal = the same run's attempts.latency_ms packed in claim order onto N slots (list scheduling makespan)");
  console.log(
    table(
      ["run", "slots", "images", "ok", "wall s", "e2e s", "sum img s", "speedup", "vs seq", "ideal s", "ideal/wall", "target"],
      results.map((r) => [
        r.label,
        String(r.workers),
        String(r.images),
        String(r.succeeded),
        s2(r.wallMs),
        s2(r.e2eMs),
        s2(r.sumImageMs),
        f2(r.speedup),
        f2(r.vsSequential),
        s2(r.idealMs),
        f3(r.ratio),
        r.workers > 1 ? (r.ratio >= TARGET_RATIO ? `ok >=${TARGET_RATIO}` : `BELOW ${TARGET_RATIO}`) : "-",
      ]),
    ),
  );

  console.log("");
  console.log("batch_metrics as the pipeline stored them");
  console.log(
    table(
      ["run", "wall_ms", "sum_image_ms", "speedup", "mean ms", "p50 ms", "p95 ms", "worker_util", "attempts", "retries", "success"],
      results.map((r) => {
        const m = r.metrics;
        return m
          ? [
              r.label,
              String(m.wallMs),
              String(m.sumImageMs),
              f3(m.speedup),
              f1(m.meanImageMs ?? Number.NaN),
              f0(m.p50ImageMs ?? Number.NaN),
              f0(m.p95ImageMs ?? Number.NaN),
              f3(m.workerUtilisation),
              String(m.attempts),
              String(m.retries),
              f2(m.successRate),
            ]
          : [r.label, "(no row)", "", "", "", "", "", "", "", "", ""];
      }),
    ),
  );

  console.log("");
  console.log("Slot time outside the measured per-image time, ms (mean / p50 / p95 / max):");
  console.log(
    "1 analyze end -> record tx begins, 2 record tx, 3 record committed -> claim tx refilling that slot begins, 4 claim tx, 5 claim committed -> image timer starts",
  );
  console.log(
    table(
      ["run", "1 to record", "2 record tx", "3 to claim", "4 claim tx", "5 to start", "sum of means", "lost/img"],
      results.map((r) => {
        const s = r.stages;
        // Every slot-ms of the window not spent inside an image's measured time, per image.
        const lost = (r.workers * r.wallMs - r.sumImageMs) / r.images;
        return [
          r.label,
          stats(s.toRecord),
          stats(s.recordTx),
          stats(s.toClaim),
          stats(s.claimTx),
          stats(s.toStart),
          f1(mean(s.toRecord) + mean(s.recordTx) + mean(s.toClaim) + mean(s.claimTx) + mean(s.toStart)),
          f1(lost),
        ];
      }),
    ),
  );

  console.log("");
  console.log(
    "Dispatcher activity during each run: claim rounds (empty = claimed nothing), kick() calls by cause, statements per transaction, ms (mean / p50 / p95 / max)",
  );
  console.log(
    table(
      ["run", "claim rounds", "empty", "kicks finish/again/notice/timer", "stmts record tx", "stmts claim tx", "list query", "extendLease"],
      results.map((r) => {
        const a = r.activity;
        return [
          r.label,
          String(a.claimRounds),
          String(a.emptyClaims),
          `${a.kicks.finish}/${a.kicks.again}/${a.kicks.notice}/${a.kicks.timer}`,
          f1(mean(a.recordStatements)),
          f1(mean(a.claimStatements)),
          stats(a.list),
          stats(a.lease),
        ];
      }),
    ),
  );

  console.log("");
  console.log("Inside the measured per-image time, ms (mean / p50 / p95 / max); load on the machine while each run was under way");
  console.log(
    table(
      [
        "run",
        "latency_ms",
        "prepare (pool)",
        "analyze (SDK+HTTP)",
        "analyze - fake delay",
        "machine busy",
        "node CPUs",
        "our pg CPUs",
        "other CPUs",
        "loop util",
        "loop delay p50/p99/max",
      ],
      results.map((r) => [
        r.label,
        stats(r.inside.latency),
        stats(r.inside.prepare),
        stats(r.inside.analyze),
        stats(r.inside.analyzeOverFake),
        `${f0(r.load.machineBusy * 100)}%`,
        f2(r.load.nodeCpus),
        f2(r.load.postgresCpus),
        f2(r.load.otherCpus),
        f2(r.load.eventLoopUtilisation),
        `${f1(r.load.loopDelayP50)}/${f1(r.load.loopDelayP99)}/${f1(r.load.loopDelayMax)}`,
      ]),
    ),
  );
  for (const r of results.filter((x) => x.txParts.length > 0)) {
    console.log("");
    console.log(`${r.label}: time inside the transactions, ms per transaction (statements per transaction)`);
    console.log(
      table(
        ["part", ...r.txParts.map((t) => `${t.label} x${t.count}`)],
        partOrder(r.txParts).map((part) => [
          part,
          ...r.txParts.map((t) => {
            const p = t.parts.find((x) => x[0] === part);
            return p ? `${f1(p[1])}${p[2] ? ` (${p[2] >= 1 ? f1(p[2]) : f2(p[2])})` : ""}` : "-";
          }),
        ]),
      ),
    );
  }
  const profiled = results.filter((r) => r.pg);
  if (profiled.length) {
    const states = [...new Set(profiled.flatMap((r) => Object.keys(r.pg!.byState)))].sort();
    console.log("");
    console.log(`Service's Postgres backends by state, mean number at a sample (pg_stat_activity every ${settings.pgSampleMs} ms)`);
    console.log(
      table(
        ["run", "samples", "sample query ms", ...states],
        profiled.map((r) => [r.label, String(r.pg!.samples), stats(r.pg!.roundTripMs), ...states.map((k) => f2(r.pg!.byState[k] ?? 0))]),
      ),
    );
  }
  for (const r of results) if (r.load.otherCpus > 0.1) console.log(`${r.label}: busiest other processes (CPUs): ${r.load.topOthers}`);

  console.log("");
  for (const r of results.filter((x) => x.workers > 1)) {
    const verdict = r.ratio >= TARGET_RATIO ? "meets" : "misses";
    console.log(
      `${r.label}: ${f3(r.ratio)} of ideal (${s2(r.idealMs)} s ideal vs ${s2(r.wallMs)} s measured) ${verdict} the >= ${TARGET_RATIO} target`,
    );
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log("showscan pipeline benchmark (sliding window): measured figures only");
  console.log(
    `machine: nproc ${os.availableParallelism()}, ${cpus[0]?.model.trim() ?? "unknown cpu"}, node ${process.version}, ${os.platform()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`code: ${gitState()}`);
  console.log(
    `settings: ${settings.count} distinct ${settings.kind} images; fake Gemini latency ${settings.latencyMs} ms +/- ${settings.jitterMs} ms uniform, seed ${settings.seed}, fixed per image; ` +
      `pool threads ${settings.threads}, MAX_CONCURRENCY ${settings.maxConcurrency}, pollMs ${settings.pollMs}, warm-up ${settings.warmup} images` +
      (settings.synchronousCommit ? `; EXPERIMENT: Postgres synchronous_commit=${settings.synchronousCommit}` : "") +
      (settings.experiments.size ? `; EXPERIMENTS (not the real code path): ${[...settings.experiments].join(", ")}` : ""),
  );

  let t = nowMs();
  const images = await benchImages(settings.kind, settings.count, settings.seed, "img");
  const warmup = settings.warmup > 0 ? await benchImages("plain", settings.warmup, settings.seed + 1000, "warm") : [];
  const generatedMs = nowMs() - t;
  t = nowMs();
  const rng = mulberry32(settings.seed);
  const answers = new Map<string, { latencyMs: number; image: BenchImage }>();
  const fakeLatency = new Map<string, number>();
  for (const image of [...images, ...warmup]) {
    const sha = await preparedSha256(image.bytes);
    if (answers.has(sha)) throw new Error(`two bench images prepare to the same bytes (${image.name}); they must be distinct`);
    const latencyMs = Math.max(0, Math.round(settings.latencyMs + (rng() * 2 - 1) * settings.jitterMs));
    answers.set(sha, { latencyMs, image });
    fakeLatency.set(image.name, latencyMs);
  }
  const hashedMs = nowMs() - t;
  const drawn = images.map((i) => fakeLatency.get(i.name)!);
  console.log(
    `images: generated in ${f0(generatedMs)} ms (${f0(sum(images.map((i) => i.bytes.length)) / 1024)} KiB), prepared hashes in ${f0(hashedMs)} ms; ` +
      `drawn fake latency min/mean/max ${Math.min(...drawn)}/${f1(mean(drawn))}/${Math.max(...drawn)} ms, sum ${sum(drawn)} ms`,
  );

  let fake: FakeGemini | undefined;
  let service: BenchService | undefined;
  const stopAll = async () => {
    await service?.close();
    await fake?.close();
  };
  const onSignal = () => void stopAll().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    fake = await startFakeGemini({
      model: MODEL,
      answer: async (req) => {
        const hit = answers.get(req.imageSha256);
        if (!hit) return { status: 500, body: { error: { code: 500, message: "bench: unknown image", status: "INTERNAL" } } };
        await sleep(hit.latencyMs);
        return { json: hit.image.extraction };
      },
    });
    t = nowMs();
    service = await startBenchService({
      fake,
      threads: settings.threads,
      maxConcurrency: settings.maxConcurrency,
      pollMs: settings.pollMs,
      imageTimeoutMs: 30_000,
      model: MODEL,
      synchronousCommit: settings.synchronousCommit,
      experiments: settings.experiments,
      timeStatements: settings.timeStatements,
    });
    console.log(`service: embedded Postgres started and migrated, worker pool warmed, in ${f0(nowMs() - t)} ms`);

    if (warmup.length) {
      t = nowMs();
      const w = await runOnce(service, warmup, fakeLatency, { label: "warm-up", mode: "parallel", workers: 5 }, "w");
      console.log(`warm-up: ${w.images} other images, workers 5, ${f0(nowMs() - t)} ms (not reported)`);
    }

    const results: RunFigures[] = [];
    for (const [i, run] of RUNS.entries()) {
      const r = await runOnce(service, images, fakeLatency, run, `r${i}`);
      results.push({ ...r, vsSequential: (results[0]?.wallMs ?? r.wallMs) / r.wallMs });
    }
    report(results);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("benchmark crashed:", error);
    process.exit(1);
  },
);
