import { shortDay } from "./days";

/** Colours of styles.css's palette, for SVG attributes (recharts takes them as props, not CSS). */
export const COLOURS = { accent: "#3b6fd8", ok: "#2e8540", warn: "#d98e04", bad: "#c0392b", grey: "#888", line: "#dde1e7" };

export const CHART_HEIGHT = 220;

/** The margin and axes every per-day chart shares: days along the bottom, the unit up the side. */
export const chartMargin = { top: 12, right: 12, bottom: 18, left: 4 };

export const dayAxis = {
  dataKey: "day",
  tickFormatter: shortDay,
  label: { value: "day (UTC)", position: "insideBottom", offset: -10 },
  // Small enough that a phone's 300 px still shows most days' names.
  tick: { fontSize: 12 },
  minTickGap: 4,
  // Room at the ends, so the first and last day's dots are not cut in half by the chart's edge.
  padding: { left: 12, right: 12 },
} as const;

export const valueAxis = (label: string) =>
  ({
    // Wide enough for "26,000" or "$0.0060" beside the rotated label, which otherwise overlap.
    width: 76,
    tick: { fontSize: 12 },
    label: { value: label, angle: -90, position: "insideLeft", style: { textAnchor: "middle" } },
  }) as const;
