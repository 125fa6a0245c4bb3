import { useCallback } from "react";
import { useSearchParams } from "react-router";
import type { BatchMode, ReportFilterInput } from "../api/types";
import { addDays, isDay, todayUtc } from "./days";

export const MODES = ["parallel", "sequential"] as const satisfies readonly BatchMode[];
/** Without dates in the URL a report covers the last 30 UTC days, today included. */
export const DEFAULT_DAYS = 30;

const NAMES = ["from", "to", "mode", "source", "owner"] as const;
type FilterName = (typeof NAMES)[number];

const isMode = (value: string | null): value is BatchMode => MODES.some((m) => m === value);

/**
 * The reports' filters as the URL holds them (`?from=2026-03-01&to=2026-03-31&mode=parallel`), so a
 * reload or a shared link shows the same figures. Days are UTC, as the reporting views count them:
 * From is that day's first instant and To covers the whole of its day (the server's `to` is exclusive).
 */
export function useReportFilters() {
  const [params, setParams] = useSearchParams();
  const today = todayUtc();
  const rawFrom = params.get("from");
  const rawTo = params.get("to");
  const to = isDay(rawTo) ? rawTo : today;
  const from = isDay(rawFrom) ? rawFrom : addDays(to, 1 - DEFAULT_DAYS);
  const rawMode = params.get("mode");
  const mode = isMode(rawMode) ? rawMode : null;
  const source = params.get("source")?.trim() ?? "";
  const owner = params.get("owner")?.trim() ?? "";

  const set = useCallback(
    (name: FilterName, value: string) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (value.trim()) next.set(name, value.trim());
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const reset = () =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const name of NAMES) next.delete(name);
        return next;
      },
      { replace: true },
    );

  const ordered = from <= to;
  /** What every report.* query takes; `owner` is ignored by the server for users (their own batches). */
  const input: ReportFilterInput = {
    from: `${from}T00:00:00.000Z`,
    to: `${addDays(to, 1)}T00:00:00.000Z`,
    mode: mode ?? undefined,
    source: source || undefined,
    owner: owner || undefined,
  };
  const changed = NAMES.some((name) => params.has(name));
  return { from, to, mode, source, owner, input, ordered, set, reset, changed };
}

export type ReportFilters = ReturnType<typeof useReportFilters>;
