import { and, asc, desc, eq, getViewSelectedFields, gte, lt, type SQL, sql } from "drizzle-orm";
import { getViewConfig, type PgView } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { onlyRow } from "./rows";
import {
  attempts,
  type BatchMode,
  batches,
  modelRates,
  type ModelRateRow,
  reportBatches,
  reportDaily,
  reportErrors,
  reportSources,
  reportViewBodies,
  reportWaits,
  reportWeekly,
} from "../schema";

/** What a report covers. Every field is optional; together they narrow (AND). */
export interface ReportFilter {
  /** From this instant on (inclusive): batches created, or for errors attempts started. */
  from?: Date;
  /** Before this instant (exclusive). */
  to?: Date;
  owner?: string;
  /** The batches' source URL, exactly. */
  source?: string;
  mode?: BatchMode;
}

/** The filter on report_batches' own columns. */
function batchesWhere(f: ReportFilter): SQL | undefined {
  return and(
    f.from ? gte(reportBatches.createdAt, f.from) : undefined,
    f.to ? lt(reportBatches.createdAt, f.to) : undefined,
    f.owner !== undefined ? eq(reportBatches.owner, f.owner) : undefined,
    f.source !== undefined ? eq(reportBatches.sourceUrl, f.source) : undefined,
    f.mode ? eq(reportBatches.mode, f.mode) : undefined,
  );
}

/**
 * A roll-up view's own body over the filtered rows, as a CTE of the view's name and columns: the
 * rows read from it map (and type) exactly as the view's would.
 */
function filteredView<V extends PgView>(db: Executor, view: V, body: SQL) {
  return db.$with(getViewConfig(view).name, getViewSelectedFields(view)).as(body);
}

export type ReportBatchRow = typeof reportBatches.$inferSelect;
export type ReportDailyRow = typeof reportDaily.$inferSelect;
export type ReportWeeklyRow = typeof reportWeekly.$inferSelect;
export type ReportErrorRow = typeof reportErrors.$inferSelect;
export type ReportSourceRow = typeof reportSources.$inferSelect;
export type ReportWaitRow = typeof reportWaits.$inferSelect;

/** report_batches rows, newest first. */
export async function reportBatchRows(db: Executor, f: ReportFilter, limit = 500): Promise<ReportBatchRow[]> {
  return db
    .select()
    .from(reportBatches)
    .where(batchesWhere(f))
    .orderBy(desc(reportBatches.createdAt), desc(reportBatches.batchId))
    .limit(limit);
}

/** report_daily over the filtered batches, oldest day first. */
export async function reportDailyRows(db: Executor, f: ReportFilter): Promise<ReportDailyRow[]> {
  const v = filteredView(db, reportDaily, reportViewBodies.daily(batchesWhere(f)));
  return db.with(v).select().from(v).orderBy(asc(sql`day`));
}

/** report_weekly over the filtered batches, oldest week first. */
export async function reportWeeklyRows(db: Executor, f: ReportFilter): Promise<ReportWeeklyRow[]> {
  const v = filteredView(db, reportWeekly, reportViewBodies.weekly(batchesWhere(f)));
  return db.with(v).select().from(v).orderBy(asc(sql`week_start`));
}

/** report_sources over the filtered batches, the most recently used source first. */
export async function reportSourceRows(db: Executor, f: ReportFilter): Promise<ReportSourceRow[]> {
  const v = filteredView(db, reportSources, reportViewBodies.sources(batchesWhere(f)));
  return db.with(v).select().from(v).orderBy(desc(sql`last_batch_at`), asc(sql`source_url`), asc(sql`owner`));
}

/** report_waits over the filtered batches, oldest day first. */
export async function reportWaitRows(db: Executor, f: ReportFilter): Promise<ReportWaitRow[]> {
  const v = filteredView(db, reportWaits, reportViewBodies.waits(batchesWhere(f)));
  return db.with(v).select().from(v).orderBy(asc(sql`day`));
}

/** report_errors over the filtered attempts (the date range on their start), per day the most frequent class first. */
export async function reportErrorRows(db: Executor, f: ReportFilter): Promise<ReportErrorRow[]> {
  const filter = and(
    f.from ? gte(attempts.startedAt, f.from) : undefined,
    f.to ? lt(attempts.startedAt, f.to) : undefined,
    f.owner !== undefined ? eq(batches.owner, f.owner) : undefined,
    f.source !== undefined ? eq(batches.sourceUrl, f.source) : undefined,
    f.mode ? eq(batches.mode, f.mode) : undefined,
  );
  const v = filteredView(db, reportErrors, reportViewBodies.errors(filter));
  return db.with(v).select().from(v).orderBy(asc(sql`day`), desc(sql`attempts`), asc(sql`error_class`));
}

export type NewModelRate = typeof modelRates.$inferInsert;

/** Adds a model's rate from `validFrom` on (now by default), or corrects the one with that start. */
export async function setModelRate(db: Executor, rate: NewModelRate): Promise<ModelRateRow> {
  const rows = await db
    .insert(modelRates)
    .values(rate)
    .onConflictDoUpdate({
      target: [modelRates.model, modelRates.validFrom],
      set: { promptUsdPerMillion: rate.promptUsdPerMillion, outputUsdPerMillion: rate.outputUsdPerMillion },
    })
    .returning();
  return onlyRow(rows, `setModelRate ${rate.model}`);
}

/** Every rate, by model, oldest first. */
export async function listModelRates(db: Executor): Promise<ModelRateRow[]> {
  return db.select().from(modelRates).orderBy(asc(modelRates.model), asc(modelRates.validFrom));
}
