import { connect, databaseSizeBytes } from "../../../db/src/index";
import { startFakeGemini } from "../../support/fake-gemini";
import { startServerProcess } from "../../support/server-process";
import { uploadForm } from "../../support/trpc-client";
import { answerByHash, answersFor, filesOf, type BenchImage } from "../images";
import { mbOfKb, sampleRss, statusKb } from "../proc-status";
import type { Row } from "../report";
import { adminClient, serverEnv, withBenchDatabase } from "../server-child";

const SAMPLE_EVERY_MS = 50;

export interface QueuedMemoryResult {
  queued: number;
  batches: number;
  /** Sending the batches one after another over `batch.analyze`, ms. */
  submitMs: number;
  holdMs: number;
  /** The server process's resident memory (worker threads included, its Postgres not) before the first upload, and its VmHWM at the end of the hold. */
  rssBeforeMb: number;
  rssPeakMb: number;
  /** The highest of the 50 ms VmRSS samples from the first upload to the end of the hold. */
  rssSampledPeakMb: number;
  /** Requests the fake Gemini answered while the batches went in, and during the hold. */
  processedDuringSubmit: number;
  processedDuringHold: number;
  /** pg_database_size before the first upload and at the end of the hold, MB. */
  dbBeforeMb: number;
  dbAfterMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Part 5: `showscan serve` as its own OS process (an embedded Postgres of its own, its Gemini the
 * local fake at zero latency). An admin uploads the same distinct tiny images `batches` times
 * over `batch.analyze` (500 x 20: 10,000 queued), then the dispatcher works on them for `holdMs`.
 * The server's VmRSS is read from /proc every 50 ms from before the first upload; the figure is
 * its high-water mark (VmHWM) at the end of the hold. The batches are cancelled afterwards.
 */
export async function measureQueuedMemory(
  images: BenchImage[],
  batches: number,
  holdMs: number,
  server: { threads: number; maxConcurrency: number },
): Promise<QueuedMemoryResult> {
  const fake = await startFakeGemini({ latencyMs: 0, answer: answerByHash(await answersFor(images)) });
  try {
    return await withBenchDatabase("queued", async (databaseUrl) => {
      // The benchmark's own connection, only for the database's size.
      const conn = connect(databaseUrl, { max: 1 });
      try {
        const proc = await startServerProcess(
          serverEnv(databaseUrl, fake.url, { WORKER_THREADS: String(server.threads), MAX_CONCURRENCY: String(server.maxConcurrency) }),
        );
        const pid = proc.child.pid;
        if (pid === undefined) throw new Error("the server process has no pid");
        const api = await adminClient(proc.url);
        const ids: string[] = [];
        try {
          const dbBefore = await databaseSizeBytes(conn.db);
          const rssBefore = await statusKb(pid, "VmRSS");
          const sampler = sampleRss(pid, SAMPLE_EVERY_MS, rssBefore);
          let sampledPeak = rssBefore;
          let submitMs = 0;
          let processedDuringSubmit = 0;
          let processedDuringHold = 0;
          let peak = rssBefore;
          try {
            const started = performance.now();
            for (let b = 0; b < batches; b++) {
              const form = uploadForm(filesOf(images, `q${b}`), { workers: 5, mode: "parallel", skipCache: "true" });
              ids.push((await api.client.batch.analyze.mutate(form)).batchId);
            }
            submitMs = performance.now() - started;
            processedDuringSubmit = fake.served.length;
            await new Promise((resolve) => setTimeout(resolve, holdMs));
            processedDuringHold = fake.served.length - processedDuringSubmit;
            peak = await statusKb(pid, "VmHWM");
          } finally {
            sampledPeak = await sampler.stop();
          }
          const dbAfter = await databaseSizeBytes(conn.db);
          return {
            queued: images.length * batches,
            batches,
            submitMs,
            holdMs,
            rssBeforeMb: mbOfKb(rssBefore),
            rssPeakMb: mbOfKb(peak),
            rssSampledPeakMb: mbOfKb(sampledPeak),
            processedDuringSubmit,
            processedDuringHold,
            dbBeforeMb: mb(dbBefore),
            dbAfterMb: mb(dbAfter),
          };
        } finally {
          for (const batchId of ids) await api.client.batch.cancel.mutate({ batchId }).catch(() => {});
          await api.close();
          await proc.stop();
        }
      } finally {
        await conn.close().catch(() => {});
      }
    });
  } finally {
    await fake.close();
  }
}

export const QUEUED_MEMORY_TARGET_MB = 350;

export const describeQueuedMemory = (r: QueuedMemoryResult) =>
  `Part 5, queued images: ${r.batches} uploads of ${r.queued / r.batches} tiny images (${r.queued} queued) to a showscan serve process in ${(r.submitMs / 1000).toFixed(1)} s ` +
  `(${r.processedDuringSubmit} requests answered meanwhile), then ${(r.holdMs / 1000).toFixed(1)} s of work at zero latency (${r.processedDuringHold} answered); ` +
  `server RSS ${r.rssBeforeMb.toFixed(0)} MB before, peak ${r.rssPeakMb.toFixed(0)} MB (VmHWM), highest 50 ms sample ${r.rssSampledPeakMb.toFixed(0)} MB; ` +
  `database ${r.dbBeforeMb.toFixed(0)} MB before, ${r.dbAfterMb.toFixed(0)} MB after`;

export function queuedMemoryRow(r: QueuedMemoryResult): Row {
  return {
    measurement: `${r.queued} queued images: server peak RSS (MB)`,
    figure: `${r.rssPeakMb.toFixed(0)} (${r.rssBeforeMb.toFixed(0)} before; ${r.processedDuringHold} processed in the ${(r.holdMs / 1000).toFixed(0)} s hold)`,
    target: `< ${QUEUED_MEMORY_TARGET_MB}`,
    pass: r.rssPeakMb < QUEUED_MEMORY_TARGET_MB,
  };
}
