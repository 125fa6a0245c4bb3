import type { MergedShow } from "../api/types";
import { explainError } from "../lib/errors";
import { plural, timeRange, weekday } from "../lib/format";
import type { Decisions } from "./use-review";

/** "Shooters Sports Bar, Monday 9:00 pm – 1:00 am": which show a button acts on, for screen readers. */
export const showLabel = (show: MergedShow) => `${show.venueName}, ${weekday(show.dayOfWeek)} ${timeRange(show.startTime, show.endTime)}`;

const busyWith = (mutation: Decisions["approve"], id: string) => mutation.isPending && (mutation.variables?.itemIds.includes(id) ?? false);

/** Approve, Reject and Edit for one row; the one that matches its current state is disabled. */
export function RowActions({ show, decisions, onEdit }: { show: MergedShow; decisions: Decisions; onEdit: () => void }) {
  const { approve, reject } = decisions;
  const busy = busyWith(approve, show.id) || busyWith(reject, show.id);
  const label = showLabel(show);
  return (
    <span className="row-actions">
      <button
        type="button"
        className="approve"
        aria-label={`Approve ${label}`}
        disabled={busy || show.review === "approved"}
        onClick={() => approve.mutate({ itemIds: [show.id] })}
      >
        Approve
      </button>
      <button
        type="button"
        className="reject"
        aria-label={`Reject ${label}`}
        disabled={busy || show.review === "rejected"}
        onClick={() => reject.mutate({ itemIds: [show.id] })}
      >
        Reject
      </button>
      <button type="button" aria-label={`Edit ${label}`} disabled={busy} onClick={onEdit}>
        Edit
      </button>
    </span>
  );
}

interface BulkBarProps {
  selected: string[];
  shows: MergedShow[];
  decisions: Decisions;
  onDecided: () => void;
}

/** What the selection can do at once, with the tally of decisions so far and the last error. */
export function BulkBar({ selected, shows, decisions, onDecided }: BulkBarProps) {
  const { approve, reject } = decisions;
  const n = selected.length;
  const busy = approve.isPending || reject.isPending;
  const count = (state: MergedShow["review"]) => shows.filter((s) => s.review === state).length;
  const error = approve.error ?? reject.error;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form's fieldset.
    <div className="bulk-bar" role="group" aria-label="Review selected shows">
      <span className="tally">
        {count("pending")} pending · {count("approved")} approved · {count("rejected")} rejected
      </span>
      <span className="row">
        <span className="muted">{n ? `${plural(n, "show")} selected` : "Select shows to decide on several at once"}</span>
        <button
          type="button"
          className="approve"
          disabled={!n || busy}
          onClick={() => approve.mutate({ itemIds: selected }, { onSuccess: onDecided })}
        >
          Approve {n} selected
        </button>
        <button
          type="button"
          className="reject"
          disabled={!n || busy}
          onClick={() => reject.mutate({ itemIds: selected }, { onSuccess: onDecided })}
        >
          Reject {n} selected
        </button>
      </span>
      {error && (
        <p role="alert" className="error">
          {explainError(error)}
        </p>
      )}
    </div>
  );
}
