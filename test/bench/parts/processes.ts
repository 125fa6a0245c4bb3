import { connect } from "../../../db/src/index";
import { startFakeGemini } from "../../support/fake-gemini";
import { adminToken, serverEnv, withBenchDatabase } from "../server-child";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { createClient, uploadForm } from "../../support/trpc-client";
import { waitForFinalBatch } from "../bench-service";
import { answerByHash, answersFor, filesOf, type BenchImage } from "../images";

export interface ProcessesRun {
  processes: number;
  succeeded: number;
  /** batch.analyze sent -> the benchmark saw the batch final, ms. */
  e2eMs: number;
  imagesPerSecond: number;
}

export interface ProcessesResult {
  images: number;
  workers: number;
  runs: ProcessesRun[];
}

/** Requests each process may have at the API (MAX_CONCURRENCY): what makes a second process worth having. */
export const PROCESS_CAP = 4;
const BATCHES = 4;
const LATENCY_MS = 300;

/**
 * Part 7: `showscan serve` as one OS process, then as two on one database (an embedded
 * Postgres of its own), on a queue that keeps both busy: the same tiny images in 4 batches of
 * `workers` each (16 requests wanted at once), uploaded over HTTP (`batch.analyze`, skipCache)
 * to the first process, each process capped at 4 requests at the API, 300 ms fake latency. One
 * process is held to its cap; a second one takes what the first cannot.
 */
export async function measureProcesses(images: BenchImage[], workers: number): Promise<ProcessesResult> {
  const answers = await answersFor(images);
  const fake = await startFakeGemini({
    latencyMs: LATENCY_MS,
    answer: answerByHash(answers),
  });
  const token = await adminToken();
  const runs: ProcessesRun[] = [];
  try {
    await withBenchDatabase("procs", async (databaseUrl) => {
      const conn = connect(databaseUrl, { max: 2 });
      const env = serverEnv(databaseUrl, fake.url, { MAX_CONCURRENCY: String(PROCESS_CAP) });
      try {
        for (const processes of [1, 2]) {
          const servers: ServerProcess[] = [];
          try {
            const launched = await Promise.allSettled(Array.from({ length: processes }, () => startServerProcess(env)));
            for (const r of launched) if (r.status === "fulfilled") servers.push(r.value);
            const failed = launched.find((r) => r.status === "rejected");
            if (failed) throw failed.reason;
            const api = createClient(servers[0]!.url, token);
            try {
              const files = filesOf(images, `p${processes}`);
              const per = Math.ceil(files.length / BATCHES);
              const started = performance.now();
              const batchIds = await Promise.all(
                Array.from({ length: BATCHES }, async (_, i) => {
                  const form = uploadForm(files.slice(i * per, (i + 1) * per), { workers, skipCache: "true" });
                  return (await api.client.batch.analyze.mutate(form)).batchId;
                }),
              );
              const batches = await Promise.all(batchIds.map((id) => waitForFinalBatch(conn.db, id, 10 * 60_000)));
              const e2eMs = performance.now() - started;
              const succeeded = batches.reduce((n, b) => n + b.succeededImages, 0);
              runs.push({ processes, succeeded, e2eMs, imagesPerSecond: images.length / (e2eMs / 1000) });
            } finally {
              await api.close();
            }
          } finally {
            await Promise.all(servers.map((s) => s.stop()));
          }
        }
      } finally {
        await conn.close().catch(() => {});
      }
    });
  } finally {
    await fake.close();
  }
  return { images: images.length, workers, runs };
}
