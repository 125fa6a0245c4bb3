import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listAttempts, listImages, listMergedItems, lockBatch, sessionsWaitingForLocks, type Database } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, preparedSha256, serverProcessEnv, TEST_MODEL, testTokens } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, recordProgress, uploadForm } from "../support/trpc-client";
import { extractionOf, showOf as aShow } from "../support/extractions";

const IMAGES = 100;

/** Each image reads as one show of its own venue: the merge must end with exactly one row per image. */
const showOf = (n: number) => extractionOf(aShow({ venueName: `Crash Point Tavern ${n}` }));

/**
 * Holds the batch's row lock from the test's own transaction, as a long transaction of another
 * process would: every claim and record of the batch takes it first, so each one started while it
 * is held stops, mid-transaction, until `release()`.
 */
async function holdBatchLock(db: Database, batchId: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = () => {};
  const locked = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const done = db.transaction(async (tx) => {
    await lockBatch(tx, batchId);
    taken();
    await released;
  });
  // A test that fails before releasing drops the database under it: that end is expected.
  done.catch(() => {});
  await locked;
  return async () => {
    release();
    await done;
  };
}

async function killHard(server: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGKILL");
  await exited;
}

describe("kill -9 of the server process at the points where a batch is mid-transaction", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let env: Record<string, string>;
  /** The last image's answer waits for the test: its record is the one that ends the batch. */
  let lastSha = "";
  let lastMayAnswer = false;
  const numberOf = new Map<string, number>();

  beforeAll(async () => {
    fake = await startFakeGemini({
      model: TEST_MODEL,
      latencyMs: 40,
      answer: async (req) => {
        while (req.imageSha256 === lastSha && !lastMayAnswer) await new Promise((resolve) => setTimeout(resolve, 20));
        return { json: showOf(numberOf.get(req.imageSha256) ?? -1) };
      },
    });
    database = await createTestDatabase();
    // A held-back request may time out and be retried while the rest of the batch runs.
    env = { ...serverProcessEnv(database.url, fake.url), IMAGE_TIMEOUT_MS: "5000", MAX_RETRIES: "10" };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
    await fake?.close();
  });

  /** `showscan serve` on the first server's port, so a subscriber reconnects to it by itself. */
  async function serve(port?: string): Promise<ServerProcess> {
    const server = await startServerProcess(port ? { ...env, PORT: port } : env);
    servers.push(server);
    return server;
  }

  it("completes the batch after each crash and restart: one counted success per image, no merged row twice, subscribers resume", async () => {
    const uploads = await distinctImages(IMAGES, "crash");
    for (const [n, u] of uploads.entries()) numberOf.set(await preparedSha256(u.bytes), n);
    lastSha = [...numberOf.entries()].find(([, n]) => n === IMAGES - 1)![0];

    const first = await serve();
    const port = new URL(first.url).port;
    const api = createClient(first.url, await testTokens.sign({ sub: "ops", role: "admin" }));
    try {
      const { batchId } = await api.client.batch.analyze.mutate(uploadForm(uploads, { workers: 4 }));
      const { seen, ended: followed } = recordProgress(api.client, batchId);
      const open = () => {
        const answered = new Set(fake.served.map((s) => s.index));
        return fake.requests.filter((r) => !answered.has(r.index)).length;
      };

      // 1. Mid-record: answers came back, their records wait inside their transactions.
      await eventually(async () => (fake.served.length >= 30 ? true : null), 60_000);
      let release = await holdBatchLock(database.db, batchId);
      const stuck = await eventually(async () => {
        const waiting = await sessionsWaitingForLocks(database.db);
        return open() === 0 && waiting >= 1 ? waiting : null;
      }, 30_000);
      const succeededAtFirstKill = (await getBatch(database.db, batchId))!.succeededImages;
      await killHard(first);

      // 2. Mid-claim: a fresh process's first claim round waits inside its transaction.
      const second = await serve(port);
      await eventually(async () => ((await sessionsWaitingForLocks(database.db)) > stuck ? true : null), 30_000);
      await killHard(second);
      await release();
      // The killed processes' transactions never committed: nothing they were recording counts.
      expect((await getBatch(database.db, batchId))!.succeededImages).toBe(succeededAtFirstKill);

      // 3. The end: the last image's record, which ends the batch and stores the merge, waits inside its transaction.
      const third = await serve(port);
      // Lock only while the last image's request waits at the fake, well inside its timeout: queued
      // for a retry instead, its claim would wait on the lock and its record never come.
      await eventually(
        async () => {
          const answered = new Set(fake.served.map((s) => s.index));
          const waiting = fake.requests.some(
            (r) => r.imageSha256 === lastSha && !answered.has(r.index) && Date.now() - r.arrivedAt < 2_000,
          );
          return waiting && (await getBatch(database.db, batchId))!.succeededImages === IMAGES - 1 ? true : null;
        },
        180_000,
        20,
      );
      release = await holdBatchLock(database.db, batchId);
      const openedAt = Date.now();
      lastMayAnswer = true;
      await eventually(async () => {
        const answeredLast = fake.served.some((s) => s.respondedAt >= openedAt && fake.requests[s.index]?.imageSha256 === lastSha);
        return answeredLast && (await sessionsWaitingForLocks(database.db)) >= 1 ? true : null;
      }, 30_000);
      await killHard(third);
      await release();
      expect((await getBatch(database.db, batchId))!.status).toBe("running");
      expect(await listMergedItems(database.db, batchId)).toEqual([]);

      await serve(port);
      const batch = await eventually(async () => {
        const row = await getBatch(database.db, batchId);
        return row?.status === "completed" ? row : null;
      }, 120_000);
      expect(await followed).toBeNull();

      expect(batch).toMatchObject({ succeededImages: IMAGES, failedImages: 0 });
      const images = await listImages(database.db, batchId);
      expect(images.filter((i) => i.status !== "succeeded")).toEqual([]);
      const attempts = await listAttempts(database.db, batchId);
      const succeeded = attempts.filter((a) => a.outcome === "succeeded");
      expect(succeeded).toHaveLength(IMAGES);
      expect(new Set(succeeded.map((a) => a.imageId)).size).toBe(IMAGES);
      expect(attempts.filter((a) => a.outcome === "running")).toEqual([]);
      // Every killed attempt was closed when its image was taken over.
      expect(attempts.filter((a) => a.outcome === "lease_expired").length).toBeGreaterThan(0);

      const merged = (await listMergedItems(database.db, batchId)).filter((m) => m.kind === "show");
      expect(merged).toHaveLength(IMAGES);
      expect(new Set(merged.map((m) => m.id)).size).toBe(IMAGES);
      expect(merged.flatMap((m) => m.sourceImageIds).sort()).toEqual(images.map((i) => i.id).sort());
      // Each show's source is the attempt that counted, not one a crash cut short.
      const counted = new Set(succeeded.map((a) => a.id));
      expect(merged.flatMap((m) => m.sourceAttemptIds).every((id) => counted.has(Number(id)))).toBe(true);

      // One subscriber from start to end, across four processes: every event once, in order.
      expect(seen.at(-1)).toMatchObject({ processed: IMAGES, status: "completed" });
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.id).toBe(seen[i - 1]!.id + 1);
    } finally {
      await api.close();
    }
  }, 300_000);
});
