import type { ReactNode } from "react";
import type { TooltipContentProps } from "recharts";

interface Props<P> extends Partial<TooltipContentProps> {
  title: (point: P) => ReactNode;
  lines: (point: P) => [string, ReactNode][];
}

/**
 * A tooltip that reads the hovered point itself rather than recharts' list of drawn values: a value
 * not drawn (an unpriced cost, a day with nothing measured) still gets its line and says why.
 * Given to `<Tooltip content={...}>` as an element, which recharts renders with the hover's props.
 */
export function PointTooltip<P>({ active, payload, title, lines }: Props<P>) {
  const point = payload?.[0]?.payload as P | undefined;
  if (!active || !point) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{title(point)}</p>
      <dl>
        {lines(point).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** A chart's tooltip element, made once at module level: its title and lines of the hovered point. */
export const pointTooltip = <P,>(title: Props<P>["title"], lines: Props<P>["lines"]) => <PointTooltip title={title} lines={lines} />;
