import type { inferRouterOutputs } from "@trpc/server";
import { createApiClient } from "../api-client";
import { topErrorClasses, totalOfDays } from "../reports/summary";
import type { AppRouter } from "../trpc/routers/index";
import { describeError } from "./client";
import { withServer } from "./connect";
import { EXIT, UsageError } from "./errors";
import { plural } from "./format";
import { textTable } from "./summary";

export interface ReportOptions {
  since: string;
  json?: boolean;
  server?: string;
  token?: string;
}

type DailyRow = inferRouterOutputs<AppRouter>["report"]["daily"][number];

const DAY_MS = 86_400_000;
const UNIT_MS = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS } as const;

/**
 * `--since`: a date or time (2026-03-01, an ISO timestamp), or a period back from now. Days and
 * weeks count whole UTC days, today included (7d: today and the six days before), so the first
 * row of the table is a whole day; hours count back from this moment.
 */
export function parseSince(value: string, now = new Date()): Date {
  const period = /^(\d+)\s*([hdw])$/.exec(value.trim());
  if (period) {
    const n = Number(period[1]);
    const unit = period[2] as keyof typeof UNIT_MS;
    if (unit === "h") return new Date(now.getTime() - n * UNIT_MS.h);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return new Date(today - Math.max(0, (n * UNIT_MS[unit]) / DAY_MS - 1) * DAY_MS);
  }
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new UsageError(`--since ${value}: use a period such as 7d, 12h or 2w, or a date such as 2026-03-01`);
  return date;
}

/** `showscan report`: the recent history per UTC day (batches, images, success, speedup, tokens, cost), then the top error classes. */
export async function reportCommand(opts: ReportOptions): Promise<number> {
  const from = parseSince(opts.since);
  return withServer(opts, async (target) => {
    const api = createApiClient(target.url, target.token);
    try {
      const [daily, errors] = await Promise.all([api.client.report.daily.query({ from }), api.client.report.errors.query({ from })]);
      const lines = opts.json ? [JSON.stringify({ since: from.toISOString(), daily, errors }, null, 2)] : reportLines(from, daily, errors);
      process.stdout.write(lines.map((l) => `${l}\n`).join(""));
      return EXIT.ok;
    } catch (error) {
      const { code, message } = describeError(error);
      if (code === "UNAUTHORIZED") throw new UsageError(`the server refused the token: ${message}`);
      process.stderr.write(`showscan: the report failed: ${message}\n`);
      return EXIT.failed;
    } finally {
      await api.close();
    }
  });
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)}%`);

/** Dollars to three significant digits: small batches cost fractions of a cent. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "<$0.0001";
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(3))}`;
}

const cost = (row: { costUsd: number | null; unpricedAttempts: number }) =>
  row.costUsd === null ? `unpriced (${plural(row.unpricedAttempts, "attempt")})` : formatUsd(row.costUsd);

function reportLines(from: Date, daily: DailyRow[], errors: Parameters<typeof topErrorClasses>[0]): string[] {
  const since = `since ${from
    .toISOString()
    .replace("T", " ")
    .replace(/:\d\d\.\d+Z$/, " UTC")}`;
  if (daily.length === 0) return [`📊 No batches ${since}.`];
  const total = totalOfDays(daily);
  const header = ["Day", "Batches", "Images", "Success", "Speedup", "Tokens in / out", "Cost"];
  const row = (label: string, r: typeof total, speedup: number | null) => [
    label,
    count(r.batches),
    count(r.images),
    percent(r.successRate),
    speedup === null ? "–" : `${speedup.toFixed(1)}x`,
    `${count(r.promptTokens)} / ${count(r.outputTokens)}`,
    cost(r),
  ];
  const lines = [
    `📊 ${plural(total.batches, "batch", "batches")}, ${plural(total.images, "image")} ${since} (days in UTC)`,
    ...textTable(header, [...daily.map((d) => row(d.day, d, d.meanSpeedup)), row("Total", total, null)]),
  ];
  const top = topErrorClasses(errors);
  if (top.length === 0) return [...lines, "", "✅ No errors."];
  return [
    ...lines,
    "",
    "⚠️  Top error classes:",
    ...textTable(
      ["Class", "Attempts", "Last seen", "Latest message"],
      top.map((e) => [e.errorClass, count(e.attempts), e.lastDay, e.sampleMessage ?? ""]),
      { maxWidth: process.stdout.columns, shrinkable: { 3: 1 } },
    ),
  ];
}
