import { noteNoticeOnLeasedBatches, type Database } from "@showscan/db";
import type { Logger } from "../logger";
import type { WorkerPool } from "../pool/pool";
import { publishProgress } from "./progress";

/**
 * Tells the batches this process is working on when its worker pool gives up threads: the
 * notice goes on each batch and out with its next progress snapshot, so the owner sees why it
 * slowed down. Answers the function that stops listening.
 */
export function noticePoolShrinks(deps: { db: Database; pool: WorkerPool; logger: Logger }, owner: string): () => void {
  return deps.pool.onShrink((_threads, message) => {
    void (async () => {
      const noted = await noteNoticeOnLeasedBatches(deps.db, owner, message);
      for (const batchId of noted) await deps.db.transaction((tx) => publishProgress(tx, batchId));
    })().catch((error: unknown) => deps.logger.warn({ err: error }, "noting the smaller worker pool on its batches failed"));
  });
}
