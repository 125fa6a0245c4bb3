import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useSearchParams } from "react-router";
import { useTRPC } from "../api/trpc";
import type { Rejection } from "../api/types";
import { FailureList } from "../batches/failure-list";
import { FilePicker } from "../batches/file-picker";
import { ProgressBar } from "../batches/progress-panel";
import { ShowCards } from "../batches/show-cards";
import { analyzeForm, recallRejected, rememberRejected, useAnalyze } from "../batches/use-analyze";
import { isFinal, useBatchProgress } from "../batches/use-batch-progress";
import { explainError, rejectedFiles } from "../lib/errors";
import { plural } from "../lib/format";

/** A singer's page, phone first: a few screenshots in, the shows found out. */
export function SubmitPage() {
  const [params, setParams] = useSearchParams();
  const batchId = params.get("batch");
  return (
    <main className="page narrow">
      <h1>Submit a show</h1>
      {batchId ? (
        <SubmittedBatch key={batchId} batchId={batchId} onAnother={() => setParams({})} />
      ) : (
        <SubmitForm onSent={(id) => setParams({ batch: id })} />
      )}
    </main>
  );
}

function SubmitForm({ onSent }: { onSent: (batchId: string) => void }) {
  const trpc = useTRPC();
  const limits = useQuery(trpc.settings.limits.queryOptions());
  const analyze = useAnalyze();
  const [files, setFiles] = useState<File[]>([]);
  const [sourceUrl, setSourceUrl] = useState("");
  const [refused, setRefused] = useState<Rejection[]>([]);
  const urlId = useId();

  const send = (event: FormEvent) => {
    event.preventDefault();
    setRefused([]);
    analyze.mutate(analyzeForm(files, { sourceUrl: sourceUrl.trim() }), {
      onSuccess: (answer) => {
        rememberRejected(answer.batchId, answer.rejected);
        onSent(answer.batchId);
      },
      onError: (error) => setRefused(rejectedFiles(error)),
    });
  };

  return (
    <form onSubmit={send} className="stack">
      <p>Send photos or screenshots of a karaoke schedule: we read the venue, night, time and host from them.</p>
      <FilePicker label="Screenshots" files={files} onChange={setFiles} />
      {limits.data && (
        <p className="muted small">
          Up to {limits.data.maxFiles} screenshots, {Math.round(limits.data.maxFileBytes / 1024 / 1024)} MB each.
        </p>
      )}
      <label htmlFor={urlId}>Where you found it (link, optional)</label>
      <input
        id={urlId}
        type="url"
        inputMode="url"
        placeholder="https://…"
        value={sourceUrl}
        onChange={(e) => setSourceUrl(e.target.value)}
      />
      <button type="submit" className="primary" disabled={files.length === 0 || analyze.isPending}>
        {analyze.isPending ? "Sending…" : files.length ? `Send ${plural(files.length, "screenshot")}` : "Send"}
      </button>
      {analyze.isError && (
        <div role="alert" className="error">
          <p>{explainError(analyze.error)}</p>
          {refused.length > 0 && (
            <ul>
              {refused.map((r) => (
                <li key={r.fileName}>
                  <strong>{r.fileName}</strong>: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

function SubmittedBatch({ batchId, onAnother }: { batchId: string; onAnother: () => void }) {
  const trpc = useTRPC();
  const { progress, error } = useBatchProgress(batchId);
  const results = useQuery(trpc.batch.results.queryOptions({ batchId }));
  const images = useQuery(trpc.batch.images.queryOptions({ batchId }));
  const [rejected] = useState(() => recallRejected(batchId));
  if (error && !progress) {
    return (
      <p role="alert" className="error">
        {explainError(error)}
      </p>
    );
  }
  if (!progress) return <p className="status-line">Loading…</p>;
  const done = isFinal(progress.status);
  return (
    <div className="stack">
      <ProgressBar progress={progress} />
      <section aria-label="Shows" className="stack">
        <h2>{done ? "Shows found" : "Shows found so far"}</h2>
        <ShowCards shows={results.data?.shows ?? []} />
      </section>
      <FailureList images={images.data ?? []} rejected={rejected} />
      {done && (
        <button type="button" onClick={onAnother}>
          Send more screenshots
        </button>
      )}
    </div>
  );
}
