import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { FakeGemini } from "../../support/fake-gemini";
import { waitForFinalBatch, type BenchService } from "../bench-service";
import { percentile } from "../ideal";
import { filesOf, type BenchImage } from "../images";
import type { Row } from "../report";
import type { Stamp, ToParent } from "./subscriber-process";

export interface SubscribersResult {
  subscribers: number;
  images: number;
  completedStreams: number;
  errors: number;
  /** Events counted: those committed after every client had its first event. */
  deliveries: number;
  /** The observer's LISTEN stamp -> each client's stamp, ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** progress_events.created_at (its transaction's start, now()) -> each client's stamp, ms. */
  rowP50Ms: number;
  rowP99Ms: number;
}

const script = fileURLToPath(new URL("./subscriber-process.ts", import.meta.url));

function start(args: string[]): { child: ChildProcess; next: () => Promise<ToParent> } {
  const child = fork(script, args, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const queue: ToParent[] = [];
  const waiting: ((m: ToParent) => void)[] = [];
  child.on("message", (m: ToParent) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const next = () =>
    new Promise<ToParent>((resolve, reject) => {
      const m = queue.shift();
      if (m) return resolve(m);
      waiting.push(resolve);
      child.once("exit", (code) => reject(new Error(`subscriber process exited (${code}) before answering`)));
    });
  return { child, next };
}

/** Part 6: `count` WebSocket subscribers on one running batch; commit -> delivery to each. */
export async function measureSubscribers(
  service: BenchService,
  fake: FakeGemini,
  images: BenchImage[],
  workers: number,
  count: number,
): Promise<SubscribersResult> {
  fake.reset();
  const token = await service.tokens.sign({ sub: "bench", role: "admin" });
  // Both processes are loaded before the batch exists, so it runs while they listen.
  const clients = start(["clients", service.url, token, String(count)]);
  const observer = start(["observer", service.databaseUrl]);
  await Promise.all([clients.next(), observer.next()]);
  const files = filesOf(images, "subs");
  const { batchId } = await service.app.submit({ owner: "bench", files, workers, mode: "parallel", skipCache: true }, "admin");
  clients.child.send({ batchId });
  const ready = await clients.next();
  const readyAt = "ready" in ready ? ready.ready : Number.POSITIVE_INFINITY;
  await waitForFinalBatch(service.db, batchId, 10 * 60_000);
  const timer = setTimeout(() => clients.child.send("stop"), 30_000);
  const done = await clients.next();
  clearTimeout(timer);
  observer.child.send("stop");
  const seen = await observer.next();
  const clientStamps: Stamp[] = "stamps" in done ? done.stamps : [];
  const noticed = "stamps" in seen ? seen.stamps.filter((s) => s.batchId === batchId) : [];
  const committedAt = new Map(noticed.map((s) => [s.seq, s.at]));
  const rows = await service.db.execute<{ seq: number; at: number }>(
    sql`select seq::int as seq, extract(epoch from created_at) * 1000 as at from progress_events where batch_id = ${batchId}`,
  );
  const createdAt = new Map([...rows].map((r) => [Number(r.seq), Number(r.at)]));
  const delays: number[] = [];
  const rowDelays: number[] = [];
  for (const s of clientStamps) {
    const commit = committedAt.get(s.seq);
    if (commit === undefined || commit < readyAt) continue;
    delays.push(s.at - commit);
    const created = createdAt.get(s.seq);
    if (created !== undefined) rowDelays.push(s.at - created);
  }
  return {
    subscribers: count,
    images: images.length,
    completedStreams: "stamps" in done ? done.completed - done.errors.length : 0,
    errors: "stamps" in done ? done.errors.length : 0,
    deliveries: delays.length,
    p50Ms: percentile(delays, 50),
    p99Ms: percentile(delays, 99),
    maxMs: delays.length ? Math.max(...delays) : Number.NaN,
    rowP50Ms: percentile(rowDelays, 50),
    rowP99Ms: percentile(rowDelays, 99),
  };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");

/** Part 6 as the benchmark prints it. */
export const describeSubscribers = (r: SubscribersResult, workers: number) =>
  `Part 6, subscribers: ${r.subscribers} WebSocket clients on a batch of ${r.images} tiny images (workers ${workers}); ${r.completedStreams} streams completed, ${r.errors} errors; ${r.deliveries} deliveries counted; commit (LISTEN) -> client p50 ${f1(r.p50Ms)} ms, p99 ${f1(r.p99Ms)} ms, max ${f1(r.maxMs)} ms; from the row's created_at p50 ${f1(r.rowP50Ms)} ms, p99 ${f1(r.rowP99Ms)} ms`;

/** Part 6's rows of the summary. */
export const subscribersRows = (r: SubscribersResult): Row[] => [
  { measurement: `${r.subscribers} subscribers: delay p50 (ms)`, figure: f1(r.p50Ms), target: "-", pass: null },
  { measurement: `${r.subscribers} subscribers: delay p99 (ms)`, figure: f1(r.p99Ms), target: "< 50", pass: r.p99Ms < 50 },
];
