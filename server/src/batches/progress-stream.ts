import { FINAL_BATCH_STATUSES, getBatch, listProgressEvents, type Database, type ProgressNotice } from "@showscan/db";
import type { BatchProgress } from "../pipeline/progress";
import type { ProgressBus } from "../pipeline/progress-bus";
import { untilReachable } from "../until-reachable";

/** Reads again this often even without a notice: a lost LISTEN connection must not stall a stream. */
const REREAD_MS = 5_000;
/** A subscriber this far behind drops what it heard and reads from the table instead. */
const INBOX_LIMIT = 1_000;

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
  // Notices heard since the last turn. A notice that carries its snapshot is delivered from
  // here: with hundreds of subscribers on one batch, a read per subscriber per event would put
  // the database between every commit and its delivery.
  const inbox: ProgressNotice[] = [];
  let mustRead = true;
  const unsubscribe = deps.bus.subscribe(batchId, (notice) => {
    if (inbox.length < INBOX_LIMIT) inbox.push(notice);
    else mustRead = true;
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
      if (!mustRead && inbox.length === 0) {
        const heard = await new Promise<boolean>((resolve) => {
          wake = () => resolve(true);
          setTimeout(() => resolve(false), REREAD_MS).unref();
        });
        wake = null;
        if (!heard) mustRead = true;
      }
      // Notices arrive in commit order and seqs are taken under the batch's row lock, so the
      // inbox runs in seq order; a gap (a notice without its snapshot, one lost with the LISTEN
      // connection, one from before the catch-up read) is filled from the table.
      while (!mustRead && inbox.length > 0) {
        const notice = inbox.shift() as ProgressNotice;
        if (notice.seq <= after) continue;
        if (notice.seq !== after + 1 || notice.data === undefined) {
          mustRead = true;
          break;
        }
        after = notice.seq;
        const progress = notice.data as BatchProgress;
        yield { seq: notice.seq, progress };
        if (FINAL_BATCH_STATUSES.includes(progress.status)) return;
      }
      if (!mustRead) continue;
      mustRead = false;
      inbox.length = 0;
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
