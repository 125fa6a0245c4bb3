import { listenForProgress, type DbConnection, type ProgressNotice } from "@showscan/db";

type Listener = (notice: ProgressNotice) => void;

/**
 * One LISTEN connection per process, fanned out to every subscriber of a batch. Notices come
 * from any process on the database, so a subscriber here sees work done elsewhere.
 */
export class ProgressBus {
  private readonly byBatch = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();
  private unlisten: (() => Promise<void>) | undefined;

  async start(conn: DbConnection): Promise<void> {
    this.unlisten = await listenForProgress(conn, (notice) => this.dispatch(notice));
  }

  async stop(): Promise<void> {
    await this.unlisten?.().catch(() => {});
  }

  /** Listens to one batch (or to all with "*"); returns the function that stops listening. */
  subscribe(batchId: string | "*", listener: Listener): () => void {
    const set = batchId === "*" ? this.everything : (this.byBatch.get(batchId) ?? new Set());
    set.add(listener);
    if (batchId !== "*") this.byBatch.set(batchId, set);
    return () => {
      set.delete(listener);
      if (batchId !== "*" && set.size === 0) this.byBatch.delete(batchId);
    };
  }

  private dispatch(notice: ProgressNotice): void {
    for (const l of this.everything) l(notice);
    for (const l of this.byBatch.get(notice.batchId) ?? []) l(notice);
  }
}
