import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { listAttempts, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, serverProcessEnv, TEST_MODEL, testTokens, waitForBatch } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, uploadForm } from "../support/trpc-client";

const IMAGES = 24;
const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };

/** A plain WebSocket on the server's tRPC endpoint, keeping every message it is sent. */
async function rawSocket(url: string) {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/trpc`);
  const messages: string[] = [];
  socket.on("message", (data: Buffer) => messages.push(data.toString()));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  return { socket, messages };
}

describe("SIGTERM of a server process in the middle of a batch", () => {
  let fake: FakeGemini;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    fake = await startFakeGemini({ model: TEST_MODEL, answer: () => ({ json: EMPTY }) });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await fake?.close();
  });

  /**
   * Starts process A with `graceMs`, submits a batch to it and sends it SIGTERM while requests of
   * `latencyMs` are at the fake; then process B on the same database finishes the batch.
   */
  async function terminateMidBatch(graceMs: number, latencyMs: number) {
    fake.reset();
    // Quick answers first, then `latencyMs` for the requests that are out at the signal.
    let slowFrom = Number.POSITIVE_INFINITY;
    fake.setLatency((req) => (req.index >= slowFrom ? latencyMs : 100));
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    const env = { ...serverProcessEnv(database.url, fake.url), IMAGE_TIMEOUT_MS: "20000", SHUTDOWN_GRACE_MS: String(graceMs) };
    const a = await startServerProcess(env);
    cleanups.push(() => a.stop());
    const api = createClient(a.url, await testTokens.sign({ sub: "ops", role: "admin" }));
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(IMAGES, `term-${graceMs}`), { workers: 3 }));
    await api.close();
    const ws = await rawSocket(a.url);
    cleanups.push(async () => ws.socket.terminate());

    // Some answered, then three slow ones at the fake.
    await eventually(async () => (fake.served.length >= 3 ? true : null), 60_000);
    slowFrom = fake.requests.length;
    const atFake = await eventually(async () => {
      const answered = new Set(fake.served.map((s) => s.index));
      const open = fake.requests.filter((r) => !answered.has(r.index));
      return open.length === 3 && open.every((r) => r.index >= slowFrom) ? open : null;
    }, 60_000);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      a.child.once("exit", (code) => resolve({ code, at: Date.now() })),
    );
    const sentAt = Date.now();
    a.child.kill("SIGTERM");
    const exit = await exited;
    slowFrom = Number.POSITIVE_INFINITY;

    // Nothing is left leased to A: what it did not finish waits in the queue for anyone.
    const images = await listImages(database.db, batchId);
    expect(images.filter((i) => i.status === "running")).toEqual([]);
    const b: ServerProcess = await startServerProcess(env);
    cleanups.push(() => b.stop());
    const batch = await waitForBatch({ database }, batchId, 120_000);
    const attempts = await listAttempts(database.db, batchId);
    return { a, exit, waitedMs: exit.at - sentAt, atFake, batch, attempts, reconnect: ws.messages };
  }

  it("lets the requests at the API answer within SHUTDOWN_GRACE_MS, tells WebSocket clients to reconnect, exits 0", async () => {
    const { exit, waitedMs, atFake, batch, attempts, reconnect } = await terminateMidBatch(10_000, 1_500);
    expect(exit.code).toBe(0);
    expect(waitedMs).toBeLessThan(10_000);
    expect(reconnect.map((m) => JSON.parse(m))).toContainEqual({ id: null, method: "reconnect" });
    // The three requests out at the signal were answered, not cut off.
    for (const r of atFake) expect(fake.served.find((s) => s.index === r.index)?.status).toBe(200);

    expect(batch).toMatchObject({ status: "completed", succeededImages: IMAGES, failedImages: 0 });
    const succeeded = attempts.filter((a) => a.outcome === "succeeded");
    expect(succeeded).toHaveLength(IMAGES);
    expect(new Set(succeeded.map((a) => a.imageId)).size).toBe(IMAGES);
    // Their answers were recorded by A; nothing was paid for twice, and no lease had to run out.
    const workers = [...new Set(attempts.map((a) => a.worker))];
    expect(workers).toHaveLength(2);
    expect(fake.requests).toHaveLength(IMAGES);
    expect(attempts.filter((a) => a.outcome === "lease_expired")).toEqual([]);
    expect(attempts.filter((a) => a.outcome !== "succeeded").every((a) => a.outcome === "retry" && a.errorClass === "cancelled")).toBe(
      true,
    );
  }, 240_000);

  it("hands back the requests still out when the grace runs out, and another process redoes them", async () => {
    const { exit, waitedMs, atFake, batch, attempts } = await terminateMidBatch(500, 6_000);
    expect(exit.code).toBe(0);
    // The grace, not the 6 s requests, decided when it left.
    expect(waitedMs).toBeLessThan(5_000);
    expect(batch).toMatchObject({ status: "completed", succeededImages: IMAGES, failedImages: 0 });
    const succeeded = attempts.filter((a) => a.outcome === "succeeded");
    expect(succeeded).toHaveLength(IMAGES);
    expect(new Set(succeeded.map((a) => a.imageId)).size).toBe(IMAGES);
    // The three cut off at the API were recorded as handed back, then asked again.
    const handedBack = attempts.filter((a) => a.errorClass === "cancelled" && a.outcome === "retry");
    expect(handedBack.length).toBeGreaterThanOrEqual(atFake.length);
    expect(fake.requests.length).toBe(IMAGES + atFake.length);
    expect(attempts.filter((a) => a.outcome === "lease_expired")).toEqual([]);
  }, 240_000);
});
