import type { MergedShow } from "../api/types";
import { timeRange, weekday } from "../lib/format";

const addressOf = (show: MergedShow) =>
  [show.address, show.city, [show.state, show.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");

/** The shows found, as cards a singer can read on a phone. */
export function ShowCards({ shows, final }: { shows: MergedShow[]; final: boolean }) {
  if (shows.length === 0) return <p className="muted">{final ? "No shows found in these screenshots." : "No shows found yet."}</p>;
  return (
    <ul className="cards" aria-label="Shows found">
      {shows.map((show) => (
        <li key={show.key} className="card">
          <h3>{show.venueName}</h3>
          <p className="when">
            <strong>{weekday(show.dayOfWeek)}</strong> · {timeRange(show.startTime, show.endTime)}
          </p>
          {show.djName && <p>Host: {show.djName}</p>}
          {show.vendor && <p>Company: {show.vendor}</p>}
          {addressOf(show) && <p className="muted">{addressOf(show)}</p>}
        </li>
      ))}
    </ul>
  );
}
