import type { ReactNode } from "react";
import { percent } from "../lib/format";
import { CostValue } from "./cost-value";
import { tokens } from "./format";
import type { Totals } from "./series";

/** The range's figures in one line of numbers, above the charts. */
export function ReportTotals({ totals }: { totals: Totals }) {
  const cost = <CostValue costUsd={totals.costUsd} unpricedAttempts={totals.unpricedAttempts} />;
  const items: [string, ReactNode][] = [
    ["Batches", totals.batches],
    ["Images", totals.images],
    ["Success rate", percent(totals.successRate)],
    ["Tokens", tokens(totals.promptTokens + totals.outputTokens)],
    ["Cost", cost],
  ];
  return (
    <dl className="figures compact report-totals" aria-label="Totals for the range">
      {items.map(([name, value]) => (
        <div key={name} className="figure">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
