import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiEngine } from "../../server/src/engines/gemini/engine";
import { createLogger } from "../../server/src/logger";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import {
  answerWithTruth,
  eventually,
  startService,
  TEST_JWT_SECRET,
  TEST_MODEL,
  testTokens,
  waitForBatch,
  type TestService,
} from "../support/harness";
import { distinctImages } from "../support/images";
import { createClient, uploadForm } from "../support/trpc-client";

const API_KEY = "AIzaSy-log-test-key-that-must-never-be-logged";

/** The service's log as a person or a log shipper reads it: one JSON object a line. */
describe("logs", () => {
  let fake: FakeGemini;
  let service: TestService;
  let flyers: Flyer[];
  let token: string;
  const lines: string[] = [];

  beforeAll(async () => {
    flyers = await generateFlyers(3, 5);
    fake = await startFakeGemini({ apiKey: API_KEY, answer: await answerWithTruth(flyers, () => ({ fault: "safety" })) });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    service = await startService({
      fake,
      listen: true,
      logger: createLogger("info", sink),
      engine: createGeminiEngine({ apiKey: API_KEY, model: TEST_MODEL, baseUrl: fake.url }),
    });
    token = await testTokens.sign({ sub: "log-admin", role: "admin" });
    const api = createClient(service.url!, token);
    const [unknown] = await distinctImages(1, "log-unknown");
    const { batchId } = await api.client.batch.analyze.mutate(
      uploadForm([...flyers.map((f) => ({ name: f.name, bytes: f.bytes })), unknown!], { workers: 2 }),
    );
    await waitForBatch(service, batchId);
    // The last attempt's line and the summary are written once its record has committed, which
    // is when waitForBatch hears of the end: wait for the summary, written last.
    await eventually(async () => (lines.some((l) => l.includes("📈 Success rate")) ? true : null));
    await api.close();
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("writes one JSON object a line, the batch and image ids on every line about them, and the original summary lines", () => {
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) if ("imageId" in event) expect(event.batchId).toEqual(expect.any(String));

    const analysed = events.filter((e) => e.msg === "image analysed");
    expect(analysed.map((e) => e.fileName).sort()).toEqual(flyers.map((f) => f.name).sort());
    for (const e of analysed) expect(e).toMatchObject({ attempt: 1, latencyMs: expect.any(Number), promptTokens: expect.any(Number) });
    const failed = events.filter((e) => String(e.msg).startsWith("image attempt failed: "));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ fileName: "log-unknown-0.png", errorClass: "permanent" });

    const messages = events.map((e) => String(e.msg));
    expect(messages).toContain("🚀 Processing 4 images with 2 workers...");
    expect(messages.some((m) => /^⚡ Speedup: \d+\.\dx$/.test(m))).toBe(true);
    expect(messages).toContain("📈 Success rate: 3/4 images (75%)");
  });

  it("holds no secret: not the Gemini key, the JWT secret or a bearer token", () => {
    const all = lines.join("\n");
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(TEST_JWT_SECRET);
    expect(all).not.toContain(token);
  });

  it("redacts a secret that reaches a line by accident", () => {
    const caught: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        caught.push(chunk.toString());
        done();
      },
    });
    createLogger("info", sink).error({ err: { headers: { authorization: `Bearer ${token}` } }, request: { apiKey: API_KEY } }, "oops");
    expect(caught.join("")).not.toContain(token);
    expect(caught.join("")).not.toContain(API_KEY);
    expect(JSON.parse(caught.join(""))).toMatchObject({
      err: { headers: { authorization: "[redacted]" } },
      request: { apiKey: "[redacted]" },
    });
  });
});
