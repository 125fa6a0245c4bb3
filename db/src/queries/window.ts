import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { batches, images } from "../schema";
import { atTheApi } from "./images";

/** One image of a claim, as its lease names it. */
export interface HeldImage {
  imageId: string;
  attemptNumber: number;
}

/**
 * Puts a claimed image's request at the API if the batch's window (`workers`) has room over
 * all processes, and takes `release` (the image whose request just ended here) out of the
 * window in the same step: the slot passes from one image to the next without a moment in
 * which another process could see it free and take it. True when the request may go.
 *
 * The count must see every earlier grant, so it runs in a statement after a per-batch advisory
 * lock: a statement's snapshot is taken when it starts, so a lock taken inside it would come
 * after a stale count. The advisory lock, not the batch row, because recording an attempt
 * holds the row for a while and this stands between two requests. Durability is waived: a
 * grant lost in a crash was the crashed process's, whose requests died with it.
 */
export async function takeSlot(
  db: Database,
  args: { batchId: string; owner: string; leaseMs: number; image: HeldImage; release: HeldImage | null },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`window:${args.batchId}`}, 0))`);
    const release = args.release ?? { imageId: args.image.imageId, attemptNumber: -1 };
    const rows = await tx.execute<{ id: string }>(sql`
      with released as (
        update ${images} set calling_since = null
        where id = ${release.imageId} and lease_owner = ${args.owner} and attempt_count = ${release.attemptNumber}
        returning id
      )
      update ${images} i set calling_since = now(), lease_expires_at = now() + ${`${args.leaseMs} milliseconds`}::interval
      where i.id = ${args.image.imageId} and i.lease_owner = ${args.owner} and i.attempt_count = ${args.image.attemptNumber}
        and i.status = 'running'
        and (select count(*) from ${images} r
             where r.batch_id = ${args.batchId} and ${atTheApi("r")}
               -- The released request still counts in this snapshot: leave it out by its lease.
               and not (r.id = ${release.imageId} and r.attempt_count = ${release.attemptNumber} and r.lease_owner = ${args.owner}))
          < (select workers from ${batches} where id = ${args.batchId} and status in ('queued', 'running'))
      returning i.id`);
    return rows.length > 0;
  });
}

/**
 * Moves a place in the window from a request that ended to the next one in one statement: the
 * one stops counting as the other starts, so the batch's count never changes and no lock or
 * count is needed (a count elsewhere sees one or the other). Nothing moves unless the ended
 * request still counted (its lease held): otherwise the place was not this process's to give.
 * True when the place moved.
 */
export async function passSlot(db: Executor, args: { owner: string; leaseMs: number; from: HeldImage; to: HeldImage }): Promise<boolean> {
  const rows = await db.execute<{ id: string }>(sql`
    with released as (
      update ${images} f set calling_since = null
      where f.id = ${args.from.imageId} and f.lease_owner = ${args.owner} and f.attempt_count = ${args.from.attemptNumber}
        and ${atTheApi("f")}
      returning f.id
    )
    update ${images} i set calling_since = now(), lease_expires_at = now() + ${`${args.leaseMs} milliseconds`}::interval
    where i.id = ${args.to.imageId} and i.lease_owner = ${args.owner} and i.attempt_count = ${args.to.attemptNumber}
      and i.status = 'running' and exists (select 1 from released)
    returning i.id`);
  return rows.length > 0;
}

/**
 * Pushes the leases of every image this process holds (prepared ahead, waiting for a slot, or
 * at the API) in one statement; returns the ids it still holds, so the caller drops the rest.
 */
export async function extendLeases(db: Executor, args: { owner: string; leaseMs: number; held: HeldImage[] }): Promise<Set<string>> {
  if (args.held.length === 0) return new Set();
  const rows = await db
    .update(images)
    .set({ leaseExpiresAt: sql`now() + ${`${args.leaseMs} milliseconds`}::interval` })
    .where(
      and(
        inArray(
          images.id,
          args.held.map((h) => h.imageId),
        ),
        eq(images.leaseOwner, args.owner),
        eq(images.status, "running"),
      ),
    )
    .returning({ id: images.id, attemptCount: images.attemptCount });
  const attempt = new Map(args.held.map((h) => [h.imageId, h.attemptNumber]));
  return new Set(rows.filter((r) => attempt.get(r.id) === r.attemptCount).map((r) => r.id));
}

/** The window `workers: 'auto'` chose for a batch: every process's slots follow it. */
export async function setBatchWorkers(db: Executor, batchId: string, workers: number): Promise<void> {
  await db
    .update(batches)
    .set({ workers })
    .where(and(eq(batches.id, batchId), eq(batches.workersAuto, true)));
}
