import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useSearchParams } from "react-router";
import { useTRPC } from "../api/trpc";
import { FailureList } from "../batches/failure-list";
import { FilePicker } from "../batches/file-picker";
import { UploadError } from "../batches/upload-error";
import { ProgressBar } from "../batches/progress-panel";
import { ShowCards } from "../batches/show-cards";
import { analyzeForm, recallRejected, rememberRejected, useAnalyze } from "../batches/use-analyze";
import { isFinal } from "../batches/use-batch-progress";
import { ConnectionNotice } from "../batches/connection-notice";
import { BatchUnavailable, useBatchView } from "../batches/use-batch-view";
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
  const urlId = useId();

  const send = (event: FormEvent) => {
    event.preventDefault();
    analyze.mutate(analyzeForm(files, { sourceUrl: sourceUrl.trim() }), {
      onSuccess: (answer) => {
        rememberRejected(answer.batchId, answer.rejected);
        onSent(answer.batchId);
      },
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
      {analyze.isError && <UploadError error={analyze.error} />}
    </form>
  );
}

function SubmittedBatch({ batchId, onAnother }: { batchId: string; onAnother: () => void }) {
  const { progress, error, reconnecting, images, shows } = useBatchView(batchId);
  const [rejected] = useState(() => recallRejected(batchId));
  if (!progress) return <BatchUnavailable error={error} />;
  const done = isFinal(progress.status);
  return (
    <div className="stack">
      <ConnectionNotice reconnecting={reconnecting} />
      <ProgressBar progress={progress} />
      <section aria-label="Shows" className="stack">
        <h2>{done ? "Shows found" : "Shows found so far"}</h2>
        <ShowCards shows={shows} final={done} />
      </section>
      <FailureList images={images} rejected={rejected} />
      {done && (
        <button type="button" onClick={onAnother}>
          Send more screenshots
        </button>
      )}
    </div>
  );
}
