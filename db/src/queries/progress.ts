import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Executor } from "../client";

/** NOTIFY channels: progress of a batch, and "there is work to claim" for idle dispatchers. */
export const PROGRESS_CHANNEL = "showscan_progress";
export const WORK_CHANNEL = "showscan_work";

/** Queued with the transaction: listeners hear it only once the change is committed. */
export async function notifyProgress(db: Executor, batchId: string, seq: number) {
  await db.execute(sql`select pg_notify(${PROGRESS_CHANNEL}, ${JSON.stringify({ batchId, seq })})`);
}

export async function notifyWork(db: Executor) {
  await db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
}

/** LISTENs on the driver's dedicated connection; returns a function that stops listening. */
export async function listen(client: postgres.Sql, channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
  const { unlisten } = await client.listen(channel, onMessage);
  return unlisten;
}

export async function databaseNow(db: Executor): Promise<Date> {
  const [row] = await db.execute<{ now: Date }>(sql`select now() as now`);
  return new Date(row!.now);
}

/** The raw figures behind a BatchProgress snapshot, read in one statement so they agree. */
export async function progressFigures(db: Executor, batchId: string) {
  const [row] = await db.execute<{
    in_flight: number;
    timed_images: number;
    sum_image_ms: number;
    now: Date;
  }>(sql`
    select
      (select count(*)::int from images where batch_id = ${batchId} and status = 'running') as in_flight,
      (select count(*)::int from images where batch_id = ${batchId} and duplicate_of is null and duration_ms is not null and status in ('succeeded', 'failed')) as timed_images,
      (select coalesce(sum(duration_ms), 0)::int from images where batch_id = ${batchId} and duplicate_of is null and status in ('succeeded', 'failed')) as sum_image_ms,
      now() as now`);
  return { inFlight: row!.in_flight, timedImages: row!.timed_images, sumImageMs: row!.sum_image_ms, now: new Date(row!.now) };
}
