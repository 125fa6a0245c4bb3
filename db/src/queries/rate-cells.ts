import { eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { rateCells } from "../schema";

/*
 * The key-wide request schedule: GCRA (the generic cell rate algorithm) kept in one row per key,
 * so every process on the database draws from the same schedule.
 *
 * The row holds `tat`, the theoretical arrival time of the next request. A request reserves its
 * start with one statement: it may go at greatest(tat, now, paused_until) and moves tat one
 * emission interval T = period / rate past that. Starts are therefore spread T apart, never a
 * burst at a minute's start, and any window of one period holds at most `rate` of them — unlike
 * fixed windows, which let twice the rate through around a window edge. The caller sleeps until
 * its start; a reservation further ahead than the horizon is refused ("try again in X ms"), so a
 * waiter that is aborted (cancel, lost lease) leaves little of the schedule unused behind it.
 *
 * 429s adapt the rate (AIMD), in the same row: a per-minute 429 pauses the key (`paused_until`,
 * which every reservation respects) and halves `allowed_rpm`; while none arrives it rises by a
 * tenth of the configured rate per period of success, computed from `updated_at` when a request
 * reserves, so no timer is needed. Null `allowed_rpm` means the configured rate.
 *
 * Every time is the database's clock (to the millisecond, as the columns keep it), so processes
 * on machines with drifting clocks still share one schedule; the caller gets a delay back.
 */

const DEFAULT_PERIOD_MS = 60_000;
const DEFAULT_HORIZON_MS = 5_000;
/**
 * T is a hair over period / rate: a sleeper woken late and the next one woken on time would
 * otherwise start closer than T, and a window could hold one start too many. 0.5% of a minute is
 * 300 ms of lateness absorbed, at a cost of 0.5% of the rate. T is also rounded up to whole
 * milliseconds (the columns' grain), which costs under 2% up to 1 000 rpm.
 */
const INTERVAL_MARGIN = 1.005;
/** The allowed rate climbs back by this share of the configured rate per period without a 429. */
const RECOVERY_PER_PERIOD = 0.1;
const MIN_RPM = 1;

/** Now, on the columns' millisecond grain: tat = start + T then stays exact. */
const NOW = sql`date_trunc('milliseconds', now())`;

const ms = (value: SQL) => sql`(extract(epoch from ${value}) * 1000)`;

/**
 * The allowed rate of the cell's current row after its recovery since `updated_at` (null: back
 * at the configured rate, or it never was lowered).
 */
function recovered(rpm: number, periodMs: number): SQL {
  const gained = sql`${RECOVERY_PER_PERIOD * rpm}::float8 * greatest(0, ${ms(sql`${NOW} - ${rateCells.updatedAt}`)}) / ${periodMs}::float8`;
  return sql`case when ${rateCells.allowedRpm} is null or ${rateCells.allowedRpm} + ${gained} >= ${rpm}::float8 then null
    else ${rateCells.allowedRpm} + ${gained} end`;
}

/** Whole milliseconds between two starts at the given allowed rate (null: the configured one). */
function intervalMs(rpm: number, periodMs: number, allowed: SQL): SQL {
  return sql`ceil(${periodMs * INTERVAL_MARGIN}::float8 / least(${rpm}::float8, coalesce(${allowed}, ${rpm}::float8)))`;
}

export interface ReserveOptions {
  key: string;
  /** The configured limit: requests per period. */
  rpm: number;
  /** The window the limit counts in; 60 000 ms in production, shorter in tests. */
  periodMs?: number;
  horizonMs?: number;
}

export type Reservation =
  /** `at` is the start on the database's clock, `waitMs` how long from now; `rpm` the rate it was paced at. */
  | { ok: true; at: Date; waitMs: number; rpm: number }
  /** Nothing reserved: the next start is beyond the horizon. */
  | { ok: false; retryInMs: number };

/** Reserves one request's start on the key's schedule (see the header above). */
export async function reserveRate(db: Executor, opts: ReserveOptions): Promise<Reservation> {
  const periodMs = opts.periodMs ?? DEFAULT_PERIOD_MS;
  const horizonMs = opts.horizonMs ?? DEFAULT_HORIZON_MS;
  const allowed = recovered(opts.rpm, periodMs);
  const start = sql`greatest(${rateCells.tat}, ${NOW}, coalesce(${rateCells.pausedUntil}, ${NOW}))`;
  // After the update the row holds the rate it was paced at, so the returned interval is the
  // one added: the start is tat - T exactly. A refused reservation updates no row and returns none.
  const interval = intervalMs(opts.rpm, periodMs, sql`${rateCells.allowedRpm}`);
  const [row] = await db
    .insert(rateCells)
    .values({
      key: opts.key,
      tat: sql`${NOW} + ${intervalMs(opts.rpm, periodMs, sql`null::float8`)} * interval '1 millisecond'`,
      updatedAt: NOW,
    })
    .onConflictDoUpdate({
      target: rateCells.key,
      set: {
        tat: sql`${start} + ${intervalMs(opts.rpm, periodMs, allowed)} * interval '1 millisecond'`,
        allowedRpm: allowed,
        updatedAt: sql`greatest(${rateCells.updatedAt}, ${NOW})`,
      },
      setWhere: sql`${start} <= ${NOW} + ${horizonMs} * interval '1 millisecond'`,
    })
    .returning({
      at: sql<number>`(${ms(sql`${rateCells.tat}`)} - ${interval})::float8`,
      waitMs: sql<number>`greatest(0, ${ms(sql`${rateCells.tat} - now()`)} - ${interval})::float8`,
      rpm: sql<number>`least(${opts.rpm}::float8, coalesce(${rateCells.allowedRpm}, ${opts.rpm}::float8))`,
    });
  if (row) return { ok: true, at: new Date(Number(row.at)), waitMs: Math.ceil(Number(row.waitMs)), rpm: Number(row.rpm) };
  // Read outside the reservation: the row only moves later meanwhile, so this errs on waiting less.
  const [ahead] = await db
    .select({
      ms: sql<number>`${ms(sql`greatest(${rateCells.tat}, coalesce(${rateCells.pausedUntil}, ${rateCells.tat})) - now()`)}::float8`,
    })
    .from(rateCells)
    .where(eq(rateCells.key, opts.key));
  return { ok: false, retryInMs: Math.max(1, Math.ceil(Number(ahead?.ms ?? 0) - horizonMs)) };
}

export interface PauseOptions {
  key: string;
  pauseMs: number;
  /** The configured limit the rate was last paced at (null: unknown, only the pause applies). */
  rpm: number | null;
  periodMs?: number;
}

/**
 * A per-minute 429: holds every reservation back until `pauseMs` from now and halves the allowed
 * rate. The requests already in flight when the first 429 came back get 429s of their own; those
 * land while the key is paused and only extend the pause, or one burst would cut the rate to an
 * eighth. The recovery clock (`updated_at`) starts when the pause ends.
 */
export async function pauseRateCell(db: Executor, opts: PauseOptions) {
  const periodMs = opts.periodMs ?? DEFAULT_PERIOD_MS;
  const until = sql`${NOW} + ${Math.max(0, Math.round(opts.pauseMs))} * interval '1 millisecond'`;
  const current = opts.rpm === null ? sql`${rateCells.allowedRpm}` : sql`coalesce(${recovered(opts.rpm, periodMs)}, ${opts.rpm}::float8)`;
  // greatest() skips nulls: an unknown rate stays unknown rather than dropping to the minimum.
  const halved = sql`case when ${current} is null then null else greatest(${MIN_RPM}::float8, ${current} / 2) end`;
  const [row] = await db
    .insert(rateCells)
    .values({
      key: opts.key,
      tat: NOW,
      allowedRpm: opts.rpm === null ? null : Math.max(MIN_RPM, opts.rpm / 2),
      pausedUntil: until,
      updatedAt: until,
    })
    .onConflictDoUpdate({
      target: rateCells.key,
      set: {
        allowedRpm: sql`case when ${rateCells.pausedUntil} > ${NOW} then ${rateCells.allowedRpm} else ${halved} end`,
        pausedUntil: sql`greatest(${rateCells.pausedUntil}, ${until})`,
        updatedAt: sql`greatest(${rateCells.pausedUntil}, ${until})`,
      },
    })
    .returning({ allowedRpm: rateCells.allowedRpm, pausedUntil: rateCells.pausedUntil });
  if (!row) throw new Error(`rate cell ${opts.key}: the pause wrote no row`);
  return row;
}

/** The key's cell as stored (undefined: no request reserved yet). */
export async function getRateCell(db: Executor, key: string) {
  const [row] = await db.select().from(rateCells).where(eq(rateCells.key, key));
  return row;
}
