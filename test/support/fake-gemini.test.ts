import { createHash } from "node:crypto";
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIResponseError,
  SchemaType,
  type GenerationConfig,
} from "@google/generative-ai";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini, type FaultName } from "./fake-gemini";

const config: GenerationConfig = {
  responseMimeType: "application/json",
  responseSchema: { type: SchemaType.OBJECT, properties: { shows: { type: SchemaType.ARRAY, items: { type: SchemaType.STRING } } } },
};

let fake: FakeGemini;
let png: Buffer;

function model(opts: { key?: string; name?: string; generationConfig?: GenerationConfig } = {}) {
  const { key = "test-key", name = "gemini-2.5-flash", generationConfig = config } = opts;
  return new GoogleGenerativeAI(key).getGenerativeModel({ model: name, generationConfig }, { baseUrl: fake.url });
}

function ask(m = model(), image = png, mimeType = "image/png", signal?: AbortSignal) {
  return m.generateContent([{ inlineData: { mimeType, data: image.toString("base64") } }, "Read this flyer."], { signal });
}

async function fetchError(p: Promise<unknown>): Promise<GoogleGenerativeAIFetchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GoogleGenerativeAIFetchError);
  return err as GoogleGenerativeAIFetchError;
}

const detail = (err: GoogleGenerativeAIFetchError, type: string): any =>
  (err.errorDetails as any[] | undefined)?.find((d) => d["@type"] === `type.googleapis.com/google.rpc.${type}`);

beforeAll(async () => {
  png = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#c33" } })
    .png()
    .toBuffer();
  fake = await startFakeGemini();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
  fake.setAnswer(() => ({ json: { shows: [], venues: [], djs: [], vendors: [] } }));
  fake.setLatency(0);
});

