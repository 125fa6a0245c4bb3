import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect, migrateDatabase, startEmbeddedPostgres } from "../../../db/src/index";
import { createTokens } from "../../../server/src/auth/tokens";
import { startFakeGemini } from "../../support/fake-gemini";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { createClient, uploadForm } from "../../support/trpc-client";
import { MODEL, waitForFinalBatch } from "../bench-service";
import { answersFor, filesOf, type BenchImage } from "../images";

const SECRET = "bench-secret-that-is-long-enough-for-hs256";

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

/**
 * Part 7: `showscan serve` as one OS process, then as two on one database (an embedded
 * Postgres of its own), the same tiny images uploaded over HTTP (`batch.analyze`, skipCache) to
 * the first process, zero fake latency. The form takes at most 5 workers.
 */
export async function measureProcesses(images: BenchImage[], workers: number): Promise<ProcessesResult> {
  const answers = await answersFor(images);
  const fake = await startFakeGemini({
    answer: (req) => ({ json: answers.get(req.imageSha256) ?? { shows: [], venues: [], djs: [], vendors: [] } }),
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "showscan-bench-procs-"));
  const pg = await startEmbeddedPostgres(dir);
  const conn = connect(pg.url, { max: 2 });
  const token = await createTokens(SECRET).sign({ sub: "bench", role: "admin" });
  const env = {
    DATABASE_URL: pg.url,
    GEMINI_API_KEY: "test-key",
    GEMINI_BASE_URL: fake.url,
    GEMINI_MODEL: MODEL,
    JWT_SECRET: SECRET,
  };
  const runs: ProcessesRun[] = [];
  try {
    await migrateDatabase(pg.url);
    for (const processes of [1, 2]) {
      const servers: ServerProcess[] = [];
      try {
        const launched = await Promise.allSettled(Array.from({ length: processes }, () => startServerProcess(env)));
        for (const r of launched) if (r.status === "fulfilled") servers.push(r.value);
        const failed = launched.find((r) => r.status === "rejected");
        if (failed) throw failed.reason;
        const api = createClient(servers[0]!.url, token);
        try {
          const form = uploadForm(filesOf(images, `p${processes}`), { workers, skipCache: "true" });
          const started = performance.now();
          const { batchId } = await api.client.batch.analyze.mutate(form);
          const batch = await waitForFinalBatch(conn.db, batchId, 10 * 60_000);
          const e2eMs = performance.now() - started;
          runs.push({ processes, succeeded: batch.succeededImages, e2eMs, imagesPerSecond: images.length / (e2eMs / 1000) });
        } finally {
          await api.close();
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await conn.close().catch(() => {});
    await pg.stop().catch(() => {});
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { images: images.length, workers, runs };
}
