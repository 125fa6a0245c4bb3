import { plural } from "../lib/format";
import { usd } from "./format";

/** A cost, or "unpriced" when some attempt's model has no rate: never a 0 standing in for a price not known. */
export function CostValue({ costUsd, unpricedAttempts }: { costUsd: number | null; unpricedAttempts: number }) {
  if (unpricedAttempts > 0) {
    return (
      <span className="badge unpriced" title={`${plural(unpricedAttempts, "attempt")} on a model with no rate`}>
        unpriced
      </span>
    );
  }
  return <>{usd(costUsd)}</>;
}