describe("fake Gemini through the real SDK", () => {
  it("returns the answer as JSON text with usage metadata and records the request", async () => {
    const extraction = { shows: [{ venueName: "The Rusty Nail" }], venues: [], djs: [], vendors: [] };
    fake.setAnswer(() => ({ json: extraction }));
    const { response } = await ask();
    expect(JSON.parse(response.text())).toEqual(extraction);
    expect(response.candidates?.[0]?.finishReason).toBe("STOP");
    const usage = response.usageMetadata!;
    expect(usage.promptTokenCount).toBe(258 + Math.ceil("Read this flyer.".length / 4));
    expect(usage.candidatesTokenCount).toBe(Math.ceil(JSON.stringify(extraction).length / 4));
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount + usage.candidatesTokenCount);
    expect((response as any).modelVersion).toBe("gemini-2.5-flash");

    const [req] = fake.requests;
    expect(req).toMatchObject({
      index: 0,
      model: "gemini-2.5-flash",
      apiKey: "test-key",
      imageMimeType: "image/png",
      prompt: "Read this flyer.",
    });
    expect(req?.imageSha256).toBe(createHash("sha256").update(png).digest("hex"));
    expect(req?.imageBytes.equals(png)).toBe(true);
  });

  it("answers the empty extraction by default and numbers requests in arrival order", async () => {
    const replies = await Promise.all([ask(), ask(), ask()]);
    for (const { response } of replies) expect(JSON.parse(response.text())).toEqual({ shows: [], venues: [], djs: [], vendors: [] });
    expect(fake.requests.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it("rejects a wrong API key with the recorded API_KEY_INVALID body and still records the call", async () => {
    const err = await fetchError(ask(model({ key: "nope" })));
    expect(err.status).toBe(400);
    expect(detail(err, "ErrorInfo")?.reason).toBe("API_KEY_INVALID");
    expect(fake.requests[0]?.apiKey).toBe("nope");
  });

  it("answers 404 NOT_FOUND for another model", async () => {
    const err = await fetchError(ask(model({ name: "gemini-5.0-flash" })));
    expect(err.status).toBe(404);
    expect(err.message).toContain("models/gemini-5.0-flash is not found");
  });

  it("rejects requests a real client should never send", async () => {
    const noJson = await fetchError(ask(model({ generationConfig: {} })));
    expect(noJson.status).toBe(400);
    expect(noJson.message).toContain("generationConfig.responseMimeType");
    expect(noJson.message).toContain("generationConfig.responseSchema");

    const mislabelled = await fetchError(ask(model(), png, "image/jpeg"));
    expect(mislabelled.message).toContain("the bytes are image/png");

    const notImage = await fetchError(ask(model(), Buffer.from("hello, not an image")));
    expect(notImage.message).toContain("not a JPEG, PNG, WebP or GIF");

    const dataUrl = model().generateContent([
      { inlineData: { mimeType: "image/png", data: `data:image/png;base64,${png.toString("base64")}` } },
      "x",
    ]);
    expect((await fetchError(dataUrl)).message).toContain("plain base64");

    const noImage = await fetchError(model().generateContent("just text"));
    expect(noImage.message).toContain("exactly one inlineData part, got 0");
    expect(detail(noImage, "BadRequest")?.fieldViolations.length).toBeGreaterThan(0);
  });

  const httpFaults: Array<[FaultName, number, string]> = [
    ["server-error", 500, "An internal error has occurred"],
    ["unavailable", 503, "The model is overloaded"],
    ["invalid-key", 400, "API_KEY_INVALID"],
    ["api-disabled", 403, "SERVICE_DISABLED"],
    ["unknown-model", 404, "models/gemini-2.5-flash is not found"],
  ];
  it.each(httpFaults)("fault %s throws a fetch error with status %i", async (fault, status, text) => {
    fake.setAnswer(() => ({ fault }));
    const err = await fetchError(ask());
    expect(err.status).toBe(status);
    expect(`${err.message} ${JSON.stringify(err.errorDetails ?? [])}`).toContain(text);
  });

  it("rate-limit faults name their quota and carry RetryInfo", async () => {
    fake.setAnswer(() => ({ fault: "rate-limit-minute" }));
    const minute = await fetchError(ask());
    expect(minute.status).toBe(429);
    expect(minute.statusText).toBe("Too Many Requests");
    expect(detail(minute, "RetryInfo")?.retryDelay).toBe("7s");
    expect(detail(minute, "QuotaFailure")?.violations[0]).toMatchObject({
      quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
      quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
    });
    expect(detail(minute, "Help")?.links[0].url).toMatch(/^https:/);

    fake.setAnswer(() => ({ fault: "rate-limit-day" }));
    const day = await fetchError(ask());
    expect(day.status).toBe(429);
    expect(detail(day, "QuotaFailure")?.violations[0].quotaId).toBe("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
  });

  it("200 faults behave as the SDK really reports them", async () => {
    const reply = async (fault: FaultName) => {
      fake.setAnswer(() => ({ fault }));
      return (await ask()).response;
    };
    const malformed = await reply("malformed-json");
    expect(() => JSON.parse(malformed.text())).toThrow(SyntaxError);

    const truncated = await reply("max-tokens");
    expect(truncated.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
    expect(truncated.text().startsWith('{"shows":[')).toBe(true);
    expect(() => JSON.parse(truncated.text())).toThrow(SyntaxError);

    const safety = await reply("safety");
    expect(() => safety.text()).toThrow(GoogleGenerativeAIResponseError);
    expect(() => safety.text()).toThrow("Candidate was blocked due to SAFETY");

    const blocked = await reply("blocked-prompt");
    expect(() => blocked.text()).toThrow("Text not available. Response was blocked due to OTHER");

    const other = await reply("finish-other");
    expect(other.text()).toBe("");
    expect(other.candidates?.[0]).toMatchObject({ finishReason: "OTHER", finishMessage: expect.stringContaining("internal error") });

    const prose = await reply("text-reply");
    expect(prose.text()).toContain("karaoke");
    expect(() => JSON.parse(prose.text())).toThrow(SyntaxError);
  });

  it("serves raw replies and reports a throwing answerer as a 500", async () => {
    fake.setAnswer(() => ({ status: 502, body: "<html>Bad Gateway</html>" }));
    expect((await fetchError(ask())).status).toBe(502);
    fake.setAnswer(() => {
      throw new Error("boom");
    });
    expect((await fetchError(ask())).message).toContain("fake Gemini answerer threw: Error: boom");
  });

  it("waits for the configured latency", async () => {
    fake.setLatency(() => 120);
    const started = performance.now();
    await ask();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("waits a per-request latency and records each request's service time", async () => {
    fake.setLatency((req) => (req.imageSha256 === createHash("sha256").update(png).digest("hex") ? 80 : 0));
    await ask();
    const [served] = fake.served;
    expect(served).toMatchObject({ index: 0, status: 200 });
    expect(served!.respondedAt - served!.arrivedAt).toBeGreaterThanOrEqual(75);
  });

  it("reset clears the record", async () => {
    await ask();
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.served).toEqual([]);
    await ask();
    expect(fake.requests[0]?.index).toBe(0);
  });
});

describe("fake Gemini limits and hangs", () => {
  it("enforces rpm with per-minute 429s whose delay is when the window frees", async () => {
    const limited = await startFakeGemini({ rpm: 2 });
    const m = new GoogleGenerativeAI("test-key").getGenerativeModel(
      { model: "gemini-2.5-flash", generationConfig: config },
      { baseUrl: limited.url },
    );
    try {
      await ask(m);
      await ask(m);
      const err = await fetchError(ask(m));
      expect(err.status).toBe(429);
      expect(detail(err, "QuotaFailure")?.violations[0]).toMatchObject({
        quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        quotaValue: "2",
      });
      expect(detail(err, "RetryInfo")?.retryDelay).toMatch(/^(59|60)s$/);
      expect(limited.requests).toHaveLength(3);
      limited.reset();
      await ask(m);
    } finally {
      await limited.close();
    }
  });

  it("a hang is released by the client's AbortSignal and the server keeps serving", async () => {
    fake.setAnswer((req) => (req.index === 0 ? { fault: "hang" } : { json: { shows: [] } }));
    const controller = new AbortController();
    const pending = ask(model(), png, "image/png", controller.signal);
    await waitFor(() => fake.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(GoogleGenerativeAIAbortError);
    expect(JSON.parse((await ask()).response.text())).toEqual({ shows: [] });
  });

  it("a hang is released by close(), which does not wait for it", async () => {
    const hanging = await startFakeGemini({ answer: () => ({ fault: "hang" }) });
    const m = new GoogleGenerativeAI("test-key").getGenerativeModel(
      { model: "gemini-2.5-flash", generationConfig: config },
      { baseUrl: hanging.url },
    );
    const pending = ask(m).catch((e: unknown) => e);
    await waitFor(() => hanging.requests.length === 1);
    const started = performance.now();
    await hanging.close();
    expect(performance.now() - started).toBeLessThan(1000);
    const err = await pending;
    expect(err).toBeInstanceOf(GoogleGenerativeAIError);
    expect(String(err)).toContain("fetch failed");
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
