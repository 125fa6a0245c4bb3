import { openAsBlob } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeGemini } from "../../support/fake-gemini";
import { noisePng } from "../../support/images";
import { startServerProcess } from "../../support/server-process";
import { mbOfKb, sampleRss, statusKb } from "../proc-status";
import type { Row } from "../report";
import { adminClient, serverEnv, withBenchDatabase } from "../server-child";

const SAMPLE_EVERY_MS = 50;
/** A 2 MB image: 836 x 836 pixels of noise in an uncompressed PNG (noise does not compress anyway). */
const SIDE = 836;

export interface UploadMemoryResult {
  images: number;
  uploadBytes: number;
  stored: number;
  rejected: number;
  uploadMs: number;
  /** The server process's resident memory before the upload, and its peak (VmHWM) when it answered. */
  rssBeforeMb: number;
  rssPeakMb: number;
  /** The highest of the 50 ms VmRSS samples taken while the upload ran. */
  rssSampledPeakMb: number;
}

/**
 * Part 8: an admin's upload of `count` generated 2 MB images (1 GB at 500) over `batch.analyze`
 * (the typed tRPC client, FormData of file-backed blobs, so the sender holds none of it) to
 * `showscan serve` as its own OS process. Its resident memory is read from /proc every 50 ms
 * while the upload runs; the figure is the kernel's high-water mark (VmHWM) when the upload was
 * answered, so no peak between two samples is missed. The batch is cancelled afterwards: the
 * part measures taking the upload in, not analysing noise.
 */
export async function measureUploadMemory(count: number): Promise<UploadMemoryResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "showscan-bench-upload-"));
  const fake = await startFakeGemini({ answer: () => ({ json: { shows: [], venues: [], djs: [], vendors: [] } }) });
  try {
    return await withBenchDatabase("upload", async (databaseUrl) => {
      const paths: string[] = [];
      let uploadBytes = 0;
      for (let i = 0; i < count; i++) {
        const png = await noisePng(SIDE);
        const file = path.join(dir, `upload-${String(i + 1).padStart(3, "0")}.png`);
        await writeFile(file, png);
        paths.push(file);
        uploadBytes += png.byteLength;
      }
      const server = await startServerProcess(serverEnv(databaseUrl, fake.url));
      const pid = server.child.pid;
      if (pid === undefined) throw new Error("the server process has no pid");
      const api = await adminClient(server.url);
      try {
        const form = new FormData();
        for (const file of paths) form.append("images", await openAsBlob(file, { type: "image/png" }), path.basename(file));
        const rssBefore = await statusKb(pid, "VmRSS");
        const sampler = sampleRss(pid, SAMPLE_EVERY_MS, rssBefore);
        const started = performance.now();
        const answer = await api.client.batch.analyze.mutate(form);
        const uploadMs = performance.now() - started;
        const peak = await statusKb(pid, "VmHWM");
        const sampledPeak = await sampler.stop();
        await api.client.batch.cancel.mutate({ batchId: answer.batchId });
        return {
          images: count,
          uploadBytes,
          stored: answer.totalImages,
          rejected: answer.rejected.length,
          uploadMs,
          rssBeforeMb: mbOfKb(rssBefore),
          rssPeakMb: mbOfKb(peak),
          rssSampledPeakMb: mbOfKb(sampledPeak),
        };
      } finally {
        await api.close();
        await server.stop();
      }
    });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const UPLOAD_MEMORY_TARGET_MB = 350;

export const describeUploadMemory = (r: UploadMemoryResult) =>
  `Part 8, upload memory: ${r.images} images, ${(r.uploadBytes / 1024 / 1024).toFixed(0)} MB in ${(r.uploadMs / 1000).toFixed(1)} s, ${r.stored} stored, ${r.rejected} rejected; server RSS ${r.rssBeforeMb.toFixed(0)} MB before, peak ${r.rssPeakMb.toFixed(0)} MB (VmHWM), highest 50 ms sample ${r.rssSampledPeakMb.toFixed(0)} MB`;

export function uploadMemoryRow(r: UploadMemoryResult): Row {
  return {
    measurement: `upload of ${r.images} images (${Math.round(r.uploadBytes / 1024 / 1024)} MB): server peak RSS (MB)`,
    figure: `${r.rssPeakMb.toFixed(0)} (${r.rssBeforeMb.toFixed(0)} before; ${r.stored}/${r.images} stored in ${(r.uploadMs / 1000).toFixed(1)} s)`,
    target: `< ${UPLOAD_MEMORY_TARGET_MB}`,
    pass: r.stored === r.images && r.rssPeakMb < UPLOAD_MEMORY_TARGET_MB,
  };
}
