import type { BatchMetricsInput, BatchRow } from "@showscan/db";
import type { Logger } from "../logger";
import type { AttemptResult, HeldClaim } from "./attempt";

/** Log lines in the style of the original service, from measured figures. */
export const batchLog = {
  started(log: Logger, batch: BatchRow) {
    log.info({ batchId: batch.id }, `🚀 Processing ${batch.totalImages} images with ${batch.workers} workers...`);
  },
  /** One line per attempt, with the ids a reader filters on; a failure at warn, with its class and reason. */
  attempt(log: Logger, claim: HeldClaim, attempt: AttemptResult) {
    const about = { batchId: claim.batchId, imageId: claim.imageId, fileName: claim.fileName, attempt: claim.attemptNumber };
    if (attempt.ok && attempt.source === "cache") {
      log.info({ ...about, latencyMs: attempt.latencyMs, cachedFrom: attempt.hit.imageId }, "image answered from the cache");
    } else if (attempt.ok) {
      const { usage } = attempt.result;
      log.info(
        {
          ...about,
          latencyMs: attempt.latencyMs,
          prepareMs: attempt.prepareMs,
          promptTokens: usage.promptTokens,
          outputTokens: usage.outputTokens,
        },
        "image analysed",
      );
    } else {
      log.warn(
        {
          ...about,
          latencyMs: attempt.latencyMs,
          errorClass: attempt.error.errorClass,
          httpStatus: attempt.error.details.httpStatus ?? null,
        },
        `image attempt failed: ${attempt.error.message}`,
      );
    }
  },
  /** One line each time another group of `workers` images has finished (the seed's "batches"). */
  progressed(log: Logger, batch: BatchRow, before: number) {
    const after = batch.succeededImages + batch.failedImages;
    const total = Math.ceil(batch.totalImages / batch.workers);
    const group = Math.floor(after / batch.workers);
    if (group > Math.floor(before / batch.workers) || (after === batch.totalImages && after !== before)) {
      log.info(
        { batchId: batch.id },
        `📊 Batch ${Math.min(total, Math.ceil(after / batch.workers))}/${total} completed: ${after} images processed`,
      );
    }
  },
  finished(log: Logger, batch: BatchRow, m: BatchMetricsInput) {
    const s = (ms: number) => `${Math.round(ms / 1000)}s`;
    const pct = Math.round(m.successRate * 100);
    log.info({ batchId: batch.id, status: batch.status }, `✅ Completed in ${s(m.wallMs)} (sum of image times: ${s(m.sumImageMs)})`);
    log.info({ batchId: batch.id }, `⚡ Speedup: ${m.speedup.toFixed(1)}x`);
    log.info({ batchId: batch.id }, `📈 Success rate: ${batch.succeededImages}/${batch.totalImages} images (${pct}%)`);
    if (batch.error) log.warn({ batchId: batch.id }, `❌ ${batch.error}`);
  },
};
