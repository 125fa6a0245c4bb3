import type { MergedShow } from "../api/types";
import { fieldLabel, fieldValue } from "./show-fields";

/**
 * The fields the images disagreed on, each with its competing values side by side; the merge put
 * the kept value first, and it is marked so a reviewer sees what the table shows and what else was read.
 */
export function ConflictList({ conflicts }: { conflicts: MergedShow["conflicts"] }) {
  const fields = Object.entries(conflicts);
  if (fields.length === 0) return null;
  return (
    <div className="conflicts">
      <span className="conflicts-title">⚠ The images disagree:</span>
      <dl aria-label="Conflicting readings">
        {fields.map(([field, values]) => (
          <div key={field} className="conflict-field">
            <dt>{fieldLabel(field)}</dt>
            {values.map((value, i) => (
              <dd key={`${field}-${String(value)}`} className={i === 0 ? "kept" : undefined}>
                {fieldValue(field, value)}
                {i === 0 && <span className="kept-mark"> (kept)</span>}
              </dd>
            ))}
          </div>
        ))}
      </dl>
    </div>
  );
}
