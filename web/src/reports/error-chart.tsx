import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { plural } from "../lib/format";
import { ChartCard, NO_BATCHES } from "./chart-card";
import { COLOURS } from "./chart-style";
import { pointTooltip } from "./point-tooltip";
import type { ErrorClassTotal } from "./series";

const Tip = pointTooltip(
  (e: ErrorClassTotal) => e.errorClass,
  (e) => [
    ["Attempts", `${e.attempts} on ${plural(e.days, "day")}`],
    ["Latest message", e.sampleMessage ?? "–"],
  ],
);

/** The error classes of the range's attempts, the most frequent first, with a message of each. */
export function ErrorChart({ errors, anyBatches }: { errors: ErrorClassTotal[]; anyBatches: boolean }) {
  return (
    <ChartCard
      title="Top error classes"
      caption="Failed attempts by class, retries included, on the day each attempt started."
      empty={errors.length ? null : anyBatches ? "No errors in this range." : NO_BATCHES}
    >
      <ResponsiveContainer width="100%" height={48 + errors.length * 34}>
        <BarChart data={errors} layout="vertical" margin={{ top: 4, right: 16, bottom: 18, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            allowDecimals={false}
            tick={{ fontSize: 12 }}
            label={{ value: "attempts", position: "insideBottom", offset: -10 }}
          />
          <YAxis type="category" dataKey="errorClass" width={110} tick={{ fontSize: 12 }} />
          <Tooltip content={Tip} />
          <Bar dataKey="attempts" name="Attempts" fill={COLOURS.bad} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <dl className="error-samples" aria-label="A message of each error class">
        {errors.map((e) => (
          <div key={e.errorClass}>
            <dt>{e.errorClass}</dt>
            <dd>{e.sampleMessage ?? "no message"}</dd>
          </div>
        ))}
      </dl>
    </ChartCard>
  );
}
