import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createApiClient, type ApiClient, type ConnectionOptions } from "../api-client";
import { describeError, type BatchProgress, type Rejection } from "./client";
import { withServer } from "./connect";
import type { Target } from "./embedded";
import { EXIT, UsageError } from "./errors";
import { writableFile } from "./paths";
import { createProgressView, type ProgressView } from "./progress-bar";
import { failureLines, showsTable, summaryLines } from "./summary";

export interface FollowOptions {
  server?: string;
  token?: string;
  json?: string;
  reconnectTimeout?: number;
}

export const DEFAULT_RECONNECT_TIMEOUT_S = 120;
const FINAL = ["completed", "failed", "cancelled"];
const say = (...lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(""));

/** The server stayed away longer than --reconnect-timeout while a batch was followed. */
export class ConnectionLost extends Error {
  override name = "ConnectionLost";
}

/**
 * Watches the connection while a batch is followed: one line when it drops, one when it is back,
 * and `onGiveUp` once it has stayed away for `timeoutMs`. Outside `start()`/`stop()` (the upload,
 * the lazy close after the stream ends) a closed socket means nothing.
 */
export function createConnectionWatch(url: string, timeoutMs: number) {
  let active = false;
  let lostSince: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let giveUp: (() => void) | undefined;
  const write = (line: string) => process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}${line}\n`);
  const watch = {
    lost() {
      if (!active || lostSince !== null) return;
      lostSince = Date.now();
      write(`⚠️  Lost the connection to ${url}; the batch goes on on the server. Reconnecting…`);
      timer = setTimeout(() => giveUp?.(), timeoutMs);
    },
    back() {
      if (!active || lostSince === null) return;
      lostSince = null;
      clearTimeout(timer);
      write("✅ Reconnected");
    },
    start(onGiveUp: () => void) {
      active = true;
      giveUp = onGiveUp;
    },
    stop() {
      active = false;
      clearTimeout(timer);
    },
    /** The options for the API client: socket events, and pings so a silent server is noticed within seconds. */
    connection: {
      onOpen: () => watch.back(),
      onClose: () => watch.lost(),
      keepAlive: { enabled: true, intervalMs: 2_000, pongTimeoutMs: 2_000 },
    } satisfies ConnectionOptions,
  };
  return watch;
}

export type ConnectionWatch = ReturnType<typeof createConnectionWatch>;

/** How to pick the batch up again, for the message printed when the CLI gives up waiting. */
export function followAgainHint(batchId: string, target: Target): string {
  return target.embedded ? `showscan follow ${batchId}` : `showscan follow ${batchId} --server ${target.url}`;
}

export function reconnectTimeoutMs(seconds: number | undefined): number {
  return (seconds ?? DEFAULT_RECONNECT_TIMEOUT_S) * 1_000;
}

export function printConnectionLost(batchId: string, target: Target, seconds: number | undefined): void {
  process.stderr.write(
    `\n❌ The server at ${target.url} stayed away for over ${seconds ?? DEFAULT_RECONNECT_TIMEOUT_S} s. Batch ${batchId} keeps running on the server;\n` +
      `   follow it again with: ${followAgainHint(batchId, target)}\n`,
  );
}

/**
 * Follows the batch to its end on `view`, which it stops either way. False when the server
 * stayed away past the limit: what to do next is printed, and the command exits 1.
 */
export async function followToEnd(
  client: ApiClient,
  batchId: string,
  view: ProgressView,
  watch: ConnectionWatch,
  target: Target,
  reconnectTimeout: number | undefined,
): Promise<boolean> {
  try {
    await followProgress(client, batchId, view, watch);
    return true;
  } catch (error) {
    if (!(error instanceof ConnectionLost)) throw error;
    view.stop();
    printConnectionLost(batchId, target, reconnectTimeout);
    return false;
  } finally {
    view.stop();
  }
}

const isNetworkError = (error: unknown) => {
  const { code } = describeError(error);
  return code === null || /^E[A-Z]+$/.test(code);
};

/**
 * Follows `batch.onProgress` until the batch reaches a final status. The WebSocket client
 * reconnects by itself and resumes from the last event id it saw, so the bar carries on where
 * it was; should the stream end early, the batch is polled instead. Rejects with
 * ConnectionLost once the server has stayed away past the watch's limit.
 */
export async function followProgress(
  client: ApiClient,
  batchId: string,
  view: ProgressView,
  watch: ConnectionWatch,
): Promise<BatchProgress> {
  let giveUp: (error: ConnectionLost) => void = () => {};
  const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
  gaveUp.catch(() => {});
  let unsubscribe = () => {};
  watch.start(() => {
    unsubscribe();
    giveUp(new ConnectionLost(`batch ${batchId}: the server stayed away`));
  });
  try {
    const streamed = await Promise.race([
      gaveUp,
      new Promise<BatchProgress | null>((resolve, reject) => {
        let latest: BatchProgress | null = null;
        const subscription = client.batch.onProgress.subscribe(
          { batchId },
          {
            onData: ({ data }) => {
              latest = data;
              view.update(data);
              if (FINAL.includes(data.status)) {
                subscription.unsubscribe();
                resolve(data);
              }
            },
            onComplete: () => resolve(latest && FINAL.includes(latest.status) ? latest : null),
            onError: (error) => {
              const { code, message } = describeError(error);
              if (code === "UNAUTHORIZED" || code === "FORBIDDEN" || code === "NOT_FOUND")
                reject(new UsageError(`cannot follow the batch: ${message}`));
              else resolve(null);
            },
          },
        );
        unsubscribe = () => subscription.unsubscribe();
      }),
    ]);
    if (streamed) return streamed;
    // Polled over HTTP: a failed request counts as a lost connection, a good one as back.
    for (;;) {
      const progress = await Promise.race([
        gaveUp,
        client.batch.byId.query({ batchId }).then(
          (b) => b.progress,
          (error: unknown) => {
            if (!isNetworkError(error)) throw error;
            return null;
          },
        ),
      ]);
      if (progress) {
        watch.back();
        view.update(progress);
        if (FINAL.includes(progress.status)) return progress;
      } else watch.lost();
      await Promise.race([gaveUp, new Promise((r) => setTimeout(r, 1_000))]);
    }
  } finally {
    watch.stop();
  }
}

/** The summary, the merged shows, any failures and the JSON file; resolves with the exit code. */
export async function printOutcome(client: ApiClient, batchId: string, jsonFile: string | null, rejected: Rejection[]): Promise<number> {
  const [batch, results, images] = await Promise.all([
    client.batch.byId.query({ batchId }),
    client.batch.results.query({ batchId }),
    client.batch.images.query({ batchId }),
  ]);
  say("", ...summaryLines(batch), "", ...showsTable(results.shows, process.stdout.isTTY ? process.stdout.columns : undefined));
  const failures = failureLines(images);
  if (failures.length) say("", ...failures);
  if (jsonFile) {
    await writeFile(jsonFile, `${JSON.stringify({ batch, results, images, rejected }, null, 2)}\n`);
    const shown = path.relative(process.cwd(), jsonFile);
    say("", `💾 Wrote ${shown.startsWith("..") ? jsonFile : shown}`);
  }
  return batch.status === "completed" ? EXIT.ok : EXIT.failed;
}

/**
 * `showscan follow <batchId>`: follows a batch that already runs (say after `analyze` lost its
 * server), from its current state, with the same bar and summary; exit 0 completed, 1 otherwise.
 */
export async function followCommand(batchId: string, opts: FollowOptions): Promise<number> {
  const jsonFile = opts.json ? await writableFile(opts.json, "--json") : null;
  return withServer(opts, async (target) => {
    const watch = createConnectionWatch(target.url, reconnectTimeoutMs(opts.reconnectTimeout));
    const api = createApiClient(target.url, target.token, watch.connection);
    try {
      let current: BatchProgress;
      try {
        current = (await api.client.batch.byId.query({ batchId })).progress;
      } catch (error) {
        const { code, message } = describeError(error);
        if (code === "NOT_FOUND" || code === "BAD_REQUEST") throw new UsageError(`no batch ${batchId}: ${message}`);
        if (code === "UNAUTHORIZED" || code === "FORBIDDEN") throw new UsageError(`cannot follow the batch: ${message}`);
        throw error;
      }
      say(`👀 Following batch ${batchId}: ${current.processedImages}/${current.totalImages} processed (${current.status})`);
      if (!FINAL.includes(current.status)) {
        const view = createProgressView(process.stderr, current.totalImages);
        view.update(current);
        if (!(await followToEnd(api.client, batchId, view, watch, target, opts.reconnectTimeout))) return EXIT.failed;
      }
      return await printOutcome(api.client, batchId, jsonFile, []);
    } finally {
      await api.close();
    }
  });
}
