import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTRPC } from "../api/trpc";
import type { BatchDetail } from "../api/types";
import { BatchActions } from "../batches/batch-actions";
import { Comparison } from "../batches/comparison";
import { FailureList } from "../batches/failure-list";
import { FilePicker } from "../batches/file-picker";
import { UploadError } from "../batches/upload-error";
import { ImageGrid } from "../batches/image-grid";
import { PerformancePanel } from "../batches/performance-panel";
import { ProgressBar, ProgressFigures } from "../batches/progress-panel";
import { ResultsPanel } from "../batches/results-panel";
import { type AnalyzeFields, analyzeForm, recallRejected, rememberRejected, useAnalyze } from "../batches/use-analyze";
import { isFinal } from "../batches/use-batch-progress";
import { ConnectionNotice } from "../batches/connection-notice";
import { BatchUnavailable, useBatchView } from "../batches/use-batch-view";
import { explainError } from "../lib/errors";
import { SampleOffer } from "../batches/sample-offer";
import { EngineHint } from "../layout/engine-badge";
import { plural } from "../lib/format";

/** The admin parser: many screenshots in, every figure live, the merged table and the measured performance out. */
export function AdminPage() {
  const [params, setParams] = useSearchParams();
  const batchId = params.get("batch");
  const compare = params.get("compare");
  return (
    <main className="page">
      <h1>Admin parser</h1>
      <EngineHint />
      {batchId ? (
        <LiveBatch
          key={batchId}
          batchId={batchId}
          compareWith={compare}
          onRerun={(next) => setParams({ batch: next, compare: batchId })}
          onNew={() => setParams({})}
        />
      ) : (
        <>
          <SampleOffer onStarted={(id) => setParams({ batch: id })} />
          <AdminForm onStarted={(id) => setParams({ batch: id })} />
        </>
      )}
    </main>
  );
}

function AdminForm({ onStarted }: { onStarted: (batchId: string) => void }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const analyze = useAnalyze();
  const [files, setFiles] = useState<File[]>([]);
  const [workers, setWorkers] = useState<number | "auto" | null>(null);
  const [mode, setMode] = useState<AnalyzeFields["mode"] | null>(null);
  const [sourceUrl, setSourceUrl] = useState("");
  const [description, setDescription] = useState("");
  const [skipCache, setSkipCache] = useState(false);
  const ids = { workers: useId(), url: useId(), description: useId(), skipCache: useId() };
  const chosenWorkers = workers ?? settings.data?.defaultWorkers ?? 3;
  const chosenMode = mode ?? settings.data?.defaultMode ?? "parallel";

  const start = (event: FormEvent) => {
    event.preventDefault();
    const fields: AnalyzeFields = {
      workers: chosenWorkers,
      mode: chosenMode,
      sourceUrl: sourceUrl.trim(),
      description: description.trim(),
      skipCache: skipCache || undefined,
    };
    analyze.mutate(analyzeForm(files, fields), {
      onSuccess: (answer) => {
        rememberRejected(answer.batchId, answer.rejected);
        onStarted(answer.batchId);
      },
    });
  };

  return (
    <form onSubmit={start} className="stack">
      <FilePicker label="Screenshots" files={files} onChange={setFiles} allowFolder />
      <fieldset className="options">
        <legend>Options</legend>
        <div className="field">
          <label htmlFor={ids.workers}>Workers</label>
          <select
            id={ids.workers}
            value={chosenWorkers}
            disabled={chosenMode === "sequential"}
            onChange={(e) => setWorkers(e.target.value === "auto" ? "auto" : Number(e.target.value))}
          >
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
            <option value="auto">Auto (from latency and rate limit)</option>
          </select>
        </div>
        <fieldset className="field radios">
          <legend>Mode</legend>
          {(["parallel", "sequential"] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="mode" value={m} checked={chosenMode === m} onChange={() => setMode(m)} />{" "}
              {m === "parallel" ? "Parallel" : "Sequential"}
            </label>
          ))}
        </fieldset>
        <div className="field wide">
          <label htmlFor={ids.url}>Source URL</label>
          <input id={ids.url} type="url" placeholder="https://…" value={sourceUrl} onChange={(e) => setSourceUrl(e.target.value)} />
        </div>
        <div className="field wide">
          <label htmlFor={ids.description}>Description</label>
          <textarea id={ids.description} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <div className="field wide checkbox-field">
          <label htmlFor={ids.skipCache}>
            <input id={ids.skipCache} type="checkbox" checked={skipCache} onChange={(e) => setSkipCache(e.target.checked)} /> Analyse again
            even if seen before
          </label>
          <span className="muted small">A picture analysed before is answered from its earlier reading unless this is ticked.</span>
        </div>
      </fieldset>
      <button type="submit" className="primary" disabled={files.length === 0 || analyze.isPending}>
        {analyze.isPending ? "Uploading…" : files.length ? `Analyse ${plural(files.length, "screenshot")}` : "Analyse"}
      </button>
      {analyze.isError && <UploadError error={analyze.error} />}
    </form>
  );
}

interface LiveBatchProps {
  batchId: string;
  compareWith: string | null;
  onRerun: (batchId: string) => void;
  onNew: () => void;
}

function LiveBatch({ batchId, compareWith, onRerun, onNew }: LiveBatchProps) {
  const { progress, detail, error, reconnecting, images, cachedImages, shows, final } = useBatchView(batchId);
  const [rejected] = useState(() => recallRejected(batchId));
  if (!progress) return <BatchUnavailable error={error} />;
  const done = isFinal(progress.status);
  return (
    <div className="stack">
      <div className="row spread">
        <p className="muted">
          Batch <Link to={`/batches/${batchId}`}>{batchId.slice(0, 8)}</Link>
          {detail?.description ? ` · ${detail.description}` : ""}
        </p>
        <button type="button" onClick={onNew}>
          New batch
        </button>
      </div>
      <ConnectionNotice reconnecting={reconnecting} />
      <ProgressBar progress={progress} />
      <ProgressFigures progress={progress} cachedImages={cachedImages} />
      <BatchActions progress={progress} />
      <section aria-label="Image grid" className="panel">
        <h2>Images</h2>
        <ImageGrid images={images} />
      </section>
      <FailureList images={images} rejected={rejected} />
      <ResultsPanel batchId={batchId} shows={shows} images={images} final={final} />
      {done && detail?.metrics && <PerformancePanel metrics={detail.metrics} />}
      {done && detail && <RunAgain batch={detail} onRerun={onRerun} />}
      {compareWith && done && <Comparison batchIds={[compareWith, batchId]} />}
    </div>
  );
}

/** The original service's toggle between the modes: the same images again, the other way. */
function RunAgain({ batch, onRerun }: { batch: BatchDetail; onRerun: (batchId: string) => void }) {
  const trpc = useTRPC();
  const rerun = useMutation(trpc.batch.rerun.mutationOptions({ onSuccess: (answer) => onRerun(answer.batchId) }));
  const other = batch.mode === "sequential" ? ("parallel" as const) : ("sequential" as const);
  return (
    <div className="row">
      <button
        type="button"
        onClick={() => rerun.mutate({ batchId: batch.id, mode: other, workers: other === "parallel" ? 3 : undefined })}
        disabled={rerun.isPending}
      >
        {other === "sequential" ? "Run again sequentially" : "Run again in parallel"}
      </button>
      {rerun.isError && (
        <span role="alert" className="error">
          {explainError(rerun.error)}
        </span>
      )}
    </div>
  );
}
