import { openAsBlob } from "node:fs";
import { createApiClient, type ApiClient } from "../api-client";
import { describeEngine } from "../engines/describe";
import { describeError, type AnalyzeResult, type Rejection } from "./client";
import { collectFiles, type InputFile } from "./collect-files";
import { withServer } from "./connect";
import type { Target } from "./embedded";
import { EXIT, UsageError } from "./errors";
import { plural } from "./format";
import { createConnectionWatch, followToEnd, printOutcome, reconnectTimeoutMs, type ConnectionWatch } from "./follow";
import { writableFile } from "./paths";
import { createProgressView, type ProgressView } from "./progress-bar";
import { rejectedLines } from "./summary";
import { safeFileName } from "../batches/file-names";

export interface AnalyzeOptions {
  workers?: number | "auto";
  mode?: "parallel" | "sequential";
  url?: string;
  description?: string;
  server?: string;
  token?: string;
  json?: string;
  /** Seconds to wait for a lost server before giving up (exit 1; the batch goes on). */
  reconnectTimeout?: number;
}

const say = (...lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(""));

/**
 * `showscan analyze`: uploads the screenshots through the typed API, follows the batch live
 * and prints the outcome and the merged shows. Against --server, or an in-process service.
 * Resolves with the exit code: 0 completed, 1 failed or cancelled.
 */
export async function analyzeCommand(paths: string[], opts: AnalyzeOptions): Promise<number> {
  const { files, skipped } = await collectFiles(paths);
  const jsonFile = opts.json ? await writableFile(opts.json, "--json") : null;
  if (opts.url !== undefined && !URL.canParse(opts.url)) throw new UsageError(`--url ${opts.url}: not a URL`);
  if (skipped.length) process.stderr.write(`ℹ️  Skipped (not image files): ${skipped.join(", ")}\n`);

  return withServer(opts, async (target) => {
    const watch = createConnectionWatch(target.url, reconnectTimeoutMs(opts.reconnectTimeout));
    const api = createApiClient(target.url, target.token, watch.connection);
    try {
      return await runBatch(api.client, files, opts, jsonFile, target, watch);
    } finally {
      await api.close();
    }
  });
}

async function uploadForm(files: InputFile[], opts: AnalyzeOptions): Promise<FormData> {
  const form = new FormData();
  // Blobs backed by the files: read while the request streams, not all held in memory first.
  // A control character in a name would make the whole form unreadable (MIME headers cannot hold one).
  for (const file of files) form.append("images", new File([await openAsBlob(file.path)], safeFileName(file.name)));
  if (opts.workers !== undefined) form.append("workers", String(opts.workers));
  if (opts.mode) form.append("mode", opts.mode);
  if (opts.url) form.append("sourceUrl", opts.url);
  if (opts.description) form.append("description", opts.description);
  return form;
}

async function runBatch(
  client: ApiClient,
  files: InputFile[],
  opts: AnalyzeOptions,
  jsonFile: string | null,
  target: Target,
  watch: ConnectionWatch,
): Promise<number> {
  let submitted: AnalyzeResult;
  try {
    submitted = await client.batch.analyze.mutate(await uploadForm(files, opts));
  } catch (error) {
    const { code, message, rejected } = describeError(error);
    if (rejected.length) {
      say(...rejectedLines(rejected));
      process.stderr.write(`showscan: no batch started: ${message}\n`);
      return EXIT.failed;
    }
    if (code === "UNAUTHORIZED") throw new UsageError(`the server refused the token: ${message}`);
    if (code === null || /^E[A-Z]+$/.test(code)) throw new UsageError(`the upload did not reach the server: ${code ?? message}`);
    if (code === "TOO_MANY_REQUESTS" || code === "INTERNAL_SERVER_ERROR") {
      process.stderr.write(`showscan: no batch started: ${message}\n`);
      return EXIT.failed;
    }
    throw new UsageError(`the upload was refused: ${message}`);
  }
  const { batchId } = submitted;
  const rejected: Rejection[] = submitted.rejected;
  const started = await client.batch.byId.query({ batchId });
  const how =
    started.mode === "sequential"
      ? "one at a time (sequential)"
      : started.workersAuto
        ? `with workers chosen automatically (starting at ${started.workers})`
        : `with ${plural(started.workers, "worker")}`;
  const engine = describeEngine({ name: started.engine, model: started.model });
  say(
    `🚀 Processing ${plural(submitted.totalImages, "image")} ${how}... (batch ${batchId})`,
    `🔎 Reading with ${engine.label}`,
    ...(engine.hint ? [`ℹ️  ${engine.hint}`] : []),
    ...rejectedLines(rejected),
  );

  const view = createProgressView(process.stderr, submitted.totalImages);
  const stopCancelling = cancelOnInterrupt(client, batchId, view, (message) => {
    if (!target.embedded) {
      process.stderr.write(`\nshowscan: cancel failed: ${message}\n`);
      return;
    }
    // Ctrl-C reached the embedded Postgres too (same process group): it is shutting down.
    view.stop();
    process.stderr.write(
      `\n⏹ Interrupted. The embedded database stopped with the command, so batch ${batchId} stays unfinished;\n` +
        `  its remaining images are analysed the next time showscan runs on ${target.embedded.dataDir} (showscan serve or analyze).\n`,
    );
    process.exit(130);
  });
  try {
    if (!(await followToEnd(client, batchId, view, watch, target, opts.reconnectTimeout))) return EXIT.failed;
  } finally {
    stopCancelling();
  }
  return printOutcome(client, batchId, jsonFile, rejected);
}

/** Ctrl-C cancels the batch and waits for it to stop; a second Ctrl-C quits at once. */
function cancelOnInterrupt(client: ApiClient, batchId: string, view: ProgressView, onCancelFailed: (message: string) => void): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      view.stop();
      process.stderr.write(`\nshowscan: quit without waiting; batch ${batchId} is being cancelled on the server\n`);
      process.exit(130);
    }
    interrupted = true;
    view.note("🛑 Cancelling (Ctrl-C again to quit now)");
    client.batch.cancel
      .mutate({ batchId }, { signal: AbortSignal.timeout(5_000) })
      .catch((error: unknown) => onCancelFailed(describeError(error).message.replace(/\n[\s\S]*/, "")));
  };
  process.on("SIGINT", onSignal);
  return () => process.off("SIGINT", onSignal);
}
