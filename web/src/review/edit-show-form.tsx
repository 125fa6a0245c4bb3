import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { MergedShow, Weekday } from "../api/types";
import { weekday } from "../lib/format";
import { fieldErrorsOf } from "./field-errors";
import { EDITABLE_SHOW_FIELDS, type EditableShowField, type ShowFields } from "./show-fields";
import { useEditShow } from "./use-review";

const WEEKDAYS: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

type Draft = Record<EditableShowField, string>;

const draftOf = (show: MergedShow): Draft => Object.fromEntries(EDITABLE_SHOW_FIELDS.map((field) => [field, show[field] ?? ""])) as Draft;

/** The draft as `review.edit` takes it: an emptied field is "not given" (null), not an empty string. */
function fieldsOf(draft: Draft): ShowFields {
  const value = (field: EditableShowField) => draft[field].trim() || null;
  return {
    dayOfWeek: draft.dayOfWeek as Weekday,
    startTime: value("startTime"),
    endTime: value("endTime"),
    venueName: draft.venueName.trim(),
    address: value("address"),
    city: value("city"),
    state: value("state"),
    zip: value("zip"),
    phone: value("phone"),
    djName: value("djName"),
    vendor: value("vendor"),
  };
}

interface TextFieldProps {
  field: EditableShowField;
  label: string;
  draft: Draft;
  errors: Record<string, string>;
  onChange: (field: EditableShowField, value: string) => void;
  type?: "text" | "time" | "tel";
  wide?: boolean;
  required?: boolean;
}

function TextField({ field, label, draft, errors, onChange, type = "text", wide, required }: TextFieldProps) {
  const id = useId();
  const error = errors[field];
  return (
    <div className={wide ? "edit-field wide" : "edit-field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={draft[field]}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(field, e.target.value)}
      />
      {error && (
        <span id={`${id}-error`} className="error small">
          {label} {error}
        </span>
      )}
    </div>
  );
}

/**
 * A show's fields in a dialog. Saving corrects the show and approves it with the corrected values
 * (the server's `review.edit`: editing is approving with corrections); the server's refusal is
 * shown beside the fields it names.
 */
export function EditShowDialog({ show, onClose }: { show: MergedShow; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState(() => draftOf(show));
  const edit = useEditShow();
  const dayId = useId();
  const titleId = useId();
  const errors = edit.isError ? fieldErrorsOf(edit.error) : null;

  // Opened as a modal once mounted; unmounting removes it, which closes it (closing it here as
  // well would fire its close event, and with it onClose, after a remount in StrictMode).
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const change = (field: EditableShowField, value: string) => setDraft((previous) => ({ ...previous, [field]: value }));
  const save = (event: FormEvent) => {
    event.preventDefault();
    edit.mutate({ itemId: show.id, fields: fieldsOf(draft) }, { onSuccess: onClose });
  };
  const shared = { draft, errors: errors?.byField ?? {}, onChange: change };

  return (
    <dialog ref={dialog} className="edit-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={save} className="edit-form">
        <h2 id={titleId}>Edit show: {show.venueName}</h2>
        <p className="muted small">Saving approves the show with these values and puts it in the catalog.</p>
        <div className="edit-grid">
          <div className="edit-field">
            <label htmlFor={dayId}>Day</label>
            <select id={dayId} value={draft.dayOfWeek} onChange={(e) => change("dayOfWeek", e.target.value)}>
              {WEEKDAYS.map((day) => (
                <option key={day} value={day}>
                  {weekday(day)}
                </option>
              ))}
            </select>
          </div>
          <TextField field="startTime" label="Start" type="time" {...shared} />
          <TextField field="endTime" label="End" type="time" {...shared} />
          <TextField field="venueName" label="Venue" wide required {...shared} />
          <TextField field="address" label="Address" wide {...shared} />
          <TextField field="city" label="City" {...shared} />
          <TextField field="state" label="State" {...shared} />
          <TextField field="zip" label="Zip" {...shared} />
          <TextField field="phone" label="Phone" type="tel" {...shared} />
          <TextField field="djName" label="Host" {...shared} />
          <TextField field="vendor" label="Company" {...shared} />
        </div>
        {errors && (
          <p role="alert" className="error">
            {errors.summary}
          </p>
        )}
        <div className="row edit-actions">
          <button type="submit" className="primary" disabled={edit.isPending}>
            {edit.isPending ? "Saving…" : "Save and approve"}
          </button>
          <button type="button" onClick={onClose} disabled={edit.isPending}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
