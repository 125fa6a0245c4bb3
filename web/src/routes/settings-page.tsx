import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { useTRPC } from "../api/trpc";
import type { Settings, SettingsPatch } from "../api/types";
import { explainError } from "../lib/errors";

type Field = keyof Settings;
/** The form's values as its controls hold them: text, except the mode's radio choice. */
type Draft = Omit<Record<Field, string>, "defaultMode"> & { defaultMode: Settings["defaultMode"] };

const FIELDS: readonly Field[] = ["defaultWorkers", "defaultMode", "geminiRpm", "model", "userMaxFiles", "userBatchesPerMinute"];
const MODES = ["parallel", "sequential"] as const satisfies readonly Settings["defaultMode"][];

const toDraft = (s: Settings): Draft => ({
  defaultWorkers: String(s.defaultWorkers),
  defaultMode: s.defaultMode,
  geminiRpm: s.geminiRpm === null ? "" : String(s.geminiRpm),
  model: s.model,
  userMaxFiles: String(s.userMaxFiles),
  userBatchesPerMinute: String(s.userBatchesPerMinute),
});

/**
 * Only what differs from the stored settings. The server checks every range and answers with the
 * field's name; here only an empty number is caught, since it cannot be sent as a number at all.
 */
function changes(saved: Settings, draft: Draft): { patch: SettingsPatch; problems: { field: Field; text: string }[] } {
  const patch: Partial<Settings> = {};
  const problems: { field: Field; text: string }[] = [];
  const base = toDraft(saved);
  const count = (field: "userMaxFiles" | "userBatchesPerMinute", label: string) => {
    if (draft[field] === base[field]) return;
    if (draft[field].trim() === "") problems.push({ field, text: `${label}: enter a number` });
    else patch[field] = Number(draft[field]);
  };
  if (draft.defaultWorkers !== base.defaultWorkers) patch.defaultWorkers = Number(draft.defaultWorkers);
  if (draft.defaultMode !== base.defaultMode) patch.defaultMode = draft.defaultMode;
  if (draft.geminiRpm.trim() !== base.geminiRpm) patch.geminiRpm = draft.geminiRpm.trim() === "" ? null : Number(draft.geminiRpm);
  if (draft.model.trim() !== saved.model) patch.model = draft.model.trim();
  count("userMaxFiles", "Files per user batch");
  count("userBatchesPerMinute", "User batches per minute");
  return { patch, problems };
}

/** Fields a server message names (`userMaxFiles: Too big: …; model: …`). */
const namedFields = (message: string | null): Field[] =>
  message ? FIELDS.filter((field) => message.split("; ").some((part) => part.startsWith(`${field}:`))) : [];

/** The admin's settings: every batch submitted afterwards, on any server process, follows them. */
export function SettingsPage() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  return (
    <main className="page narrow">
      <h1>Settings</h1>
      {settings.isPending ? (
        <p className="muted">Loading…</p>
      ) : settings.isError ? (
        <p role="alert" className="error">
          {explainError(settings.error)}
        </p>
      ) : (
        <SettingsForm saved={settings.data} />
      )}
    </main>
  );
}

