import type { ItemMatch, MergedShow, ReviewState } from "../api/types";
import { dateTime } from "../lib/format";
import { fieldLabel, fieldValue } from "./show-fields";

const REVIEW_WORDS: Record<ReviewState, string> = { pending: "pending", approved: "approved", rejected: "rejected" };

/** Where the show stands: pending, or approved / rejected with who decided and when. */
export function ReviewBadge({ show }: { show: Pick<MergedShow, "review" | "reviewedBy" | "reviewedAt"> }) {
  return (
    <span className="review-state">
      <span className={`badge review-${show.review}`}>{REVIEW_WORDS[show.review]}</span>
      {show.review !== "pending" && show.reviewedBy && (
        <span className="muted small" title={dateTime(show.reviewedAt)}>
          by {show.reviewedBy}
        </span>
      )}
    </span>
  );
}

const MATCH_WORDS: Record<ItemMatch, { word: string; title: string }> = {
  new: { word: "new", title: "Not in the catalog yet" },
  known: { word: "known", title: "Already in the catalog, with the same details" },
  changed: { word: "changed", title: "In the catalog, with other details: the old value is on the left" },
};

/** New, known or changed against the catalog; a changed show says what changed, old value to new. */
export function MatchBadge({ show }: { show: Pick<MergedShow, "match" | "previous"> & Record<string, unknown> }) {
  const { word, title } = MATCH_WORDS[show.match];
  const changes = show.match === "changed" && show.previous ? Object.entries(show.previous) : [];
  return (
    <span className="match">
      <span className={`badge match-${show.match}`} title={title}>
        {word}
      </span>
      {changes.length > 0 && (
        <ul className="changes" aria-label="Changed since the catalog">
          {changes.map(([field, before]) => (
            <li key={field}>
              {fieldLabel(field)} <s>{fieldValue(field, before)}</s> → <strong>{fieldValue(field, show[field])}</strong>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
