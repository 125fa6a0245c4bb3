import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { plural } from "../lib/format";
import { ChartCard, NO_BATCHES } from "./chart-card";
import { CHART_HEIGHT, COLOURS, chartMargin, dayAxis, valueAxis } from "./chart-style";
import { shortDay } from "./days";
import { seconds } from "./format";
import { pointTooltip } from "./point-tooltip";
import type { ImageTimePoint } from "./series";

const Tip = pointTooltip(
  (p: ImageTimePoint) => `${shortDay(p.day)} · ${plural(p.measuredBatches, "batch", "batches")} ended`,
  (p) => [
    ["Mean per image", seconds(p.meanMs)],
    ["Slowest p95", seconds(p.worstP95Ms)],
  ],
);

/** From report.batches: the views have no per-day image time, and a batch's figures exist once it ended. */
export function ImageTimeChart({ points, anyBatches, capped }: { points: ImageTimePoint[]; anyBatches: boolean; capped: boolean }) {
  const data = points.map((p) => ({
    ...p,
    meanS: p.meanMs === null ? null : p.meanMs / 1000,
    p95S: p.worstP95Ms === null ? null : p.worstP95Ms / 1000,
  }));
  return (
    <ChartCard
      title="Time per image"
      caption={
        <>
          Mean time to analyse an image, over the measured images of the batches uploaded that day (cached images take no time), and the
          highest p95 among those batches.
          {capped && " Only the newest batches are counted: narrow the range to see every day."}
        </>
      }
      empty={!anyBatches ? NO_BATCHES : points.length ? null : "No batch in this range has ended yet."}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT + 24}>
        <LineChart data={data} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("seconds per image")} unit=" s" />
          <Tooltip content={Tip} />
          <Legend verticalAlign="top" height={24} />
          <Line dataKey="meanS" name="Mean" stroke={COLOURS.accent} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
          <Line
            dataKey="p95S"
            name="Slowest p95"
            stroke={COLOURS.warn}
            strokeDasharray="5 4"
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
