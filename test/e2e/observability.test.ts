import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, listAttempts } from "../../db/src/index";
import { perMinute429, startFakeGemini, type FakeGemini, type FakeReply } from "../support/fake-gemini";
import { preparedSha256, startService, waitForBatch, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";
import { parsePrometheus, samplesOf, sumOf, type Sample } from "../support/prometheus";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const fastRetries = { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 100, maxRateLimited: 10 };
const ok: FakeReply = { json: { shows: [], venues: [], djs: [], vendors: [] } };
// A per-minute 429 asking for a 1 s wait (the fake's own fault asks for 7 s).
const retryIn1s = perMinute429("1s");

async function scrape(url: string | null): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheus(await res.text());
}

describe("/metrics after a batch with known outcomes", () => {
  let fake: FakeGemini;
  let service: TestService;
  let samples: Sample[];
  let attempts: Awaited<ReturnType<typeof listAttempts>>;

  beforeAll(async () => {
    fake = await startFakeGemini({ latencyMs: 20 });
    service = await startService({ fake, listen: true, retryPolicy: fastRetries });
    const images = await distinctImages(6, "observed");
    // First: a 429 then success; then two permanent failures, one retried server error, two clean.
    const plan: FakeReply[][] = [[retryIn1s], [{ fault: "safety" }], [{ fault: "blocked-prompt" }], [{ fault: "server-error" }], [], []];
    const queues = new Map<string, FakeReply[]>();
    for (const [i, image] of images.entries()) queues.set(await preparedSha256(image.bytes), [...plan[i]!]);
    fake.setAnswer((req) => queues.get(req.imageSha256)?.shift() ?? ok);
    // One worker: the image after the 429 must wait out the key's pause, so a quota wait is certain.
    const { batchId } = await service.app.submit({ owner: "admin", files: images, workers: 1, mode: "sequential" }, "admin");
    const batch = await waitForBatch(service, batchId);
    expect(batch).toMatchObject({ status: "completed", succeededImages: 4, failedImages: 2 });
    attempts = await listAttempts(service.db, batchId);
    samples = await scrape(service.url);
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("counts images by outcome and observes each one's latency once", () => {
    const gemini = { engine: "gemini" };
    expect(sumOf(samples, "showscan_images_finished_total", { ...gemini, outcome: "succeeded" })).toBe(4);
    expect(sumOf(samples, "showscan_images_finished_total", { ...gemini, outcome: "failed" })).toBe(2);
    expect(sumOf(samples, "showscan_image_duration_seconds_count", { ...gemini, outcome: "succeeded" })).toBe(4);
    expect(sumOf(samples, "showscan_image_duration_seconds_count", { ...gemini, outcome: "failed" })).toBe(2);
    expect(sumOf(samples, "showscan_batches_finished_total", { status: "completed" })).toBe(1);
  });

  it("counts attempts by error class as the attempt rows do, with their durations and tokens", () => {
    const expected = new Map<string, number>();
    for (const a of attempts) {
      const key = `${a.errorClass ? "failed" : "succeeded"}/${a.errorClass ?? ""}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const counted = new Map(
      samplesOf(samples, "showscan_attempts_total").map((s) => [`${s.labels.outcome}/${s.labels.error_class}`, s.value] as const),
    );
    expect(counted).toEqual(expected);
    expect(expected).toEqual(
      new Map([
        ["succeeded/", 4],
        ["failed/rateLimited", 1],
        ["failed/permanent", 2],
        ["failed/retryable", 1],
      ]),
    );
    expect(sumOf(samples, "showscan_attempt_duration_seconds_count")).toBe(attempts.length);
    const sum = (pick: (a: (typeof attempts)[number]) => number | null) => attempts.reduce((n, a) => n + (pick(a) ?? 0), 0);
    expect(sum((a) => a.promptTokens)).toBeGreaterThan(0);
    expect(sumOf(samples, "showscan_tokens_total", { kind: "prompt" })).toBe(sum((a) => a.promptTokens));
    expect(sumOf(samples, "showscan_tokens_total", { kind: "output" })).toBe(sum((a) => a.outputTokens));
  });

  it("counts the 429 and the quota wait it caused", () => {
    expect(attempts.filter((a) => a.httpStatus === 429)).toHaveLength(1);
    expect(sumOf(samples, "showscan_rate_limited_total", { error_class: "rateLimited" })).toBe(1);
    expect(sumOf(samples, "showscan_quota_waits_total")).toBeGreaterThanOrEqual(1);
    expect(sumOf(samples, "showscan_quota_wait_seconds_total")).toBeGreaterThan(0.5);
  });

  it("ends with nothing in flight or queued, and the pool idle", () => {
    expect(sumOf(samples, "showscan_images_in_flight")).toBe(0);
    expect(samplesOf(samples, "showscan_queue_depth_images").map((s) => [s.labels.state, s.value])).toEqual([
      ["queued", 0],
      ["running", 0],
    ]);
    expect(sumOf(samples, "showscan_worker_pool_threads")).toBe(2);
    expect(sumOf(samples, "showscan_worker_pool_busy_threads")).toBe(0);
    expect(sumOf(samples, "showscan_worker_pool_queued_tasks")).toBe(0);
    expect(sumOf(samples, "showscan_worker_pool_utilization")).toBe(0);
    // Every attempt prepares its image in the pool once.
    expect(sumOf(samples, "showscan_worker_task_duration_seconds_count", { task: "prepare", result: "ok" })).toBe(attempts.length);
    expect(sumOf(samples, "showscan_worker_task_duration_seconds_count", { task: "warm" })).toBe(2);
  });

  it("reports process and worker memory and the event-loop lag", () => {
    expect(sumOf(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samplesOf(samples, "nodejs_eventloop_lag_seconds")).toHaveLength(1);
    expect(sumOf(samples, "showscan_worker_memory_reporting_threads")).toBe(2);
    const heaps = samplesOf(samples, "showscan_worker_heap_used_bytes");
    expect(new Set(heaps.map((s) => s.labels.thread)).size).toBe(2);
    for (const heap of heaps) expect(heap.value).toBeGreaterThan(1_000_000);
  });

  it("answers /healthz and /readyz with every check passing", async () => {
    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", engine: "gemini", inFlight: 0 });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.status).toBe("ready");
    for (const name of ["database", "migrations", "pool", "engine"]) expect(body.checks[name]).toMatchObject({ ok: true });
  });
});

describe("/readyz while the database is unreachable", () => {
  let base: TestDatabase;
  let proxy: TcpProxy;
  let service: TestService;

  beforeAll(async () => {
    // The service reaches its database only through the proxy: closing it is a stopped server for this service alone.
    base = await createTestDatabase();
    const real = new URL(base.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(base.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const conn = connect(viaProxy.href);
    const database: TestDatabase = {
      ...conn,
      url: viaProxy.href,
      async drop() {
        await conn.close();
        await base.drop();
      },
    };
    service = await startService({ database, listen: true });
  });
  afterAll(async () => {
    await proxy?.start().catch(() => {});
    await service?.close();
    await proxy?.close();
  });

  const readyz = async () => {
    const res = await fetch(`${service.url}/readyz`);
    return { status: res.status, body: await res.json() };
  };

  it("answers 503 naming the database while it is down, 200 once it is back", async () => {
    expect((await readyz()).status).toBe(200);

    await proxy.stop();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "not ready", checks: { database: { ok: false }, pool: { ok: true } } });
    expect(down.body.reason).toMatch(/^database: /);
    // The process itself is still up, and a scrape still answers, without the database's figure.
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const scraped = await scrape(service.url);
    expect(samplesOf(scraped, "showscan_queue_depth_images")).toEqual([]);
    expect(samplesOf(scraped, "showscan_images_in_flight")).toHaveLength(1);

    await proxy.start();
    // The driver reconnects on the next query; give it a moment.
    let up = await readyz();
    for (let i = 0; i < 20 && up.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      up = await readyz();
    }
    expect(up).toMatchObject({ status: 200, body: { status: "ready" } });
    expect(samplesOf(await scrape(service.url), "showscan_queue_depth_images")).toHaveLength(2);
  });
});
