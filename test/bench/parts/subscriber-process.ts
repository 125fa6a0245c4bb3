import { connect, listenForProgress } from "../../../db/src/index";
import { createApiClient } from "../../../server/src/api-client";

/**
 * A child process of the subscribers part, so its event loop is not the server's:
 * `observer <databaseUrl>` LISTENs to the progress channel and stamps each notice as it arrives
 * (the moment its transaction committed, as a LISTEN client sees it);
 * `clients <url> <token> <count>` opens `count` typed tRPC clients, each on its own WebSocket,
 * and once sent `{ batchId }` subscribes each to `batch.onProgress` and stamps every event as it arrives.
 * Stamps are wall-clock ms with sub-ms resolution; results go to the parent over IPC.
 */
export type Stamp = { client: number; batchId?: string; seq: number; at: number };
export type ToParent = { ready: number } | { stamps: Stamp[]; completed: number; errors: string[] };

const epochMs = () => performance.timeOrigin + performance.now();
const send = (message: ToParent) => process.send?.(message);
const [mode, ...args] = process.argv.slice(2);

if (mode === "observer") {
  const [databaseUrl] = args;
  const conn = connect(databaseUrl!, { max: 1 });
  const stamps: Stamp[] = [];
  await listenForProgress(conn, (notice) => {
    stamps.push({ client: -1, batchId: notice.batchId, seq: notice.seq, at: epochMs() });
  });
  send({ ready: epochMs() });
  process.on("message", async () => {
    send({ stamps, completed: 0, errors: [] });
    await conn.close();
    process.exit(0);
  });
} else if (mode === "clients") {
  const [url, token, countText] = args;
  const count = Number(countText);
  const stamps: Stamp[] = [];
  const errors: string[] = [];
  let subscribed = 0;
  let completed = 0;
  const clients = Array.from({ length: count }, () => createApiClient(url!, token));
  const finish = () => {
    send({ stamps, completed, errors });
    for (const c of clients) void c.close();
    setTimeout(() => process.exit(0), 200);
  };
  const subscribe = (batchId: string) =>
    clients.forEach(({ client }, i) => {
      let first = true;
      client.batch.onProgress.subscribe(
        { batchId },
        {
          onData: ({ id }) => {
            stamps.push({ client: i, seq: Number(id), at: epochMs() });
            if (first) {
              first = false;
              if (++subscribed === count) send({ ready: epochMs() });
            }
          },
          onComplete: () => {
            if (++completed === count) finish();
          },
          onError: (error) => {
            errors.push(String(error));
            if (++completed === count) finish();
          },
        },
      );
    });
  process.on("message", (m: { batchId?: string }) => (m.batchId ? subscribe(m.batchId) : finish()));
  send({ ready: epochMs() });
}
