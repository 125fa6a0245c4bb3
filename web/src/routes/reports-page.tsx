import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "../api/trpc";
import { useSession } from "../auth/session";
import { explainError } from "../lib/errors";
import { BatchesTable } from "../reports/batches-table";
import { CostChart, TokensChart } from "../reports/cost-charts";
import { ImagesChart, SpeedupChart, SuccessRateChart } from "../reports/daily-charts";
import { ErrorChart } from "../reports/error-chart";
import { ImageTimeChart } from "../reports/image-time-chart";
import { ReportFilters } from "../reports/report-filters";
import { ReportTotals } from "../reports/report-totals";
import { dailySeries, errorTotals, imageTimeSeries, totals } from "../reports/series";
import { useReportFilters } from "../reports/use-report-filters";
import "../styles/reports.css";

/** Enough batches for the per-day image times of a busy month; the table shows the newest of them. */
const BATCH_LIMIT = 500;
const TABLE_ROWS = 50;

/** How the batches went over a range of days: volume, success, speed, cost and errors, as charts and a table. */
export function ReportsPage() {
  const trpc = useTRPC();
  const { user } = useSession();
  const admin = user.role === "admin";
  const filters = useReportFilters();
  const { input } = filters;
  // The last figures stay on screen while changed filters load, instead of every chart flashing empty.
  const keep = { placeholderData: keepPreviousData, enabled: filters.ordered };
  const daily = useQuery(trpc.report.daily.queryOptions(input, keep));
  const batches = useQuery(trpc.report.batches.queryOptions({ ...input, limit: BATCH_LIMIT }, keep));
  const errors = useQuery(trpc.report.errors.queryOptions(input, keep));
  // The choices for the source and owner filters: every one the date range has, whatever else is chosen.
  const sources = useQuery(trpc.report.sources.queryOptions({ from: input.from, to: input.to }, keep));

  const days = useMemo(() => dailySeries(daily.data ?? []), [daily.data]);
  const imageTimes = useMemo(() => imageTimeSeries(batches.data ?? []), [batches.data]);
  const errorClasses = useMemo(() => errorTotals(errors.data ?? []), [errors.data]);
  const failed = [daily, batches, errors, sources].find((q) => q.isError);
  const loading = daily.isPending || batches.isPending || errors.isPending;
  const anyBatches = days.length > 0;

  return (
    <main className="page reports">
      <h1>Reports</h1>
      <p className="muted">
        {admin
          ? "Everyone's batches, or one owner's: how many images, how well and how fast they were read, what they cost, and which errors came up."
          : `Your own batches only (signed in as ${user.sub}): how many images, how well and how fast they were read, what they cost, and which errors came up.`}{" "}
        Days are UTC.
      </p>
      <ReportFilters filters={filters} sources={sources.data ?? []} admin={admin} />

      {!filters.ordered && (
        <p role="alert" className="error">
          The From day is after the To day: choose a From day on or before the To day.
        </p>
      )}
      {failed?.error && (
        <p role="alert" className="error">
          {explainError(failed.error)}
        </p>
      )}
      {filters.ordered &&
        (loading ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <ReportTotals totals={totals(daily.data ?? [])} />
            <div className="report-grid">
              <ImagesChart days={days} />
              <SuccessRateChart days={days} />
              <SpeedupChart days={days} />
              <ImageTimeChart points={imageTimes} anyBatches={anyBatches} capped={(batches.data?.length ?? 0) >= BATCH_LIMIT} />
              <TokensChart days={days} />
              <CostChart days={days} />
              <ErrorChart errors={errorClasses} anyBatches={anyBatches} />
            </div>
            {anyBatches ? (
              <BatchesTable batches={(batches.data ?? []).slice(0, TABLE_ROWS)} admin={admin} total={totals(daily.data ?? []).batches} />
            ) : (
              <p className="empty-state muted">No batches in this range: choose other days or filters.</p>
            )}
          </>
        ))}
    </main>
  );
}