function SettingsForm({ saved }: { saved: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Only the edits are state: the rest always shows what is stored, even after a refresh.
  const [edits, setEdits] = useState<Partial<Draft>>({});
  const [problems, setProblems] = useState<{ field: Field; text: string }[]>([]);
  const save = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.settings.get.queryFilter());
        setEdits({});
      },
    }),
  );
  const ids = {
    workers: useId(),
    mode: useId(),
    rpm: useId(),
    model: useId(),
    maxFiles: useId(),
    batchesPerMinute: useId(),
    error: useId(),
  };

  const draft: Draft = { ...toDraft(saved), ...edits };
  const pending = changes(saved, draft);
  const dirty = Object.keys(pending.patch).length > 0 || pending.problems.length > 0;
  const serverMessage = save.isError ? explainError(save.error) : null;
  const message = problems.length ? problems.map((p) => p.text).join("; ") : serverMessage;
  const invalid = new Set<Field>([...problems.map((p) => p.field), ...namedFields(serverMessage)]);

  const edit = <K extends Field>(field: K, value: Draft[K]) => {
    setEdits((previous) => ({ ...previous, [field]: value }));
    setProblems([]);
    if (save.isError || save.isSuccess) save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending.problems.length) {
      setProblems(pending.problems);
      return;
    }
    if (Object.keys(pending.patch).length) save.mutate(pending.patch);
  };
  const undo = () => {
    setEdits({});
    setProblems([]);
    save.reset();
  };
  /** The props that tie a control to its help text and, when it is the one refused, to the error. */
  const described = (field: Field, id: string) => ({
    "aria-describedby": invalid.has(field) ? `${id}-help ${ids.error}` : `${id}-help`,
    "aria-invalid": invalid.has(field) || undefined,
  });

  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <Setting
        id={ids.workers}
        label="Default workers"
        help="How many images a batch analyses at once unless an admin picks another number: every user's batch uses it."
      >
        <select
          id={ids.workers}
          value={draft.defaultWorkers}
          onChange={(e) => edit("defaultWorkers", e.target.value)}
          {...described("defaultWorkers", ids.workers)}
        >
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={String(n)}>
              {n}
            </option>
          ))}
        </select>
      </Setting>

      <fieldset className="setting radios" {...described("defaultMode", ids.mode)}>
        <legend>Default mode</legend>
        <div className="row">
          {MODES.map((mode) => (
            <label key={mode}>
              <input
                type="radio"
                name="defaultMode"
                value={mode}
                checked={draft.defaultMode === mode}
                onChange={() => edit("defaultMode", mode)}
              />{" "}
              {mode === "parallel" ? "Parallel" : "Sequential"}
            </label>
          ))}
        </div>
        <p id={`${ids.mode}-help`} className="help">
          Parallel analyses several images side by side with the default workers; sequential analyses one image after another.
        </p>
      </fieldset>

      <Setting
        id={ids.rpm}
        label="Gemini requests per minute"
        help="The most requests all batches together send to Gemini in a minute, to stay under the key's quota. Leave empty for unlimited."
      >
        <input
          id={ids.rpm}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          placeholder="unlimited"
          value={draft.geminiRpm}
          onChange={(e) => edit("geminiRpm", e.target.value)}
          {...described("geminiRpm", ids.rpm)}
        />
      </Setting>

      <Setting id={ids.model} label="Model" help="The Gemini model new batches use, for example gemini-2.5-flash.">
        <input
          id={ids.model}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={draft.model}
          onChange={(e) => edit("model", e.target.value)}
          {...described("model", ids.model)}
        />
      </Setting>

      <Setting id={ids.maxFiles} label="Files per user batch" help="The most screenshots a user (not an admin) may send in one batch.">
        <input
          id={ids.maxFiles}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={draft.userMaxFiles}
          onChange={(e) => edit("userMaxFiles", e.target.value)}
          {...described("userMaxFiles", ids.maxFiles)}
        />
      </Setting>

      <Setting
        id={ids.batchesPerMinute}
        label="User batches per minute"
        help="How many batches each user may start in a minute; one more is refused until the minute passes. Admins are not limited."
      >
        <input
          id={ids.batchesPerMinute}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={draft.userBatchesPerMinute}
          onChange={(e) => edit("userBatchesPerMinute", e.target.value)}
          {...described("userBatchesPerMinute", ids.batchesPerMinute)}
        />
      </Setting>

      <div className="settings-actions">
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {dirty && !save.isPending && (
          <button type="button" onClick={undo}>
            Undo changes
          </button>
        )}
      </div>
      {save.isSuccess && !dirty && <p role="status">Saved. New batches use these settings.</p>}
      {message && (
        <p role="alert" className="error" id={ids.error}>
          {message}
        </p>
      )}
    </form>
  );
}

/** One labelled control with its help text under it (the control uses `${id}-help` as its description). */
function Setting({ id, label, help, children }: { id: string; label: string; help: string; children: ReactNode }) {
  return (
    <div className="setting">
      <label htmlFor={id}>{label}</label>
      {children}
      <p id={`${id}-help`} className="help">
        {help}
      </p>
    </div>
  );
}
