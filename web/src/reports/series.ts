import type { ReportBatch, ReportDay, ReportError } from "../api/types";
import { dayOf, daysBetween } from "./days";

/** One day of the daily charts; null where the day has no figure (no batch ended, or a cost not known). */
export interface DayPoint {
  day: string;
  batches: number;
  images: number;
  successRate: number | null;
  meanSpeedup: number | null;
  promptTokens: number;
  outputTokens: number;
  costUsd: number | null;
  unpricedAttempts: number;
}

/**
 * The views only have rows for days with batches. The charts get every day from the first to the
 * last of them, so a quiet day shows as a gap rather than the line jumping over it: zero images
 * and tokens (true), no success rate or speedup (there was nothing to measure).
 */
export function dailySeries(rows: ReportDay[]): DayPoint[] {
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) return [];
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(first.day, last.day).map((day) => {
    const r = byDay.get(day);
    return r
      ? { ...r }
      : {
          day,
          batches: 0,
          images: 0,
          successRate: null,
          meanSpeedup: null,
          promptTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          unpricedAttempts: 0,
        };
  });
}

export interface ImageTimePoint {
  day: string;
  /** The mean over every measured image of the day's batches. */
  meanMs: number | null;
  /** The highest p95 of the day's batches: what the slowest batch's slow images took. */
  worstP95Ms: number | null;
  measuredBatches: number;
}

/**
 * Mean time per image by UTC day of upload, from report_batches. A batch's mean is its summed image
 * time over its measured images, so the day's mean weighs each batch by its measured images (cached
 * images are not measured): sum of the sums over sum of the counts.
 */
export function imageTimeSeries(batches: ReportBatch[]): ImageTimePoint[] {
  const days = new Map<string, { sumMs: number; count: number; worstP95Ms: number | null; measuredBatches: number }>();
  for (const b of batches) {
    if (b.meanImageMs === null || b.sumImageMs === null || b.meanImageMs <= 0) continue;
    const day = dayOf(b.createdAt);
    const d = days.get(day) ?? { sumMs: 0, count: 0, worstP95Ms: null, measuredBatches: 0 };
    d.sumMs += b.sumImageMs;
    d.count += b.sumImageMs / b.meanImageMs;
    d.worstP95Ms = Math.max(d.worstP95Ms ?? 0, b.p95ImageMs ?? 0) || null;
    d.measuredBatches += 1;
    days.set(day, d);
  }
  const sorted = [...days.keys()].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return [];
  return daysBetween(first, last).map((day) => {
    const d = days.get(day);
    return d
      ? { day, meanMs: d.count > 0 ? d.sumMs / d.count : null, worstP95Ms: d.worstP95Ms, measuredBatches: d.measuredBatches }
      : { day, meanMs: null, worstP95Ms: null, measuredBatches: 0 };
  });
}

export interface ErrorClassTotal {
  errorClass: string;
  attempts: number;
  days: number;
  /** The latest day's sample message of the class. */
  sampleMessage: string | null;
  lastDay: string;
}

/** report_errors' per-day rows summed per class, the most frequent first (ties by name). */
export function errorTotals(rows: ReportError[], top = 8): ErrorClassTotal[] {
  const classes = new Map<string, ErrorClassTotal>();
  for (const r of rows) {
    const c = classes.get(r.errorClass) ?? { errorClass: r.errorClass, attempts: 0, days: 0, sampleMessage: null, lastDay: r.day };
    c.attempts += r.attempts;
    c.days += 1;
    if (r.day >= c.lastDay) {
      c.lastDay = r.day;
      c.sampleMessage = r.sampleMessage ?? c.sampleMessage;
    }
    classes.set(r.errorClass, c);
  }
  return [...classes.values()].sort((a, b) => b.attempts - a.attempts || a.errorClass.localeCompare(b.errorClass)).slice(0, top);
}

export interface Totals {
  batches: number;
  images: number;
  successRate: number | null;
  promptTokens: number;
  outputTokens: number;
  /** Null when any attempt in the range is unpriced: a partial sum would look like the whole cost. */
  costUsd: number | null;
  unpricedAttempts: number;
}

export function totals(rows: ReportDay[]): Totals {
  const sum = (pick: (r: ReportDay) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const images = sum((r) => r.images);
  const unpricedAttempts = sum((r) => r.unpricedAttempts);
  return {
    batches: sum((r) => r.batches),
    images,
    successRate: images > 0 ? sum((r) => r.succeeded) / images : null,
    promptTokens: sum((r) => r.promptTokens),
    outputTokens: sum((r) => r.outputTokens),
    costUsd: unpricedAttempts > 0 ? null : sum((r) => r.costUsd ?? 0),
    unpricedAttempts,
  };
}
