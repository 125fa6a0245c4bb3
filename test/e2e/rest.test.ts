import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listBatches, listImages } from "../../db/src/index";
import { createRestRoutes } from "../../server/src/http/rest-routes";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import { distinctImages } from "../support/images";
import { answerWithTruth, preparedSha256, startService, testTokens, waitForBatch, type TestService } from "../support/harness";

const USER_ROUTE = "/api/parser/analyze-screenshots-parallel";
const ADMIN_ROUTE = "/api/parser/analyze-admin-screenshots-parallel";

const dataUrl = (f: { bytes: Uint8Array }, type = "image/png") => `data:${type};base64,${Buffer.from(f.bytes).toString("base64")}`;
const flyerUrl = (f: Flyer) => dataUrl(f, f.format === "jpeg" ? "image/jpeg" : "image/png");
const showKey = (s: { venueName: string; dayOfWeek: string; startTime: string | null }) => `${s.venueName}|${s.dayOfWeek}|${s.startTime}`;

interface LegacyAnswer {
  success: boolean;
  error?: string;
  data: {
    shows: { venueName: string; dayOfWeek: string; startTime: string | null; endTime: string | null }[];
    venues: { name: string }[];
    djs: { name: string }[];
    vendors: { name: string }[];
  };
  stats: {
    totalImages: number;
    processedImages: number;
    failedImages: number;
    totalTime: number;
    averageTimePerImage: number;
    speedup: number;
    workers: number;
  };
  batchId: string;
  errors: { file: string; error: string }[];
}

