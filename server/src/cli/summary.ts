import type { BatchDetail, BatchImage, MergedShow, Rejection } from "./client";
import { formatDuration, pausedText, plural } from "./format";

/** Seconds as the original service printed them ("45s", "120s"); tenths for short runs, minutes for long ones. */
const seconds = (ms: number) => (ms < 10_000 || ms >= 600_000 ? formatDuration(ms) : `${Math.round(ms / 1000)}s`);

const HEADLINE = { completed: "✅ Completed in", failed: "❌ Failed after", cancelled: "🛑 Cancelled after" } as Record<string, string>;

/** The closing lines in the original service's style, from the batch's measured figures. */
export function summaryLines(detail: BatchDetail): string[] {
  const { progress, metrics } = detail;
  const wall = metrics?.wallMs ?? progress.elapsedMs;
  const sum = metrics ? ` (sum of image times: ${seconds(metrics.sumImageMs)})` : "";
  const pct = progress.totalImages ? Math.round((progress.succeededImages / progress.totalImages) * 100) : 0;
  const lines = [
    `${HEADLINE[detail.status] ?? `⏹ ${detail.status} after`} ${seconds(wall)}${sum}`,
    `⚡ Speedup: ${(metrics?.speedup ?? progress.speedup).toFixed(1)}x`,
    `📈 Success rate: ${progress.succeededImages}/${progress.totalImages} images (${pct}%)`,
  ];
  if (metrics && (metrics.retries > 0 || metrics.rateLimited > 0)) {
    lines.push(
      `🔁 ${plural(metrics.attempts, "attempt")}: ${plural(metrics.retries, "retry", "retries")}, ${plural(metrics.rateLimited, "rate-limit wait")}`,
    );
  }
  if (detail.error && detail.status === "failed") lines.push(`❌ ${detail.error}`);
  if (detail.resumesAt) lines.push(`⏸ ${pausedText(detail.resumesAt)}`);
  return lines;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Columns separated by two spaces, each as wide as its widest cell. Given a width (a terminal's),
 * the `shrinkable` columns give up room, the widest (times its weight) first, down to 12 characters each,
 * until the table fits.
 */
export function textTable(
  header: string[],
  rows: string[][],
  opts: { maxWidth?: number; shrinkable?: Record<number, number> } = {},
): string[] {
  const indent = "  ";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const total = () => indent.length + widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const shrinkable = Object.entries(opts.shrinkable ?? {}).map(([column, weight]) => ({ column: Number(column), weight }));
  const width = (column: number) => widths[column] ?? 0;
  const score = ({ column, weight }: { column: number; weight: number }) => width(column) * weight;
  while (opts.maxWidth && total() > opts.maxWidth) {
    const widest = shrinkable.filter((c) => width(c.column) > 12).sort((a, b) => score(b) - score(a))[0]?.column;
    if (widest === undefined) break;
    widths[widest] = width(widest) - 1;
  }
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => clip(c, width(i)).padEnd(width(i)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)];
}

/** The merged shows as a table: day, start-end, venue, address and city, host, company. */
export function showsTable(shows: MergedShow[], maxWidth?: number): string[] {
  if (shows.length === 0) return ["📋 No shows found."];
  const rows = shows.map((s) => {
    const conflicted = Object.keys(s.conflicts ?? {}).length > 0;
    const place = [s.address, s.city, [s.state, s.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
    return [
      capitalise(s.dayOfWeek) + (s.date ? ` ${s.date}` : ""),
      `${s.startTime ?? "?"}-${s.endTime ?? "?"}`,
      clip(s.venueName, 32) + (conflicted ? " *" : ""),
      clip(place, 44) || "—",
      clip(s.djName ?? "—", 22),
      clip(s.vendor ?? "—", 34),
    ];
  });
  const lines = [
    `📋 ${plural(shows.length, "show")}:`,
    ...textTable(["Day", "Time", "Venue", "Address", "Host", "Company"], rows, { maxWidth, shrinkable: { 2: 0.7, 3: 1, 4: 0.9, 5: 1 } }),
  ];
  if (shows.some((s) => Object.keys(s.conflicts ?? {}).length > 0))
    lines.push("  * the screenshots disagreed on some fields: the conflicts are in the --json output");
  return lines;
}

/** Each failed image with its error; cancelled ones counted. */
export function failureLines(images: BatchImage[]): string[] {
  const failed = images.filter((i) => i.status === "failed");
  const cancelled = images.filter((i) => i.status === "cancelled").length;
  const lines: string[] = [];
  if (failed.length) {
    lines.push(`❌ ${plural(failed.length, "image")} failed:`);
    for (const image of failed) {
      const tries = image.attempts.length > 1 ? ` (${plural(image.attempts.length, "attempt")})` : "";
      lines.push(`   ${image.fileName}: ${image.error ?? image.errorExplained ?? "unknown error"}${tries}`);
    }
  }
  if (cancelled) lines.push(`🛑 ${plural(cancelled, "image")} cancelled before finishing`);
  return lines;
}

export function rejectedLines(rejected: Rejection[]): string[] {
  if (rejected.length === 0) return [];
  return [`⚠️  ${plural(rejected.length, "file")} rejected:`, ...rejected.map((r) => `   ${r.fileName}: ${r.reason}`)];
}
