import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/test-database";
import { FLASH, FLASH_RATE, type HistoryKey, insertReportHistory, PRO } from "../../../test/support/report-history";
import { reportAttemptCosts, reportBatches, reportDaily, reportErrors, reportSources, reportWaits, reportWeekly } from "../schema";
import {
  listModelRates,
  reportBatchRows,
  reportDailyRows,
  reportErrorRows,
  reportSourceRows,
  reportWaitRows,
  reportWeeklyRows,
  setModelRate,
} from "./reports";

const close = (n: number) => expect.closeTo(n, 12);
const t = (iso: string) => new Date(iso);

// Figures worked out by hand from test/support/report-history.ts, with flash at $0.30 / $2.50 per
// million prompt / output tokens and no rate for pro:
//   A (alice, 2 Mar): 6 attempts (2 after a first, one 429), 3000 / 500 tokens: 0.0009 + 0.00125 = $0.00215
//   B (bob, 2 Mar):   3 attempts (1 retry), 4000 / 1000 tokens: 0.0012 + 0.0025 = $0.0037
//   C (alice, 4 Mar, pro): 6 attempts (3 retries, two 429s), 20000 / 6000 tokens in 4 attempts: unpriced
//   D (carol, 5 Mar): 2 attempts, 800 / 0 tokens: $0.00024
//   E (alice, 5 Mar, running): 1 attempt in flight, no tokens: $0
//   F (bob, 9 Mar): 1 attempt, 1000 / 100 tokens: 0.0003 + 0.00025 = $0.00055
describe("reporting views over a known history", () => {
  let database: TestDatabase;
  let ids: Record<HistoryKey, string>;
  beforeAll(async () => {
    database = await createTestDatabase();
    ids = await insertReportHistory(database.db);
  });
  afterAll(() => database?.drop());

  const batchRow = async (key: HistoryKey) => (await reportBatchRows(database.db, {})).find((r) => r.batchId === ids[key]);

  it("report_batches: one row a batch with its counters, measured figures, waits, attempts, tokens and cost", async () => {
    const rows = await database.db.select().from(reportBatches);
    expect(rows).toHaveLength(6);
    expect(await batchRow("A")).toEqual({
      batchId: ids.A,
      createdAt: t("2026-03-02T10:00:00Z"),
      finishedAt: t("2026-03-02T10:00:21Z"),
      status: "completed",
      owner: "alice",
      sourceUrl: "https://example.com/a",
      mode: "parallel",
      workers: 3,
      engine: "gemini",
      model: FLASH,
      images: 4,
      succeeded: 3,
      failed: 1,
      cached: 1,
      successRate: 0.75,
      wallMs: 20_000,
      sumImageMs: 12_000,
      speedup: 0.6,
      meanImageMs: 4000,
      p50ImageMs: 4000,
      p95ImageMs: 4900,
      // The cached image answered first, 3 s after the upload; the batch ended 21 s after it.
      firstResultMs: 3000,
      lastResultMs: 21_000,
      attempts: 6,
      retries: 2,
      rateLimited: 1,
      promptTokens: 3000,
      outputTokens: 500,
      costUsd: close(0.00215),
      unpricedAttempts: 0,
    });
    expect(await batchRow("B")).toMatchObject({ images: 2, succeeded: 2, failed: 0, cached: 0, successRate: 1, speedup: 1 });
    expect(await batchRow("B")).toMatchObject({ firstResultMs: 4000, lastResultMs: 10_000, attempts: 3, retries: 1, rateLimited: 0 });
    expect(await batchRow("B")).toMatchObject({ promptTokens: 4000, outputTokens: 1000, costUsd: close(0.0037), unpricedAttempts: 0 });
    expect(await batchRow("C")).toMatchObject({
      model: PRO,
      images: 3,
      succeeded: 2,
      failed: 1,
      successRate: close(2 / 3),
      wallMs: 90_000,
      speedup: 0.25,
      firstResultMs: 10_000,
      lastResultMs: 90_000,
      attempts: 6,
      retries: 3,
      rateLimited: 2,
      promptTokens: 20_000,
      outputTokens: 6000,
      // Tokens spent on a model without a rate: unknown, not free.
      costUsd: null,
      unpricedAttempts: 4,
    });
    expect(await batchRow("D")).toMatchObject({ sourceUrl: null, cached: 1, successRate: 0.5, firstResultMs: 1000, lastResultMs: 8000 });
    expect(await batchRow("D")).toMatchObject({ attempts: 2, promptTokens: 800, outputTokens: 0, costUsd: close(0.00024) });
    // Running: counters so far, no measured figures, no waits yet, and no tokens spent.
    expect(await batchRow("E")).toMatchObject({
      status: "running",
      finishedAt: null,
      successRate: 0,
      wallMs: null,
      speedup: null,
      p95ImageMs: null,
      firstResultMs: null,
      lastResultMs: null,
      attempts: 1,
      promptTokens: 0,
      costUsd: 0,
      unpricedAttempts: 0,
    });
    // F's attempt reported no model: the batch's model (flash) is priced.
    expect(await batchRow("F")).toMatchObject({ attempts: 1, promptTokens: 1000, outputTokens: 100, costUsd: close(0.00055) });
  });

  it("report_attempt_costs: an attempt before the model's first rate takes that first rate; cached and tokenless attempts cost 0", async () => {
    const rows = await database.db.select().from(reportAttemptCosts);
    const ofA = rows.filter((r) => r.batchId === ids.A);
    // A's attempts all started before 12:00 on 2 March, when flash's only rate begins.
    expect(ofA.filter((r) => r.promptTokens > 0).map((r) => r.rateValidFrom)).toEqual([
      FLASH_RATE.validFrom,
      FLASH_RATE.validFrom,
      FLASH_RATE.validFrom,
    ]);
    expect(ofA.find((r) => r.outcome === "cached")).toMatchObject({ costUsd: 0, unpriced: false, promptTokens: 0 });
    expect(ofA.find((r) => r.httpStatus === 503)).toMatchObject({ costUsd: 0, unpriced: false });
    expect(rows.filter((r) => r.unpriced).map((r) => r.model)).toEqual([PRO, PRO, PRO, PRO]);
  });

  it("report_daily and report_weekly: per UTC day and ISO week of creation; a period with an unpriced attempt has no cost", async () => {
    const daily = [
      {
        day: "2026-03-02",
        batches: 2,
        images: 6,
        succeeded: 5,
        successRate: close(5 / 6),
        meanSpeedup: close(0.8),
        promptTokens: 7000,
        outputTokens: 1500,
        costUsd: close(0.00585),
        unpricedAttempts: 0,
      },
      {
        day: "2026-03-04",
        batches: 1,
        images: 3,
        succeeded: 2,
        successRate: close(2 / 3),
        meanSpeedup: 0.25,
        promptTokens: 20_000,
        outputTokens: 6000,
        costUsd: null,
        unpricedAttempts: 4,
      },
      // D and E; E has not ended, so only D's speedup counts.
      {
        day: "2026-03-05",
        batches: 2,
        images: 4,
        succeeded: 1,
        successRate: 0.25,
        meanSpeedup: 0.875,
        promptTokens: 800,
        outputTokens: 0,
        costUsd: close(0.00024),
        unpricedAttempts: 0,
      },
      {
        day: "2026-03-09",
        batches: 1,
        images: 1,
        succeeded: 1,
        successRate: 1,
        meanSpeedup: 1,
        promptTokens: 1000,
        outputTokens: 100,
        costUsd: close(0.00055),
        unpricedAttempts: 0,
      },
    ];
    expect(await reportDailyRows(database.db, {})).toEqual(daily);
    expect(sortBy(await database.db.select().from(reportDaily), "day")).toEqual(daily);

    const weekly = [
      {
        week: "2026-W10",
        weekStart: "2026-03-02",
        batches: 5,
        images: 13,
        succeeded: 8,
        successRate: close(8 / 13),
        meanSpeedup: close((0.6 + 1 + 0.25 + 0.875) / 4),
        promptTokens: 27_800,
        outputTokens: 7500,
        costUsd: null,
        unpricedAttempts: 4,
      },
      {
        week: "2026-W11",
        weekStart: "2026-03-09",
        batches: 1,
        images: 1,
        succeeded: 1,
        successRate: 1,
        meanSpeedup: 1,
        promptTokens: 1000,
        outputTokens: 100,
        costUsd: close(0.00055),
        unpricedAttempts: 0,
      },
    ];
    expect(await reportWeeklyRows(database.db, {})).toEqual(weekly);
    expect(sortBy(await database.db.select().from(reportWeekly), "weekStart")).toEqual(weekly);
  });

  it("report_errors: per class and UTC day of the attempt, its share of that day's attempts and the latest message", async () => {
    // 2 March: 9 attempts (A 6, B 3), one each of four classes. 4 March: C's 4 attempts before
    // midnight. 5 March: C's last 2, D's 2, E's 1.
    const errors = [
      { day: "2026-03-02", errorClass: "permanent", attempts: 1, share: close(1 / 9), sampleMessage: "blocked: SAFETY" },
      { day: "2026-03-02", errorClass: "rateLimited", attempts: 1, share: close(1 / 9), sampleMessage: "429 Too Many Requests" },
      { day: "2026-03-02", errorClass: "retryable", attempts: 1, share: close(1 / 9), sampleMessage: "503 Service Unavailable" },
      { day: "2026-03-02", errorClass: "timeout", attempts: 1, share: close(1 / 9), sampleMessage: "timed out after 30000 ms" },
      { day: "2026-03-04", errorClass: "invalidOutput", attempts: 2, share: 0.5, sampleMessage: "invalid output: MAX_TOKENS" },
      { day: "2026-03-04", errorClass: "rateLimited", attempts: 1, share: 0.25, sampleMessage: "429 quota per minute" },
      { day: "2026-03-05", errorClass: "permanent", attempts: 1, share: 0.2, sampleMessage: "blocked: RECITATION" },
      { day: "2026-03-05", errorClass: "rateLimited", attempts: 1, share: 0.2, sampleMessage: "429 quota per minute again" },
    ];
    const rows = await reportErrorRows(database.db, {});
    expect(rows.map(({ lastSeenAt: _, ...r }) => r)).toEqual(errors);
    expect(rows.find((r) => r.errorClass === "invalidOutput")?.lastSeenAt).toEqual(t("2026-03-04T23:59:40Z"));
    const view = await database.db.select().from(reportErrors);
    expect(view).toHaveLength(errors.length);
    expect(new Set(view.map((r) => `${r.day} ${r.errorClass} ${r.attempts}`))).toEqual(
      new Set(errors.map((r) => `${r.day} ${r.errorClass} ${r.attempts}`)),
    );
  });

  it("report_sources: per source URL and owner", async () => {
    const sources = [
      {
        sourceUrl: "https://example.com/b",
        owner: "bob",
        batches: 2,
        images: 3,
        succeeded: 3,
        successRate: 1,
        meanSpeedup: 1,
        promptTokens: 5000,
        outputTokens: 1100,
        costUsd: close(0.00425),
        unpricedAttempts: 0,
        firstBatchAt: t("2026-03-02T15:00:00Z"),
        lastBatchAt: t("2026-03-09T08:00:00Z"),
      },
      // A, C and E: C's pro attempts leave the source unpriced.
      {
        sourceUrl: "https://example.com/a",
        owner: "alice",
        batches: 3,
        images: 9,
        succeeded: 5,
        successRate: close(5 / 9),
        meanSpeedup: close(0.425),
        promptTokens: 23_000,
        outputTokens: 6500,
        costUsd: null,
        unpricedAttempts: 4,
        firstBatchAt: t("2026-03-02T10:00:00Z"),
        lastBatchAt: t("2026-03-05T12:00:00Z"),
      },
      {
        sourceUrl: null,
        owner: "carol",
        batches: 1,
        images: 2,
        succeeded: 1,
        successRate: 0.5,
        meanSpeedup: 0.875,
        promptTokens: 800,
        outputTokens: 0,
        costUsd: close(0.00024),
        unpricedAttempts: 0,
        firstBatchAt: t("2026-03-05T09:00:00Z"),
        lastBatchAt: t("2026-03-05T09:00:00Z"),
      },
    ];
    expect(await reportSourceRows(database.db, {})).toEqual(sources);
    expect(await database.db.select().from(reportSources)).toHaveLength(3);
  });

  it("report_waits: upload to first and to last result, p50 and p95 per day (interpolated)", async () => {
    const waits = [
      // First results 3 s (A) and 4 s (B); ends 21 s and 10 s after upload.
      {
        day: "2026-03-02",
        batches: 2,
        firstResultP50Ms: 3500,
        firstResultP95Ms: close(3950),
        lastResultP50Ms: 15_500,
        lastResultP95Ms: close(20_450),
      },
      {
        day: "2026-03-04",
        batches: 1,
        firstResultP50Ms: 10_000,
        firstResultP95Ms: 10_000,
        lastResultP50Ms: 90_000,
        lastResultP95Ms: 90_000,
      },
      // E has no result yet: only D counts.
      { day: "2026-03-05", batches: 2, firstResultP50Ms: 1000, firstResultP95Ms: 1000, lastResultP50Ms: 8000, lastResultP95Ms: 8000 },
      { day: "2026-03-09", batches: 1, firstResultP50Ms: 3000, firstResultP95Ms: 3000, lastResultP50Ms: 3000, lastResultP95Ms: 3000 },
    ];
    expect(await reportWaitRows(database.db, {})).toEqual(waits);
    expect(sortBy(await database.db.select().from(reportWaits), "day")).toEqual(waits);
  });

  it("filters: date range (from inclusive, to exclusive), owner, source and mode", async () => {
    const days = (rows: { day: string }[]) => rows.map((r) => r.day);
    const alice = await reportDailyRows(database.db, { owner: "alice" });
    expect(alice).toEqual([
      expect.objectContaining({ day: "2026-03-02", batches: 1, images: 4, succeeded: 3, promptTokens: 3000, costUsd: close(0.00215) }),
      expect.objectContaining({ day: "2026-03-04", batches: 1, costUsd: null, unpricedAttempts: 4 }),
      expect.objectContaining({ day: "2026-03-05", batches: 1, images: 2, succeeded: 0, meanSpeedup: null, costUsd: 0 }),
    ]);
    expect(days(await reportDailyRows(database.db, { from: t("2026-03-04T00:00:00Z"), to: t("2026-03-09T00:00:00Z") }))).toEqual([
      "2026-03-04",
      "2026-03-05",
    ]);
    expect((await reportBatchRows(database.db, { mode: "sequential" })).map((r) => r.batchId)).toEqual([ids.F, ids.B]);
    expect((await reportBatchRows(database.db, { source: "https://example.com/a" })).map((r) => r.batchId)).toEqual([ids.E, ids.C, ids.A]);
    expect(await reportSourceRows(database.db, { owner: "carol" })).toEqual([expect.objectContaining({ owner: "carol", batches: 1 })]);
    expect(await reportWeeklyRows(database.db, { mode: "sequential" })).toEqual([
      expect.objectContaining({ week: "2026-W10", batches: 1, costUsd: close(0.0037) }),
      expect.objectContaining({ week: "2026-W11", batches: 1, costUsd: close(0.00055) }),
    ]);
    expect(await reportWaitRows(database.db, { owner: "bob", to: t("2026-03-03T00:00:00Z") })).toEqual([
      { day: "2026-03-02", batches: 1, firstResultP50Ms: 4000, firstResultP95Ms: 4000, lastResultP50Ms: 10_000, lastResultP95Ms: 10_000 },
    ]);
    // Errors: the share is of the filtered attempts (bob's 3 on 2 March); the range is on the attempts' start.
    expect(await reportErrorRows(database.db, { owner: "bob" })).toEqual([
      expect.objectContaining({ day: "2026-03-02", errorClass: "timeout", attempts: 1, share: close(1 / 3) }),
    ]);
    expect(days(await reportErrorRows(database.db, { owner: "alice", from: t("2026-03-05T00:00:00Z") }))).toEqual(["2026-03-05"]);
  });

  it("a new rate re-prices the attempts from its start on; a corrected rate re-prices its own; a rate for pro prices C", async () => {
    await setModelRate(database.db, {
      model: FLASH,
      promptUsdPerMillion: 0.5,
      outputUsdPerMillion: 3,
      validFrom: t("2026-03-05T00:00:00Z"),
    });
    // D: 800 × 0.50 / 1e6; F: 1000 × 0.50 / 1e6 + 100 × 3 / 1e6. A and B keep the first rate.
    expect(await batchRow("D")).toMatchObject({ costUsd: close(0.0004) });
    expect(await batchRow("F")).toMatchObject({ costUsd: close(0.0008) });
    expect(await batchRow("A")).toMatchObject({ costUsd: close(0.00215) });

    await setModelRate(database.db, { ...FLASH_RATE, promptUsdPerMillion: 0.4 });
    // A: 3000 × 0.40 / 1e6 + 500 × 2.50 / 1e6; B: 4000 × 0.40 / 1e6 + 1000 × 2.50 / 1e6.
    expect(await batchRow("A")).toMatchObject({ costUsd: close(0.00245) });
    expect(await batchRow("B")).toMatchObject({ costUsd: close(0.0041) });
    expect((await reportDailyRows(database.db, {}))[0]).toMatchObject({ day: "2026-03-02", costUsd: close(0.00655) });

    await setModelRate(database.db, {
      model: PRO,
      promptUsdPerMillion: 1.25,
      outputUsdPerMillion: 10,
      validFrom: t("2026-01-01T00:00:00Z"),
    });
    // C: 20000 × 1.25 / 1e6 + 6000 × 10 / 1e6.
    expect(await batchRow("C")).toMatchObject({ costUsd: close(0.085), unpricedAttempts: 0 });
    expect((await reportWeeklyRows(database.db, {}))[0]).toMatchObject({
      week: "2026-W10",
      costUsd: close(0.00245 + 0.0041 + 0.085 + 0.0004),
      unpricedAttempts: 0,
    });
    expect((await listModelRates(database.db)).map((r) => [r.model, r.promptUsdPerMillion, r.validFrom])).toEqual([
      [FLASH, 0.4, FLASH_RATE.validFrom],
      [FLASH, 0.5, t("2026-03-05T00:00:00Z")],
      [PRO, 1.25, t("2026-01-01T00:00:00Z")],
    ]);
  });
});

function sortBy<T, K extends keyof T>(rows: T[], key: K): T[] {
  return [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}
