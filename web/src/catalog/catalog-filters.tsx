import { useEffect, useId, useState } from "react";
import type { CatalogFacets } from "../api/types";
import { weekday } from "../lib/format";
import { type CatalogFilters as Filters, WEEKDAYS } from "./use-catalog-filters";

/** Typing a host should not ask the server once per key: the filter follows a pause in typing. */
const HOST_PAUSE_MS = 300;

/** City (from the catalog's cities), weekday and host (typed, with the catalog's hosts suggested). */
export function CatalogFilters({ filters, facets }: { filters: Filters; facets: CatalogFacets | undefined }) {
  const ids = { city: useId(), day: useId(), host: useId(), hosts: useId() };
  const [host, setHost] = useState(filters.host);
  const { set } = filters;
  useEffect(() => {
    if (host.trim() === filters.host) return;
    const timer = setTimeout(() => set("host", host), HOST_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [host, filters.host, set]);
  const cities = [...(facets?.cities ?? [])].sort((a, b) => a.localeCompare(b));
  // A city from a shared link that is no longer in the catalog stays choosable, so the select shows it.
  if (filters.city && !cities.some((c) => c.toLowerCase() === filters.city.toLowerCase())) cities.unshift(filters.city);
  const hosts = [...(facets?.hosts ?? [])].sort((a, b) => a.localeCompare(b));

  return (
    <search className="history-filters catalog-filters" aria-label="Filter shows">
      <div className="filter-field">
        <label htmlFor={ids.city}>City</label>
        <select
          id={ids.city}
          value={cities.find((c) => c.toLowerCase() === filters.city.toLowerCase()) ?? ""}
          onChange={(e) => set("city", e.target.value)}
        >
          <option value="">any city</option>
          {cities.map((city) => (
            <option key={city} value={city}>
              {city}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor={ids.day}>Day</label>
        <select id={ids.day} value={filters.day ?? ""} onChange={(e) => set("day", e.target.value)}>
          <option value="">any day</option>
          {WEEKDAYS.map((day) => (
            <option key={day} value={day}>
              {weekday(day)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor={ids.host}>Host</label>
        <input id={ids.host} type="search" list={ids.hosts} placeholder="any host" value={host} onChange={(e) => setHost(e.target.value)} />
        <datalist id={ids.hosts}>
          {hosts.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      {filters.active && (
        <button
          type="button"
          onClick={() => {
            setHost("");
            filters.clear();
          }}
        >
          Clear filters
        </button>
      )}
    </search>
  );
}
