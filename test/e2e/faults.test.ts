import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAttempts, listImages } from "../../db/src/index";
import { createGeminiEngine } from "../../server/src/engines/gemini/engine";
import { perMinute429, startFakeGemini, type FakeGemini, type FakeReply, type FaultName } from "../support/fake-gemini";
import { distinctImages, truncatedPng } from "../support/images";
import { eventually, preparedSha256, startService, waitForBatch, type TestService } from "../support/harness";

const fastRetries = { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 100, maxRateLimited: 10 };
const ok: FakeReply = { json: { shows: [], venues: [], djs: [], vendors: [] } };

/** Answers each image with its script of replies in turn, then with success. */
async function script(fake: FakeGemini, plan: { bytes: Buffer; replies: FakeReply[] }[]) {
  const queues = new Map<string, FakeReply[]>();
  for (const p of plan) queues.set(await preparedSha256(p.bytes), [...p.replies]);
  fake.setAnswer((req) => queues.get(req.imageSha256)?.shift() ?? ok);
}

const faults = (...names: FaultName[]) => names.map((fault) => ({ fault }));

describe("error classes against the fake Gemini", () => {
  let fake: FakeGemini;
  let service: TestService;

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 20 });
    service = await startService({ fake, retryPolicy: fastRetries, config: { imageTimeoutMs: 1_500 } });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  async function run(prefix: string, replies: FakeReply[][], workers = 3) {
    const images = await distinctImages(replies.length, prefix);
    await script(
      fake,
      images.map((img, i) => ({ bytes: img.bytes, replies: replies[i]! })),
    );
    fake.reset();
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers, mode: "parallel" }, "admin");
    const batch = await waitForBatch(service, batchId);
    const rows = await listImages(service.db, batchId);
    // A batch stopped by one answer ends before the attempts still out (at the API, or claimed
    // ahead) have recorded theirs: wait for those too.
    const attempts = await eventually(async () => {
      const all = await listAttempts(service.db, batchId);
      return all.some((a) => a.outcome === "running") ? null : all;
    });
    return { batch, rows, attempts, byImage: (i: number) => attempts.filter((a) => a.imageId === rows[i]!.id) };
  }

  it.each([
    ["server-error", 500, "retryable"],
    ["unavailable", 503, "retryable"],
    ["finish-other", 200, "retryable"],
    ["malformed-json", 200, "invalidOutput"],
    ["max-tokens", 200, "invalidOutput"],
    ["text-reply", 200, "invalidOutput"],
  ] as const)("retries a %s once it clears", async (fault, status, errorClass) => {
    const { batch, byImage } = await run(`once-${fault}`, [faults(fault), []]);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 2, failedImages: 0 });
    const [first, second] = byImage(0);
    expect(first).toMatchObject({ outcome: "retry", errorClass, httpStatus: status, attemptNumber: 1 });
    expect(second).toMatchObject({ outcome: "succeeded", attemptNumber: 2 });
    expect(byImage(1)).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up on a persistent server error after MAX_RETRIES retries, the rest of the batch unharmed", async () => {
    const { batch, rows, byImage } = await run("persistent-500", [
      faults("server-error", "server-error", "server-error", "server-error", "server-error"),
      [],
    ]);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 1, failedImages: 1 });
    expect(byImage(0).map((a) => a.outcome)).toEqual(["retry", "retry", "retry", "failed"]);
    expect(rows[0]).toMatchObject({ status: "failed", errorClass: "retryable" });
    expect(rows[0]!.error).toMatch(/Gemini server error 500/);
    expect(fake.requests).toHaveLength(5);
  });

  it("retries invalid JSON once only", async () => {
    const { rows, byImage } = await run("bad-json-twice", [faults("malformed-json", "malformed-json", "malformed-json")]);
    expect(byImage(0).map((a) => a.outcome)).toEqual(["retry", "failed"]);
    expect(rows[0]).toMatchObject({ status: "failed", errorClass: "invalidOutput" });
    expect(rows[0]!.error).toMatch(/not JSON/);
  });

  it("times out a hung request and retries it", async () => {
    const { batch, byImage } = await run("hang", [faults("hang"), []]);
    expect(batch.succeededImages).toBe(2);
    const [first, second] = byImage(0);
    expect(first).toMatchObject({ outcome: "retry", errorClass: "timeout", errorMessage: "timed out after 1500 ms" });
    expect(first!.latencyMs).toBeGreaterThanOrEqual(1_400);
    expect(second!.outcome).toBe("succeeded");
  });

  it.each([
    ["safety", /^blocked: SAFETY$/],
    ["blocked-prompt", /^blocked prompt: /],
  ] as const)("fails a %s image at once, without retries", async (fault, message) => {
    const { batch, rows, byImage } = await run(`perm-${fault}`, [faults(fault), []]);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 1, failedImages: 1 });
    expect(byImage(0)).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", errorClass: "permanent" });
    expect(rows[0]!.error).toMatch(message);
  });

  it("waits out a per-minute 429 for the whole key, without spending the retry budget", async () => {
    const retryIn1s = perMinute429("1s");
    const { batch, byImage } = await run("rpm", [[retryIn1s, retryIn1s, retryIn1s, retryIn1s], []], 1);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 2 });
    const tries = byImage(0);
    expect(tries.map((a) => a.errorClass)).toEqual(["rateLimited", "rateLimited", "rateLimited", "rateLimited", null]);
    expect(tries[0]!.httpStatus).toBe(429);
    for (let i = 1; i < tries.length; i++) {
      expect(tries[i]!.startedAt.getTime() - tries[i - 1]!.finishedAt!.getTime()).toBeGreaterThanOrEqual(950);
    }
  });

  it.each([
    ["invalid-key", "config", /^invalid Gemini API key$/],
    ["api-disabled", "config", /refused the key/],
  ] as const)("stops the whole batch on %s instead of burning retries", async (fault, errorClass, message) => {
    fake.setLatency(50);
    const replies = Array.from({ length: 12 }, () => faults(fault));
    const { batch, rows, attempts } = await run(`stop-${fault}`, replies, 2);
    fake.setLatency(20);
    expect(batch).toMatchObject({ status: "failed", succeededImages: 0, failedImages: 12 });
    expect(batch.error).toMatch(message);
    expect(rows.every((r) => r.status === "failed" && r.errorClass === errorClass)).toBe(true);
    // Only the window that was already in flight reached the server.
    expect(fake.requests.length).toBeLessThanOrEqual(2);
    // Every request has its attempt; images claimed ahead and handed back when the batch
    // stopped have theirs too, cancelled, with no request behind them.
    expect(attempts.length).toBeGreaterThanOrEqual(fake.requests.length);
    expect(attempts.filter((a) => a.outcome !== "cancelled").every((a) => a.outcome === "failed" || a.outcome === "lease_expired")).toBe(
      true,
    );
  });

  it("stops the batch with the model's name when the model is unknown", async () => {
    const wrongModel = await startService({
      engine: createGeminiEngine({ apiKey: "test-key", model: "gemini-0-nonexistent", baseUrl: fake.url }),
      retryPolicy: fastRetries,
    });
    try {
      const images = await distinctImages(6, "unknown-model");
      fake.reset();
      const { batchId } = await wrongModel.app.submit({ owner: "admin", files: images, workers: 2, mode: "parallel" }, "admin");
      const batch = await waitForBatch(wrongModel, batchId);
      expect(batch.status).toBe("failed");
      expect(batch.error).toMatch(/unknown Gemini model.*gemini-0-nonexistent/);
      expect(fake.requests.length).toBeLessThanOrEqual(2);
    } finally {
      await wrongModel.close();
    }
  });

  it("fails an undecodable image by name without calling Gemini, and finishes the rest", async () => {
    const images = await distinctImages(2, "decodable");
    fake.reset();
    const upload = [{ name: "broken.png", bytes: await truncatedPng() }, ...images];
    const { batchId, rejected } = await service.app.submit({ owner: "admin", files: upload, workers: 3, mode: "parallel" }, "admin");
    expect(rejected).toEqual([]);
    const batch = await waitForBatch(service, batchId);
    const rows = await listImages(service.db, batchId);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 2, failedImages: 1 });
    expect(rows[0]).toMatchObject({ fileName: "broken.png", status: "failed", errorClass: "permanent" });
    expect(rows[0]!.error).toMatch(/^cannot decode image/);
    expect(fake.requests).toHaveLength(2);
  });

  it("rejects files that are not images by name and reason, keeping the rest", async () => {
    const [image] = await distinctImages(1, "kept");
    const upload = [
      { name: "notes.txt", bytes: Buffer.from("Karaoke every Tuesday") },
      { name: "empty.png", bytes: Buffer.alloc(0) },
      { name: "scan.pdf", bytes: Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n") },
      image!,
    ];
    const result = await service.app.submit({ owner: "admin", files: upload, workers: 3, mode: "parallel" }, "admin");
    expect(result.totalImages).toBe(1);
    expect(result.rejected).toEqual([
      { fileName: "notes.txt", reason: expect.stringMatching(/not an image/) },
      { fileName: "empty.png", reason: "the file is empty" },
      { fileName: "scan.pdf", reason: expect.stringMatching(/unsupported format PDF/) },
    ]);
    await waitForBatch(service, result.batchId);
  });
});

