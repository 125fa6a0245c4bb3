import { type ReactNode, useId } from "react";

/** A chart's frame: its heading, what it shows, and in place of an empty chart a sentence saying why. */
export function ChartCard({
  title,
  caption,
  empty,
  children,
}: {
  title: string;
  caption: ReactNode;
  /** Why there is nothing to draw, or null when there is. */
  empty: string | null;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="panel report-chart" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <p className="empty-state muted">{empty}</p> : <figure className="chart-frame">{children}</figure>}
      <p className="small muted chart-caption">{caption}</p>
    </section>
  );
}

export const NO_BATCHES = "No batches in this range.";
