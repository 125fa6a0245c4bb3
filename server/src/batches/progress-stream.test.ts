import { createBatch, PROGRESS_CHANNEL } from "@showscan/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { publishProgress, type BatchProgress } from "../pipeline/progress";
import { ProgressBus } from "../pipeline/progress-bus";
import { streamProgress } from "./progress-stream";

describe("streamProgress", () => {
  let database: TestDatabase;
  const bus = new ProgressBus();
  beforeAll(async () => {
    database = await createTestDatabase();
    await bus.start(database);
  });
  afterAll(async () => {
    await bus.stop();
    await database?.drop();
  });

  const newBatch = async () =>
    (await createBatch(database.db, { owner: "t", mode: "parallel", workers: 1, engine: "offline", images: [] })).batch.id;
  const publish = (batchId: string) => database.db.transaction((tx) => publishProgress(tx, batchId));
  /** A notice as another process would send it, with no row behind it. */
  const notify = (notice: object) => database.db.execute(sql`select pg_notify(${PROGRESS_CHANNEL}, ${JSON.stringify(notice)})`);

  /** Starts a stream and pulls `count` events from it, then stops it. */
  function take(batchId: string, lastEventId: number | null, count: number) {
    const abort = new AbortController();
    const stream = streamProgress({ db: database.db, bus }, batchId, lastEventId, abort.signal);
    const first = stream.next();
    const all = (async () => {
      const seen: { seq: number; progress: BatchProgress }[] = [];
      let next = await first;
      while (!next.done) {
        seen.push(next.value);
        if (seen.length === count) break;
        next = await stream.next();
      }
      abort.abort();
      await stream.return(undefined);
      return seen;
    })();
    return { all, first };
  }

  it("resumes after lastEventId from the table, then follows live commits in order", async () => {
    const batchId = await newBatch();
    for (let i = 0; i < 3; i++) await publish(batchId);
    const { all } = take(batchId, 0, 5);
    // Give the catch-up read time to finish so the rest arrive as notices.
    await new Promise((r) => setTimeout(r, 200));
    await publish(batchId);
    await publish(batchId);
    expect((await all).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("delivers a snapshot carried by its notice without reading its row", async () => {
    const batchId = await newBatch();
    await publish(batchId);
    const { all } = take(batchId, 1, 1);
    await new Promise((r) => setTimeout(r, 200));
    const carried = { batchId, seq: 2, status: "running", data: { batchId, status: "running", seq: 2, totalImages: 99 } };
    await notify(carried);
    const [event] = await all;
    expect(event).toMatchObject({ seq: 2, progress: { totalImages: 99 } });
  });

  it("fills a gap, or a notice without its snapshot, from the table", async () => {
    const batchId = await newBatch();
    await publish(batchId);
    /** A row stored with no notice sent, as if its notice were lost with the LISTEN connection. */
    const store = (seq: number) =>
      database.db.execute(
        sql`insert into progress_events (batch_id, seq, data) values (${batchId}, ${seq}, ${JSON.stringify({ batchId, seq, status: "running", totalImages: seq * 10 })}::jsonb)`,
      );
    const { all } = take(batchId, 1, 4);
    await new Promise((r) => setTimeout(r, 200));
    await store(2);
    await store(3);
    await notify({ batchId, seq: 3, status: "running" });
    await store(4);
    await store(5);
    // Carries a snapshot, but 4 was never heard: both come from their rows.
    await notify({ batchId, seq: 5, status: "running", data: { batchId, seq: 5, status: "running", totalImages: -1 } });
    const seen = await all;
    expect(seen.map((e) => [e.seq, e.progress.totalImages])).toEqual([
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
  });
});
