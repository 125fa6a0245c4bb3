import { execFileSync } from "node:child_process";
import os from "node:os";

/** One row of the summary: a measured figure beside the target. */
export interface Row {
  measurement: string;
  /** Null: not measured in this run. */
  figure: string | null;
  target: string;
  /** Null: no target for this row. */
  pass: boolean | null;
}

export const mark = (row: Row) => (row.figure === null ? "not measured" : row.pass === null ? "-" : row.pass ? "pass" : "below");

export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

export const SUMMARY_HEADERS = ["measurement", "figure", "target", "mark"];
export const summaryCells = (rows: Row[]) => rows.map((r) => [r.measurement, r.figure ?? "", r.target, mark(r)]);

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${os.availableParallelism()} CPUs (nproc), ${cpu}, ${gib} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** The commit measured, and whether the service's code had uncommitted changes. */
export function commit(): string {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], cwd: new URL("../..", import.meta.url) }).trim();
    const head = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--", "server/src", "db/src"]);
    return dirty ? `${head} (with uncommitted changes in server/src or db/src)` : head;
  } catch {
    return "not a git checkout";
  }
}

/** `npm run bench` with the BENCH_* variables this run was given. */
export function command(): string {
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith("BENCH_"))
    .map(([k, v]) => `${k}=${v}`);
  return [...env, "npm run bench"].join(" ");
}

export const HOW_IT_MEASURES = `## How it measures

One process sets up the real service: an embedded Postgres in a temporary folder (migrated),
the real worker pool (Tinypool), the real Gemini engine (\`@google/generative-ai\`) pointed at the
local fake Gemini (\`test/support/fake-gemini.ts\`), \`createApp\` wired as \`runtime.ts\` wires it
and listening on an ephemeral port. Batches go in through \`app.submit(..., "admin")\` with
\`skipCache\`, so every image reaches the fake. The fake answers each image by the SHA-256 of the
bytes it receives, and records for every request its arrival (headers received) and the moment
its response was written (\`served\`). Wall-clock stamps have sub-millisecond resolution.

- **Efficiency (part 1).** Generated flyers (\`generateFlyers\`, real sizes, so preparing costs what
  it costs), fake latency log-normal around the median, the normal draw taken from the SHA-256 of
  the seed and the image, so each image waits the same in every run. Windows 1, 3, 5, and
  \`workers: "auto"\` when the build takes it (a submission it refuses, or a batch not stored as
  automatic, reads "auto: not supported by this build"). **wall** = first request arrival at the
  fake to its last response written. **ideal** = the service times the fake recorded
  (arrival to response written), in arrival order, packed greedily onto N slots (list
  scheduling): the makespan of a client that sends the next request the instant a slot frees.
  N is the window; for auto it is the most requests the fake had in flight at once.
  **efficiency** = ideal / wall. The batch's own started_at..finished_at and submit..final are
  printed beside it.
- **Fixed groups (part 2).** The same flyers, prepared in the same pool and sent through the same
  engine to the same fake, in groups of 5 where the next group starts once the slowest of this one
  has answered (the original parser's scheduling; it writes nothing to the database). Its wall has
  the same definition as part 1; **speedup** = its wall / showscan's wall at 5.
- **Rate limit (part 3).** A second service with its own Postgres and the geminiRpm setting
  (what GEMINI_RPM gives \`runtime.ts\`), against a fake enforcing the same rpm over a sliding 60 s
  window with real 429 bodies, on tiny images. **share of limit** = the mean, over every 60 s
  window starting at an admitted request and ending inside the run, of the requests admitted in
  it, divided by the rpm (a run under 60 s shows its whole-run rate / rpm instead, unmarked). **busiest 60 s** = the most requests sent
  (admitted or refused) in any sliding 60 s window, from the fake's arrival stamps. **429 share** =
  429 answers / all requests.
- **Throughput (part 4).** Tiny distinct images (480x320 PNGs), zero fake latency: images /
  (app.submit called to the benchmark seeing the batch final, polled every 10 ms), so upload
  handling and every durable write are inside it.
- **Subscribers (part 6).** A child process opens N typed tRPC clients
  (\`server/src/api-client.ts\`), each on its own WebSocket, and subscribes each to
  \`batch.onProgress\` of one running batch; another child process LISTENs on the progress
  channel. A NOTIFY is delivered when its transaction commits, so the listener's stamp is the
  commit as a client of Postgres sees it (the event itself carries no commit time). **delay** =
  a client's receipt stamp - the listener's stamp for the same event, over every client and every
  event committed after all N clients had their first event. The delay from the event row's
  \`created_at\` (its transaction's start, \`now()\`) is printed as well.
- **Queued images (part 5).** \`showscan serve\` as its own OS process on an embedded Postgres of
  its own, its Gemini the fake at zero latency. An admin uploads the throughput images 20 times
  over (\`batch.analyze\` through the typed tRPC client, one batch after another, workers 5,
  skipCache: 10,000 queued images in 20 batches), then the dispatcher works on them for 5 s, then
  the batches are cancelled. The server's resident memory (worker threads included, its Postgres
  not; nothing of the benchmark's, which holds the fake and the images) is read from
  \`/proc/<pid>/status\`: VmRSS before the first upload and every 50 ms until the end of the hold,
  and the figure is the kernel's high-water mark (VmHWM) then. The requests answered during the
  hold and \`pg_database_size\` before and after are printed with it. \`BENCH_QUEUED_BATCHES\` and
  \`BENCH_QUEUED_HOLD_MS\` set the count and the hold;
  \`npm run bench:part -w @showscan/test -- queued-memory\` runs this part alone.
- **Processes (part 7).** \`showscan serve\` as its own OS process (\`test/support/server-process.ts\`),
  then two on one database (an embedded Postgres of their own), on a queue that keeps both busy:
  the same tiny images in 4 batches of 5 workers (16 requests wanted at once) uploaded over HTTP
  (\`batch.analyze\`, skipCache) to the first process, each process capped at 4 requests at the API
  (\`MAX_CONCURRENCY=4\`), 300 ms fake latency: images / (uploads sent to the benchmark seeing every
  batch final); the table gives two processes' rate / one's. \`BENCH_PROCESSES_IMAGES=0\` skips it.
- **Upload memory (part 8).** \`showscan serve\` as its own OS process on an embedded Postgres of its
  own; an admin uploads 500 generated 2 MB images (noise in uncompressed PNGs, 1 GB in all) in one
  \`batch.analyze\` through the typed tRPC client, as FormData of file-backed blobs (the sender
  holds none of it in memory). The server's resident memory is read from \`/proc/<pid>/status\`:
  VmRSS before the upload and every 50 ms during it, and the figure is the kernel's high-water
  mark (VmHWM) when the upload was answered, so no peak between samples is missed. The batch is
  cancelled afterwards. \`BENCH_UPLOAD_IMAGES\` sets the count (0 skips it);
  \`npm run bench:part -w @showscan/test -- upload-memory\` runs this part alone.

Only measured figures are printed; nothing is estimated. The machine line above says what it ran
on; figures from a machine shared with other work are lower than a quiet machine's.
`;
