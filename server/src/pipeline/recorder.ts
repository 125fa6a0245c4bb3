import type { Database } from "@showscan/db";
import type { MemoryPeak } from "./memory-peaks";
import { type Answer, recordAnswers, type Recorded } from "./record";
import type { RetryPolicy } from "./retry-policy";

interface Queued extends Answer {
  resolve(recorded: Recorded): void;
  reject(error: unknown): void;
}

/**
 * Group commit for a batch's answers in this process. The first answer is recorded at once;
 * answers that arrive while a record of the same batch is under way wait for it and then go
 * together in the next transaction. A record holds the batch row, so answers of one batch record
 * one after the other anyway: waiting for the one under way costs nothing, and taking the queue
 * together saves a commit, a counter update and a snapshot per image. At low load each answer
 * goes alone, so none waits for a group to fill.
 */
export class Recorder {
  private readonly queues = new Map<string, Queued[]>();

  constructor(
    private readonly o: {
      db: Database;
      owner: string;
      policy: RetryPolicy;
      /** This process's memory peak for a batch, stored with its figures by the record that ends it. */
      memoryPeak: (batchId: string) => MemoryPeak;
    },
  ) {}

  record(answer: Answer): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const { batchId } = answer.claim;
      const queue = this.queues.get(batchId);
      if (queue) {
        queue.push({ ...answer, resolve, reject });
        return;
      }
      this.queues.set(batchId, []);
      void this.run(batchId, [{ ...answer, resolve, reject }]);
    });
  }

  /** Records `group`, then whatever queued meanwhile, until the queue is empty. */
  private async run(batchId: string, first: Queued[]): Promise<void> {
    let group = first;
    while (group.length > 0) {
      await this.commit(batchId, group);
      group = this.queues.get(batchId) ?? [];
      this.queues.set(batchId, []);
    }
    this.queues.delete(batchId);
  }

  private async commit(batchId: string, group: Queued[]): Promise<void> {
    try {
      const recorded = await recordAnswers(this.o.db, batchId, group, this.o.owner, this.o.policy, () => this.o.memoryPeak(batchId));
      for (const [i, entry] of group.entries()) entry.resolve(recorded[i] as Recorded);
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      // One answer the database refuses must not take the others with it: each goes alone, and
      // each caller hears its own error (a lost connection is retried by the caller).
      for (const entry of group) await this.commit(batchId, [entry]);
    }
  }
}
