import { FINAL_BATCH_STATUSES, getBatch, listProgressEvents, type Database } from "@showscan/db";

/** Reads again this often even without a notice: a lost LISTEN connection must not stall a stream. */
const REREAD_MS = 5_000;
import type { BatchProgress } from "../pipeline/progress";
import type { ProgressBus } from "../pipeline/progress-bus";
import { untilReachable } from "../until-reachable";

/**
 * The stored progress events of a batch after `lastEventId`, then each new one as it is
 * committed, ending after the final one. It subscribes before it reads, so an event committed
 * in between is not missed; ids come from the database, so a resumed stream has no gap and no
 * repeat. Without `lastEventId` it starts from the latest snapshot.
 */
export async function* streamProgress(
  deps: { db: Database; bus: ProgressBus },
  batchId: string,
  lastEventId: number | null,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ seq: number; progress: BatchProgress }> {
  let wake: (() => void) | null = null;
  let pending = true;
  const unsubscribe = deps.bus.subscribe(batchId, () => {
    pending = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    let after = lastEventId ?? -1;
    if (lastEventId === null) {
      const batch = await untilReachable(() => getBatch(deps.db, batchId), signal);
      after = batch ? batch.progressSeq - 1 : -1;
    }
    while (!signal?.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, REREAD_MS).unref();
        });
      }
      pending = false;
      wake = null;
      let read = 0;
      for (;;) {
        const events = await untilReachable(() => listProgressEvents(deps.db, batchId, after), signal);
        read += events.length;
        for (const event of events) {
          after = event.seq;
          const progress = event.data as BatchProgress;
          yield { seq: event.seq, progress };
          if (FINAL_BATCH_STATUSES.includes(progress.status)) return;
        }
        if (events.length < 500) break;
      }
      // Resumed after the final event (the client saw it, the socket dropped before "stopped").
      if (
        read === 0 &&
        FINAL_BATCH_STATUSES.includes((await untilReachable(() => getBatch(deps.db, batchId), signal))?.status ?? "completed")
      )
        return;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
}
