import { useEffect, useId, useState } from "react";
import type { ReportSource } from "../api/types";
import { MODES, type ReportFilters as Filters } from "./use-report-filters";

/** Typing an owner should not ask the server once per key. */
const OWNER_PAUSE_MS = 300;

/** Date range (UTC days), mode, source (from the range's sources) and, for admins, owner. */
export function ReportFilters({ filters, sources, admin }: { filters: Filters; sources: ReportSource[]; admin: boolean }) {
  const ids = { from: useId(), to: useId(), mode: useId(), source: useId(), owner: useId(), owners: useId() };
  const [owner, setOwner] = useState(filters.owner);
  const { set } = filters;
  useEffect(() => {
    if (owner.trim() === filters.owner) return;
    const timer = setTimeout(() => set("owner", owner), OWNER_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [owner, filters.owner, set]);

  const urls = [...new Set(sources.flatMap((s) => (s.sourceUrl ? [s.sourceUrl] : [])))].sort();
  // A source from a shared link that the range no longer has stays choosable, so the select shows it.
  if (filters.source && !urls.includes(filters.source)) urls.unshift(filters.source);
  const owners = [...new Set(sources.map((s) => s.owner))].sort();

  return (
    <search className="history-filters report-filters" aria-label="Filter the reports">
      <div className="filter-field">
        <label htmlFor={ids.from}>From (UTC day)</label>
        <input id={ids.from} type="date" value={filters.from} max={filters.to} onChange={(e) => set("from", e.target.value)} />
      </div>
      <div className="filter-field">
        <label htmlFor={ids.to}>To (UTC day)</label>
        <input id={ids.to} type="date" value={filters.to} min={filters.from} onChange={(e) => set("to", e.target.value)} />
      </div>
      <div className="filter-field">
        <label htmlFor={ids.mode}>Mode</label>
        <select id={ids.mode} value={filters.mode ?? ""} onChange={(e) => set("mode", e.target.value)}>
          <option value="">any mode</option>
          {MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field wide">
        <label htmlFor={ids.source}>Source</label>
        <select id={ids.source} value={filters.source} onChange={(e) => set("source", e.target.value)}>
          <option value="">any source</option>
          {urls.map((url) => (
            <option key={url} value={url}>
              {url}
            </option>
          ))}
        </select>
      </div>
      {admin && (
        <div className="filter-field">
          <label htmlFor={ids.owner}>Owner</label>
          <input
            id={ids.owner}
            type="search"
            list={ids.owners}
            placeholder="everyone"
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
          />
          <datalist id={ids.owners}>
            {owners.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
      )}
      {filters.changed && (
        <button
          type="button"
          onClick={() => {
            setOwner("");
            filters.reset();
          }}
        >
          Last 30 days, everything
        </button>
      )}
    </search>
  );
}
