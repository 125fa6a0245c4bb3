import type { ReportDailyRow, ReportErrorRow } from "@showscan/db";

type Day = Pick<ReportDailyRow, "batches" | "images" | "succeeded" | "promptTokens" | "outputTokens" | "costUsd" | "unpricedAttempts">;

/** A period's figures added up from its days; the cost stays unknown when any day's is. */
export function totalOfDays(days: Day[]) {
  const sum = (pick: (d: Day) => number) => days.reduce((n, d) => n + pick(d), 0);
  const unpricedAttempts = sum((d) => d.unpricedAttempts);
  const images = sum((d) => d.images);
  const succeeded = sum((d) => d.succeeded);
  return {
    batches: sum((d) => d.batches),
    images,
    succeeded,
    successRate: images ? succeeded / images : null,
    promptTokens: sum((d) => d.promptTokens),
    outputTokens: sum((d) => d.outputTokens),
    costUsd: unpricedAttempts > 0 ? null : sum((d) => d.costUsd ?? 0),
    unpricedAttempts,
  };
}

type ErrorDay = Pick<ReportErrorRow, "day" | "errorClass" | "attempts" | "sampleMessage">;

/** The error classes of a period, most attempts first, each with the last day it was seen and that day's latest message. */
export function topErrorClasses(rows: ErrorDay[], limit = 5) {
  const byClass = new Map<string, { errorClass: string; attempts: number; lastDay: string; sampleMessage: string | null }>();
  for (const row of rows) {
    const seen = byClass.get(row.errorClass);
    if (!seen)
      byClass.set(row.errorClass, {
        errorClass: row.errorClass,
        attempts: row.attempts,
        lastDay: row.day,
        sampleMessage: row.sampleMessage,
      });
    else {
      seen.attempts += row.attempts;
      if (row.day >= seen.lastDay) Object.assign(seen, { lastDay: row.day, sampleMessage: row.sampleMessage ?? seen.sampleMessage });
    }
  }
  return [...byClass.values()].sort((a, b) => b.attempts - a.attempts || a.errorClass.localeCompare(b.errorClass)).slice(0, limit);
}