describe("the original REST routes on top of the pipeline", () => {
  let fake: FakeGemini;
  let service: TestService;
  let flyers: Flyer[];
  let admin: string;
  let user: string;

  /** Screenshots the fake answers with their ground truth; anything else is refused by SAFETY (a permanent failure). */
  beforeAll(async () => {
    flyers = await generateFlyers(3, 11);
    const plain = await distinctImages(4, "rest-plain");
    const empty = new Set(await Promise.all(plain.map((p) => preparedSha256(p.bytes))));
    fake = await startFakeGemini({
      latencyMs: () => 40 + Math.random() * 40,
      answer: await answerWithTruth(flyers, (req) =>
        empty.has(req.imageSha256) ? { json: { shows: [], venues: [], djs: [], vendors: [] } } : { fault: "safety" },
      ),
    });
    service = await startService({ fake, listen: true, config: { settingsDefaults: { userBatchesPerMinute: 5 } } });
    admin = await testTokens.sign({ sub: "rest-admin", role: "admin" });
    user = await testTokens.sign({ sub: "rest-user", role: "user" });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  const post = (path: string, body: unknown, token?: string, signal?: AbortSignal) =>
    fetch(`${service.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal,
    });

  it("admin route: 3 flyers -> 200 with the flyers' shows merged, measured stats and the batch id", async () => {
    const res = await post(
      ADMIN_ROUTE,
      { screenshots: flyers.map(flyerUrl), url: "https://example.com/kj", description: "legacy admin", maxConcurrentWorkers: 2 },
      admin,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as LegacyAnswer;
    expect(answer.success).toBe(true);
    expect(answer.errors).toEqual([]);

    const truth = flyers.flatMap((f) => f.truth.shows);
    expect(answer.data.shows.map(showKey).sort()).toEqual(
      [...new Set(truth.map((s) => `${s.venue}|${s.dayOfWeek}|${s.startTime}`))].sort(),
    );
    expect(answer.data.venues.map((v) => v.name).sort()).toEqual([...new Set(truth.map((s) => s.venue))].sort());
    expect(answer.data.djs.length).toBeGreaterThan(0);
    expect(answer.data.vendors.length).toBeGreaterThan(0);

    expect(answer.stats).toMatchObject({ totalImages: 3, processedImages: 3, failedImages: 0, workers: 2 });
    expect(answer.stats.speedup).toBeGreaterThan(0);
    expect(answer.stats.averageTimePerImage).toBeGreaterThan(0);
    expect(answer.stats.totalTime).toBeGreaterThan(0);

    const batch = await getBatch(service.db, answer.batchId);
    expect(batch).toMatchObject({
      owner: "rest-admin",
      status: "completed",
      workers: 2,
      mode: "parallel",
      sourceUrl: "https://example.com/kj",
      description: "legacy admin",
    });
  });

  it("user route: no token -> 401, garbage token -> 401, both as JSON errors", async () => {
    const none = await post(USER_ROUTE, { screenshots: [dataUrl(flyers[0]!)] });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ success: false, error: expect.stringMatching(/token/) });
    const bad = await post(USER_ROUTE, { screenshots: [dataUrl(flyers[0]!)] }, "not-a-jwt");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ success: false, error: expect.stringMatching(/invalid or expired/) });
  });

  it("admin route with a user token -> 403", async () => {
    const res = await post(ADMIN_ROUTE, { screenshots: flyers.map(flyerUrl) }, user);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ success: false, error: "admin only" });
  });

  it("user route: a bad data URL is named in errors while the rest succeeds; maxConcurrentWorkers is ignored", async () => {
    const res = await post(
      USER_ROUTE,
      { screenshots: [flyerUrl(flyers[0]!), "https://example.com/not-a-data-url.png", flyerUrl(flyers[1]!)], maxConcurrentWorkers: 5 },
      user,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as LegacyAnswer;
    expect(answer.success).toBe(true);
    expect(answer.errors).toEqual([{ file: "screenshot-2", error: expect.stringMatching(/data URL/) }]);
    expect(answer.stats).toMatchObject({ totalImages: 3, processedImages: 2, failedImages: 1, workers: 3 });
    const expected = [...flyers[0]!.truth.shows, ...flyers[1]!.truth.shows].map((s) => `${s.venue}|${s.dayOfWeek}|${s.startTime}`);
    expect(answer.data.shows.map(showKey).sort()).toEqual([...new Set(expected)].sort());
    expect(await getBatch(service.db, answer.batchId)).toMatchObject({ owner: "rest-user", workers: 3, totalImages: 2 });
  });

  it("400 on a body without screenshots, on a non-JSON body, and when no screenshot is usable", async () => {
    const missing = await post(USER_ROUTE, { url: "https://example.com" }, user);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ success: false, error: expect.stringMatching(/screenshots/) });

    const broken = await post(USER_ROUTE, "{ not json", user);
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ success: false });

    const none = await post(USER_ROUTE, { screenshots: ["data:image/png;base64,@@@", 42] }, user);
    expect(none.status).toBe(400);
    const body = (await none.json()) as { success: boolean; errors: { file: string }[] };
    expect(body.success).toBe(false);
    expect(body.errors.map((e) => e.file)).toEqual(["screenshot-1", "screenshot-2"]);

    const workers = await post(ADMIN_ROUTE, { screenshots: [flyerUrl(flyers[0]!)], maxConcurrentWorkers: 9 }, admin);
    expect(workers.status).toBe(400);
    expect(await workers.json()).toMatchObject({ error: expect.stringMatching(/maxConcurrentWorkers/) });
  });

  it("413 when the body passes the role's batch limit (user: 40 MB of images, as base64)", async () => {
    const huge = `data:image/png;base64,${"A".repeat(56 * 1024 * 1024)}`;
    const res = await post(USER_ROUTE, { screenshots: [huge] }, user);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ success: false, error: expect.stringMatching(/too large/) });
  });

  it("a data URL whose bytes are not an image is a per-file rejection from the upload checks", async () => {
    const [plain] = await distinctImages(1, "rest-plain");
    const res = await post(
      ADMIN_ROUTE,
      { screenshots: [dataUrl(plain!), `data:image/png;base64,${Buffer.from("hello, not a picture").toString("base64")}`] },
      admin,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as LegacyAnswer;
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]!.file).toMatch(/^screenshot-2/);
    expect(answer.stats).toMatchObject({ totalImages: 2, processedImages: 1, failedImages: 1 });
  });

  it("422 with success false when every image fails", async () => {
    const images = await distinctImages(2, "rest-refused");
    const res = await post(ADMIN_ROUTE, { screenshots: images.map((i) => dataUrl(i)) }, admin);
    expect(res.status).toBe(422);
    const answer = (await res.json()) as LegacyAnswer;
    expect(answer.success).toBe(false);
    expect(answer.stats).toMatchObject({ totalImages: 2, processedImages: 0, failedImages: 2 });
    expect(answer.errors.map((e) => e.file).sort()).toEqual(["screenshot-1.png", "screenshot-2.png"]);
  });

  it("a client that hangs up stops waiting, but its batch runs to the end", async () => {
    fake.setLatency(600);
    try {
      // A picture no earlier test analysed: the answer cache would answer it at once.
      const plain = (await distinctImages(3, "rest-plain"))[2];
      const abort = new AbortController();
      const sent = post(ADMIN_ROUTE, { screenshots: [dataUrl(plain!)], description: "hung up" }, admin, abort.signal);
      await new Promise((r) => setTimeout(r, 250));
      abort.abort();
      await expect(sent).rejects.toThrow();
      const batch = (await listBatches(service.db, { owner: "rest-admin", limit: 100 })).find((b) => b.description === "hung up");
      expect(batch).toBeDefined();
      const done = await waitForBatch(service, batch!.id);
      expect(done).toMatchObject({ status: "completed", succeededImages: 1 });
      expect((await listImages(service.db, batch!.id))[0]!.status).toBe("succeeded");
    } finally {
      fake.setLatency(() => 40 + Math.random() * 40);
    }
  });

  it("504 with the batch id when the batch outlasts the wait; the batch goes on", async () => {
    fake.setLatency(800);
    const app = express();
    app.use(createRestRoutes({ services: service.app, tokens: testTokens, waitTimeoutMs: 200 }));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      // A picture no earlier test analysed: the answer cache would answer it at once.
      const plain = (await distinctImages(4, "rest-plain"))[3];
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${ADMIN_ROUTE}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
        body: JSON.stringify({ screenshots: [dataUrl(plain!)] }),
      });
      expect(res.status).toBe(504);
      const body = (await res.json()) as { success: boolean; batchId: string };
      expect(body.success).toBe(false);
      expect((await waitForBatch(service, body.batchId)).status).toBe("completed");
    } finally {
      fake.setLatency(() => 40 + Math.random() * 40);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("user route: the per-user rate limit answers 429 with Retry-After; admins are not limited", async () => {
    const greedy = await testTokens.sign({ sub: "rest-greedy", role: "user" });
    const [plain] = await distinctImages(1, "rest-plain");
    const body = { screenshots: [dataUrl(plain!)] };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(USER_ROUTE, body, greedy)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await post(USER_ROUTE, body, greedy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ success: false, error: expect.stringMatching(/too many batches/) });
    // The admin route and an admin on the user route are not counted.
    for (let i = 0; i < 6; i++) expect((await post(USER_ROUTE, body, admin)).status).toBe(200);
  });
});
