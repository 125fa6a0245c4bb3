import { atTheApi } from "./images";
import { and, asc, eq, getTableColumns, gt, sql } from "drizzle-orm";
import type { DbConnection, Executor } from "../client";
import { onlyRow } from "./rows";
import { batches, progressEvents } from "../schema";

/** NOTIFY channels: progress of a batch, and "there is work to claim" for idle dispatchers. */
export const PROGRESS_CHANNEL = "showscan_progress";
export const WORK_CHANNEL = "showscan_work";

export interface ProgressNotice {
  batchId: string;
  seq: number;
  status: string;
  /** The stored snapshot itself, when it fits a NOTIFY payload: live subscribers need no read. */
  data?: unknown;
}

/** NOTIFY payloads stop at 8000 bytes; a snapshot near that (a long error) is read from its row instead. */
const MAX_NOTICE_BYTES = 7_000;

/**
 * Stores a snapshot under its sequence number and announces it. The NOTIFY is queued with the
 * transaction: listeners hear it only once the snapshot is committed and readable.
 */
export async function appendProgressEvent(db: Executor, event: { batchId: string; seq: number; status: string; data: unknown }) {
  const data = JSON.stringify(event.data);
  const notice: ProgressNotice = { batchId: event.batchId, seq: event.seq, status: event.status };
  const withData = JSON.stringify({ ...notice, data: event.data });
  const payload = Buffer.byteLength(withData) <= MAX_NOTICE_BYTES ? withData : JSON.stringify(notice);
  // One round trip for both: this runs on every image's critical path.
  await db.execute(sql`
    with stored as (
      insert into ${progressEvents} (batch_id, seq, data) values (${event.batchId}, ${event.seq}, ${data}::jsonb)
      on conflict do nothing
    )
    select pg_notify(${PROGRESS_CHANNEL}, ${payload})`);
}

export async function listProgressEvents(db: Executor, batchId: string, afterSeq: number, limit = 500) {
  return db
    .select({ seq: progressEvents.seq, data: progressEvents.data })
    .from(progressEvents)
    .where(and(eq(progressEvents.batchId, batchId), gt(progressEvents.seq, afterSeq)))
    .orderBy(asc(progressEvents.seq))
    .limit(limit);
}

/**
 * Takes the next progress sequence number of a batch (locking its row until commit) and reads,
 * in the same statement, the figures its snapshot needs. Only the progress publisher calls it,
 * once per transaction, so every number has its stored snapshot.
 */
export async function bumpProgressSeq(db: Executor, batchId: string) {
  const [row] = await db
    .update(batches)
    .set({ progressSeq: sql`${batches.progressSeq} + 1` })
    .where(eq(batches.id, batchId))
    .returning({ ...getTableColumns(batches), ...figureColumns(batchId) });
  if (!row) return undefined;
  const { inFlight, timedImages, sumImageMs, now, ...batch } = row;
  return { batch, figures: { inFlight, timedImages, sumImageMs, now: new Date(now) } };
}

export async function notifyWork(db: Executor) {
  await db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
}

/** Hears every batch's progress notices, from any process on the database. */
export function listenForProgress(conn: DbConnection, onNotice: (notice: ProgressNotice) => void) {
  return conn.listen(PROGRESS_CHANNEL, (payload) => onNotice(JSON.parse(payload) as ProgressNotice));
}

/** Hears "there is work to claim" from uploads and requeues in any process. */
export function listenForWork(conn: DbConnection, onWork: () => void) {
  return conn.listen(WORK_CHANNEL, () => onWork());
}

export async function databaseNow(db: Executor): Promise<Date> {
  const rows = await db.execute<{ now: Date }>(sql`select now() as now`);
  return new Date(onlyRow(rows, "databaseNow").now);
}

const figureColumns = (batchId: string) => ({
  inFlight: sql<number>`(select count(*)::int from images r where r.batch_id = ${batchId} and ${atTheApi("r")})`,
  timedImages: sql<number>`(select count(*)::int from images where batch_id = ${batchId} and duplicate_of is null and duration_ms is not null and status in ('succeeded', 'failed'))`,
  sumImageMs: sql<number>`(select coalesce(sum(duration_ms), 0)::int from images where batch_id = ${batchId} and duplicate_of is null and status in ('succeeded', 'failed'))`,
  now: sql<string>`now()`,
});

export type ProgressFigures = { inFlight: number; timedImages: number; sumImageMs: number; now: Date };

/** The raw figures behind a BatchProgress snapshot, read in one statement so they agree. */
export async function progressFigures(db: Executor, batchId: string): Promise<ProgressFigures> {
  const row = onlyRow(await db.select(figureColumns(batchId)).from(sql`(select 1) as one`), `progressFigures ${batchId}`);
  return { ...row, now: new Date(row.now) };
}
