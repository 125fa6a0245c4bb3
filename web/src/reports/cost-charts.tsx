import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { plural } from "../lib/format";
import { ChartCard, NO_BATCHES } from "./chart-card";
import { CHART_HEIGHT, COLOURS, chartMargin, dayAxis, valueAxis } from "./chart-style";
import { shortDay } from "./days";
import { tokens, usd, usdTick } from "./format";
import { pointTooltip } from "./point-tooltip";
import type { DayPoint } from "./series";

const unpricedText = (p: DayPoint) => `unpriced: ${plural(p.unpricedAttempts, "attempt")} on a model with no rate`;

const TokensTip = pointTooltip(
  (p: DayPoint) => shortDay(p.day),
  (p) => [
    ["Prompt tokens", tokens(p.promptTokens)],
    ["Output tokens", tokens(p.outputTokens)],
  ],
);
const CostTip = pointTooltip(
  (p: DayPoint) => shortDay(p.day),
  (p) => [["Cost", p.unpricedAttempts > 0 ? unpricedText(p) : usd(p.costUsd)]],
);

export function TokensChart({ days }: { days: DayPoint[] }) {
  return (
    <ChartCard
      title="Tokens per day"
      caption="Prompt and output tokens the model reported, summed over the day's attempts."
      empty={days.length ? null : NO_BATCHES}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT + 24}>
        <BarChart data={days} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("tokens")} tickFormatter={tokens} />
          <Tooltip content={TokensTip} />
          <Legend verticalAlign="top" height={24} />
          <Bar dataKey="promptTokens" name="Prompt" stackId="tokens" fill={COLOURS.accent} isAnimationActive={false} />
          <Bar dataKey="outputTokens" name="Output" stackId="tokens" fill={COLOURS.warn} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/**
 * A day with an unpriced attempt has no known cost: it gets no bar (a bar of what is priced would
 * read as the whole cost) but a dashed "unpriced" marker, and the list under the chart says why.
 */
export function CostChart({ days }: { days: DayPoint[] }) {
  const unpriced = days.filter((d) => d.unpricedAttempts > 0);
  return (
    <ChartCard
      title="Cost per day"
      caption={
        <>
          Estimated US dollars, from the tokens at each model's rate.
          {unpriced.length > 0 && " A dashed “unpriced” line marks a day whose cost is not known."}
        </>
      }
      empty={days.length ? null : NO_BATCHES}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={days} margin={chartMargin}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis {...dayAxis} />
          <YAxis {...valueAxis("cost (USD)")} tickFormatter={usdTick} width={84} />
          <Tooltip content={CostTip} />
          <Bar dataKey="costUsd" name="Cost" fill={COLOURS.ok} isAnimationActive={false} />
          {unpriced.map((d) => (
            <ReferenceLine
              key={d.day}
              x={d.day}
              stroke={COLOURS.bad}
              strokeDasharray="4 3"
              strokeWidth={2}
              label={{ value: "unpriced", position: "insideTop", fill: COLOURS.bad, fontSize: 12 }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {unpriced.length > 0 && (
        <ul className="unpriced-list">
          {unpriced.map((d) => (
            <li key={d.day}>
              <span className="badge unpriced">unpriced</span> {shortDay(d.day)}: {plural(d.unpricedAttempts, "attempt")} on a model with no
              rate, so the day's cost is not known. Add the model's rate to price it.
            </li>
          ))}
        </ul>
      )}
    </ChartCard>
  );
}
