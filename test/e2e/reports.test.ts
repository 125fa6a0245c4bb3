import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSince } from "../../server/src/cli/report";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { startService, TEST_MODEL, testTokens, waitForBatch, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";
import { FLASH, FLASH_RATE, type HistoryKey, insertReportHistory, PRO } from "../support/report-history";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const close = (n: number) => expect.closeTo(n, 12);

/** `node server/bin/showscan.mjs ...args` from the repository root, with no engine, secret or database in its environment. */
function showscan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GEMINI_|ENGINE$|JWT_SECRET$|DATABASE_URL$|DATA_DIR$|SHOWSCAN_TOKEN$|npm_)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "server/bin/showscan.mjs"), ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// The history of test/support/report-history.ts (figures worked out in db/src/queries/reports.test.ts),
// plus one real batch of dave's run through the pipeline today.
describe("report.* procedures and showscan report over a known history", () => {
  let fake: FakeGemini;
  let service: TestService;
  let ids: Record<HistoryKey, string>;
  let admin: Api;
  let alice: Api;
  let dave: Api;
  let adminToken: string;
  let aliceToken: string;

  beforeAll(async () => {
    fake = await startFakeGemini();
    service = await startService({ fake, listen: true });
    ids = await insertReportHistory(service.db);
    adminToken = await testTokens.sign({ sub: "ops", role: "admin" });
    aliceToken = await testTokens.sign({ sub: "alice", role: "user" });
    admin = createClient(service.url!, adminToken);
    alice = createClient(service.url!, aliceToken);
    dave = createClient(service.url!, await testTokens.sign({ sub: "dave", role: "user" }));
  });
  afterAll(async () => {
    for (const api of [admin, alice, dave]) await api?.close();
    await service?.close();
    await fake?.close();
  });

  const historyTo = new Date("2026-03-10T00:00:00Z");

  it("admins see every owner's figures: daily, weekly, sources, waits, errors and batches", async () => {
    const daily = await admin.client.report.daily.query({ to: historyTo });
    expect(daily.map((d) => d.day)).toEqual(["2026-03-02", "2026-03-04", "2026-03-05", "2026-03-09"]);
    expect(daily[0]).toEqual({
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
    });
    expect(daily[1]).toMatchObject({ day: "2026-03-04", costUsd: null, unpricedAttempts: 4 });

    expect(await admin.client.report.weekly.query({ to: historyTo })).toEqual([
      expect.objectContaining({ week: "2026-W10", weekStart: "2026-03-02", batches: 5, images: 13, succeeded: 8, costUsd: null }),
      expect.objectContaining({ week: "2026-W11", weekStart: "2026-03-09", batches: 1, costUsd: close(0.00055) }),
    ]);
    const sources = await admin.client.report.sources.query({ to: historyTo });
    expect(sources.map((s) => [s.sourceUrl, s.owner, s.batches])).toEqual([
      ["https://example.com/b", "bob", 2],
      ["https://example.com/a", "alice", 3],
      [null, "carol", 1],
    ]);
    // Dates cross the API as ISO strings.
    expect(sources[0]).toMatchObject({ firstBatchAt: "2026-03-02T15:00:00.000Z", lastBatchAt: "2026-03-09T08:00:00.000Z" });
    expect((await admin.client.report.waits.query({ to: historyTo }))[0]).toEqual({
      day: "2026-03-02",
      batches: 2,
      firstResultP50Ms: 3500,
      firstResultP95Ms: close(3950),
      lastResultP50Ms: 15_500,
      lastResultP95Ms: close(20_450),
    });
    const errors = await admin.client.report.errors.query({ to: historyTo });
    expect(errors.map((e) => `${e.day} ${e.errorClass} ${e.attempts}`)).toEqual([
      "2026-03-02 permanent 1",
      "2026-03-02 rateLimited 1",
      "2026-03-02 retryable 1",
      "2026-03-02 timeout 1",
      "2026-03-04 invalidOutput 2",
      "2026-03-04 rateLimited 1",
      "2026-03-05 permanent 1",
      "2026-03-05 rateLimited 1",
    ]);
    const batches = await admin.client.report.batches.query({ to: historyTo });
    expect(batches.map((b) => b.batchId)).toEqual([ids.F, ids.E, ids.D, ids.C, ids.B, ids.A]);
    expect(batches.find((b) => b.batchId === ids.A)).toMatchObject({
      owner: "alice",
      images: 4,
      cached: 1,
      attempts: 6,
      retries: 2,
      rateLimited: 1,
      firstResultMs: 3000,
      lastResultMs: 21_000,
      costUsd: close(0.00215),
    });
    expect(await admin.client.report.batches.query({ to: historyTo, limit: 2 })).toHaveLength(2);
  });

  it("admins filter by owner, source, mode and dates", async () => {
    expect((await admin.client.report.daily.query({ owner: "alice" })).map((d) => [d.day, d.batches, d.costUsd])).toEqual([
      ["2026-03-02", 1, close(0.00215)],
      ["2026-03-04", 1, null],
      ["2026-03-05", 1, 0],
    ]);
    expect((await admin.client.report.batches.query({ mode: "sequential" })).map((b) => b.batchId)).toEqual([ids.F, ids.B]);
    expect((await admin.client.report.batches.query({ source: "https://example.com/a" })).map((b) => b.batchId)).toEqual([
      ids.E,
      ids.C,
      ids.A,
    ]);
    expect(
      (await admin.client.report.waits.query({ from: new Date("2026-03-04T00:00:00Z"), to: new Date("2026-03-06T00:00:00Z") })).map(
        (w) => w.day,
      ),
    ).toEqual(["2026-03-04", "2026-03-05"]);
    expect(await admin.client.report.errors.query({ owner: "bob" })).toEqual([
      expect.objectContaining({ day: "2026-03-02", errorClass: "timeout", attempts: 1, share: close(1 / 3) }),
    ]);
    await expect(
      admin.client.report.daily.query({ from: new Date("2026-03-05T00:00:00Z"), to: new Date("2026-03-04T00:00:00Z") }),
    ).rejects.toThrow(/to: must be after from/);
    await expect(admin.client.report.daily.query({ mode: "bulk" as "parallel" })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" } });
  });

  it("a user sees only their own batches' figures, whatever owner they name", async () => {
    const own = (await alice.client.report.batches.query({ owner: "bob" })).map((b) => b.batchId);
    expect(own).toEqual([ids.E, ids.C, ids.A]);
    expect(await alice.client.report.daily.query()).toEqual(await admin.client.report.daily.query({ owner: "alice" }));
    expect((await alice.client.report.sources.query()).map((s) => s.owner)).toEqual(["alice"]);
    expect((await alice.client.report.weekly.query()).map((w) => [w.week, w.batches])).toEqual([["2026-W10", 3]]);
    expect((await alice.client.report.waits.query({ owner: "carol" })).map((w) => w.day)).toEqual([
      "2026-03-02",
      "2026-03-04",
      "2026-03-05",
    ]);
    // Alice's attempts only: no timeout (bob's) or RECITATION block (carol's).
    expect((await alice.client.report.errors.query()).map((e) => `${e.day} ${e.errorClass} ${e.sampleMessage}`)).toEqual([
      "2026-03-02 permanent blocked: SAFETY",
      "2026-03-02 rateLimited 429 Too Many Requests",
      "2026-03-02 retryable 503 Service Unavailable",
      "2026-03-04 invalidOutput invalid output: MAX_TOKENS",
      "2026-03-04 rateLimited 429 quota per minute",
      "2026-03-05 rateLimited 429 quota per minute again",
    ]);
    await expect(alice.client.report.rates.query()).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });

  it("a batch run through the pipeline shows in report.batches with its measured figures and its cost from the recorded tokens", async () => {
    const { batchId } = await dave.client.batch.analyze.mutate(
      uploadForm(await distinctImages(3, "report-run"), { sourceUrl: "https://example.com/d" }),
    );
    await waitForBatch(service, batchId);
    const { metrics, createdAt, finishedAt } = await dave.client.batch.byId.query({ batchId });
    const [row] = await dave.client.report.batches.query();
    expect(metrics).not.toBeNull();
    expect(row).toMatchObject({
      batchId,
      owner: "dave",
      status: "completed",
      sourceUrl: "https://example.com/d",
      model: TEST_MODEL,
      images: 3,
      succeeded: 3,
      failed: 0,
      // Look-alike images may be answered from the cache: the view counts what the pipeline recorded.
      cached: metrics!.cachedImages,
      successRate: 1,
      wallMs: metrics!.wallMs,
      sumImageMs: metrics!.sumImageMs,
      speedup: metrics!.speedup,
      attempts: metrics!.attempts,
      retries: metrics!.retries,
      rateLimited: 0,
      promptTokens: metrics!.promptTokens,
      outputTokens: metrics!.outputTokens,
      lastResultMs: new Date(finishedAt!).getTime() - new Date(createdAt).getTime(),
      // The fake reports real token counts; flash's rate prices them.
      costUsd: close((metrics!.promptTokens * 0.3 + metrics!.outputTokens * 2.5) / 1e6),
      unpricedAttempts: 0,
    });
    expect(TEST_MODEL).toBe(FLASH);
    expect(metrics!.promptTokens).toBeGreaterThan(0);
    expect(row!.firstResultMs).toBeGreaterThan(0);
    expect(row!.firstResultMs).toBeLessThanOrEqual(row!.lastResultMs!);
  });

  it("showscan report prints the days and the top error classes; a user's token reports on their own batches", async () => {
    const run = await showscan(["report", "--since", "2026-03-01", "--server", service.url!, "--token", adminToken]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("📊 7 batches, 17 images since 2026-03-01 00:00 UTC (days in UTC)");
    expect(run.stdout).toMatch(/Day\s+Batches\s+Images\s+Success\s+Speedup\s+Tokens in \/ out\s+Cost/);
    expect(run.stdout).toMatch(/2026-03-02\s+2\s+6\s+83%\s+0\.8x\s+7,000 \/ 1,500\s+\$0\.00585\n/);
    expect(run.stdout).toMatch(/2026-03-04\s+1\s+3\s+67%\s+0\.3x\s+20,000 \/ 6,000\s+unpriced \(4 attempts\)\n/);
    expect(run.stdout).toMatch(/2026-03-05\s+2\s+4\s+25%\s+0\.9x\s+800 \/ 0\s+\$0\.00024\n/);
    expect(run.stdout).toMatch(/2026-03-09\s+1\s+1\s+100%\s+1\.0x\s+1,000 \/ 100\s+\$0\.00055\n/);
    expect(run.stdout).toMatch(/Total\s+7\s+17\s+\d+%\s+–\s+[\d,]+ \/ [\d,]+\s+unpriced \(4 attempts\)\n/);
    expect(run.stdout).toContain("⚠️  Top error classes:");
    const errorLines = run.stdout.slice(run.stdout.indexOf("Top error classes")).split("\n").slice(3, 8);
    expect(errorLines.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ["rateLimited", "3", "2026-03-05", "429 quota per minute again"],
      ["invalidOutput", "2", "2026-03-04", "invalid output: MAX_TOKENS"],
      ["permanent", "2", "2026-03-05", "blocked: RECITATION"],
      ["retryable", "1", "2026-03-02", "503 Service Unavailable"],
      ["timeout", "1", "2026-03-02", "timed out after 30000 ms"],
    ]);

    const own = await showscan(["report", "--since", "2026-03-01", "--server", service.url!, "--token", aliceToken]);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain("📊 3 batches, 9 images since 2026-03-01 00:00 UTC");
    expect(own.stdout).not.toContain("2026-03-09");
    expect(own.stdout).not.toContain("timeout");
  });

  it("showscan report --json gives the rows; --since 7d counts back from today; a bad --since is a usage error", async () => {
    const json = await showscan(["report", "--since", "2026-03-01", "--json", "--server", service.url!, "--token", adminToken]);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { since: string; daily: { day: string; costUsd: number | null }[]; errors: unknown[] };
    expect(parsed.since).toBe("2026-03-01T00:00:00.000Z");
    expect(parsed.daily.slice(0, 4).map((d) => [d.day, d.costUsd])).toEqual([
      ["2026-03-02", close(0.00585)],
      ["2026-03-04", null],
      ["2026-03-05", close(0.00024)],
      ["2026-03-09", close(0.00055)],
    ]);
    expect(parsed.errors).toHaveLength(8);

    const recent = await showscan(["report", "--server", service.url!, "--token", adminToken]);
    expect(recent.code, recent.stderr).toBe(0);
    expect(recent.stdout).toMatch(/📊 1 batch, 3 images since \d{4}-\d\d-\d\d 00:00 UTC/);
    expect(recent.stdout).toContain(new Date().toISOString().slice(0, 10));
    expect(recent.stdout).not.toContain("2026-03-02");
    expect(recent.stdout).toContain("✅ No errors.");

    const bad = await showscan(["report", "--since", "last week", "--server", service.url!, "--token", adminToken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since last week: use a period such as 7d, 12h or 2w, or a date such as 2026-03-01");
  });

  it("--since: hours back from now, days and weeks as whole UTC days with today, or a date", () => {
    const now = new Date("2026-03-09T15:30:00Z");
    expect(parseSince("12h", now)).toEqual(new Date("2026-03-09T03:30:00Z"));
    expect(parseSince("1d", now)).toEqual(new Date("2026-03-09T00:00:00Z"));
    expect(parseSince("7d", now)).toEqual(new Date("2026-03-03T00:00:00Z"));
    expect(parseSince("2w", now)).toEqual(new Date("2026-02-24T00:00:00Z"));
    expect(parseSince("2026-03-01", now)).toEqual(new Date("2026-03-01T00:00:00Z"));
    expect(() => parseSince("yesterday", now)).toThrow(/--since yesterday: use a period/);
  });

  it("admins set rates: a new rate re-prices history and a rate for an unpriced model prices it", async () => {
    await expect(alice.client.report.setRate.mutate({ model: PRO, promptUsdPerMillion: 1, outputUsdPerMillion: 1 })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    await admin.client.report.setRate.mutate({
      model: PRO,
      promptUsdPerMillion: 1.25,
      outputUsdPerMillion: 10,
      validFrom: new Date("2026-01-01T00:00:00Z"),
    });
    // C: 20000 × 1.25 / 1e6 + 6000 × 10 / 1e6.
    expect((await admin.client.report.daily.query({ to: historyTo }))[1]).toMatchObject({
      day: "2026-03-04",
      costUsd: close(0.085),
      unpricedAttempts: 0,
    });
    await admin.client.report.setRate.mutate({ ...FLASH_RATE, promptUsdPerMillion: 0.4 });
    // A and B: (3000 + 4000) × 0.40 / 1e6 + (500 + 1000) × 2.50 / 1e6.
    expect((await admin.client.report.daily.query({ to: historyTo }))[0]).toMatchObject({ day: "2026-03-02", costUsd: close(0.00655) });
    expect((await admin.client.report.rates.query()).map((r) => [r.model, r.promptUsdPerMillion, r.validFrom])).toEqual([
      [FLASH, 0.4, FLASH_RATE.validFrom.toISOString()],
      [PRO, 1.25, "2026-01-01T00:00:00.000Z"],
    ]);
  });
});
