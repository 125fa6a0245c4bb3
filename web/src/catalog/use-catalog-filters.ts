import { useCallback } from "react";
import { useSearchParams } from "react-router";
import type { CatalogFilter, Weekday } from "../api/types";

export const WEEKDAYS: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const NAMES = ["city", "day", "host"] as const;
type FilterName = (typeof NAMES)[number];

const isWeekday = (value: string | null): value is Weekday => WEEKDAYS.some((day) => day === value);

/** The catalog's filters as the URL holds them (`?city=Dayton&day=friday&host=Mike`), so a reload or a shared link keeps them. */
export function useCatalogFilters() {
  const [params, setParams] = useSearchParams();
  const city = params.get("city")?.trim() ?? "";
  const rawDay = params.get("day");
  const day = isWeekday(rawDay) ? rawDay : null;
  const host = params.get("host")?.trim() ?? "";
  // Stable, so the host field's pause-then-filter timer is not restarted by every render.
  const update = useCallback(
    (change: (next: URLSearchParams) => void) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          change(next);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const set = useCallback(
    (name: FilterName, value: string) =>
      update((next) => {
        if (value.trim()) next.set(name, value.trim());
        else next.delete(name);
      }),
    [update],
  );
  const clear = () =>
    update((next) => {
      for (const name of NAMES) next.delete(name);
    });
  /** The filters as `catalog.shows` takes them: an unset one is left out. */
  const input: Omit<CatalogFilter, "cursor" | "limit"> = {
    city: city || undefined,
    dayOfWeek: day ?? undefined,
    host: host || undefined,
  };
  return { city, day, host, input, set, clear, active: Boolean(city || day || host) };
}

export type CatalogFilters = ReturnType<typeof useCatalogFilters>;