describe("a worker thread that dies mid-task", () => {
  let crashDir: string;
  let fake: FakeGemini;
  let service: TestService;

  beforeAll(async () => {
    crashDir = mkdtempSync(path.join(os.tmpdir(), "showscan-crash-"));
    process.env.SHOWSCAN_CRASH_DIR = crashDir;
    fake = await startFakeGemini();
    service = await startService({
      fake,
      retryPolicy: fastRetries,
      workerFile: new URL("../support/crashing-worker.mjs", import.meta.url).href,
      config: { imageTimeoutMs: 2_000 },
    });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
    delete process.env.SHOWSCAN_CRASH_DIR;
    rmSync(crashDir, { recursive: true, force: true });
  });

  async function crashOnce(how: "throw" | "exit") {
    const images = await distinctImages(4, `crash-${how}`);
    writeFileSync(path.join(crashDir, `${createHash("sha256").update(images[1]!.bytes).digest("hex")}.crash`), how);
    fake.reset();
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 3, mode: "parallel" }, "admin");
    const batch = await waitForBatch(service, batchId, 30_000);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 4, failedImages: 0 });
    const rows = await listImages(service.db, batchId);
    const attempts = await listAttempts(service.db, batchId);
    expect(attempts).toHaveLength(5);
    expect(fake.requests).toHaveLength(4);
    const crashed = attempts.filter((a) => a.imageId === rows[1]!.id);
    expect(crashed.map((a) => a.outcome)).toEqual(["retry", "succeeded"]);
    return crashed[0]!;
  }

  it("fails only its own task at once when the thread dies of an uncaught error; the image is retried", async () => {
    const first = await crashOnce("throw");
    expect(first).toMatchObject({ errorClass: "retryable", errorMessage: "worker failed: native decoder crashed" });
  });

  // Tinypool never settles a task whose thread called process.exit(); the attempt's timeout
  // (its AbortSignal) is what frees the image.
  it("frees the image through the attempt timeout when the thread exits outright", async () => {
    const first = await crashOnce("exit");
    expect(first).toMatchObject({ errorClass: "timeout", errorMessage: "timed out after 2000 ms" });
  });
});
