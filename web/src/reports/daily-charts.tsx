import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { percent, plural, times } from "../lib/format";
import { ChartCard, NO_BATCHES } from "./chart-card";
import { CHART_HEIGHT, COLOURS, chartMargin, dayAxis, valueAxis } from "./chart-style";
import { shortDay } from "./days";
import { pointTooltip } from "./point-tooltip";
import type { DayPoint } from "./series";

const dayTitle = (p: DayPoint) => `${shortDay(p.day)} · ${plural(p.batches, "batch", "batches")}`;

const ImagesTip = pointTooltip(dayTitle, (p: DayPoint) => [["Images", p.images]]);
const RateTip = pointTooltip(dayTitle, (p: DayPoint) => [["Success rate", p.batches ? percent(p.successRate) : "no batches"]]);
const SpeedupTip = pointTooltip(dayTitle, (p: DayPoint) => [
  ["Mean speedup", p.meanSpeedup === null ? "none ended" : times(p.meanSpeedup)],
]);

export function ImagesChart({ days }: { days: DayPoint[] }) {
  return (
    <ChartCard
      title="Images per day"
      caption="Images uploaded each UTC day, in all the day's batches."
      empty={days.length ? null : NO_BATCHES}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={days} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("images")} allowDecimals={false} />
          <Tooltip content={ImagesTip} />
          <Bar dataKey="images" name="Images" fill={COLOURS.accent} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function SuccessRateChart({ days }: { days: DayPoint[] }) {
  const data = days.map((d) => ({ ...d, percent: d.successRate === null ? null : d.successRate * 100 }));
  return (
    <ChartCard
      title="Success rate per day"
      caption="Images read out of images uploaded that day (a running batch counts what it has read so far)."
      empty={days.length ? null : NO_BATCHES}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={data} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("success rate (%)")} domain={[0, 100]} unit="%" />
          <Tooltip content={RateTip} />
          <Line
            dataKey="percent"
            name="Success rate"
            stroke={COLOURS.ok}
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

export function SpeedupChart({ days }: { days: DayPoint[] }) {
  const measured = days.some((d) => d.meanSpeedup !== null);
  return (
    <ChartCard
      title="Mean speedup per day"
      caption="Summed image time over wall time, averaged over the day's batches that ended. Above 1× the workers overlapped."
      empty={days.length === 0 ? NO_BATCHES : measured ? null : "No batch in this range has ended yet."}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={days} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("speedup (×)")} unit="×" domain={[0, "auto"]} />
          <ReferenceLine y={1} stroke={COLOURS.grey} strokeDasharray="4 4" ifOverflow="extendDomain" />
          <Tooltip content={SpeedupTip} />
          <Line
            dataKey="meanSpeedup"
            name="Mean speedup"
            stroke={COLOURS.accent}
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
