import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { showscan } from "../support/cli-run";
import { startServerProcess } from "../support/server-process";
import { createTestDatabase } from "../support/test-database";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import { answerWithTruth, startService, TEST_JWT_SECRET, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient } from "../support/trpc-client";

/** The first-run demo's procedures: the shipped samples listed, and analysed with one call. */
describe("batch.samples and batch.analyzeSamples", () => {
  let fake: FakeGemini;
  let flyers: Flyer[];
  let dir: string;
  const services: TestService[] = [];

  beforeAll(async () => {
    flyers = await generateFlyers(3, 21);
    dir = mkdtempSync(path.join(os.tmpdir(), "showscan-samples-"));
    for (const flyer of flyers) writeFileSync(path.join(dir, flyer.name), flyer.bytes);
    // What sits beside the images in the shipped folder is not a sample.
    writeFileSync(path.join(dir, "truth.json"), "[]");
    fake = await startFakeGemini({ answer: await answerWithTruth(flyers, () => ({ fault: "safety" })) });
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (samplesDir?: string) => {
    const service = await startService({ fake, listen: true, config: { samplesDir } });
    services.push(service);
    return service;
  };

  it("lists the images of the samples folder and analyses them as the caller's batch", async () => {
    const service = await start(dir);
    const api = createClient(service.url!, await testTokens.sign({ sub: "newcomer", role: "user" }));
    try {
      const { names } = await api.client.batch.samples.query();
      expect(names).toEqual(flyers.map((f) => f.name).sort());
      const started = await api.client.batch.analyzeSamples.mutate();
      expect(started).toMatchObject({ totalImages: 3, rejected: [] });
      const batch = await waitForBatch(service, started.batchId);
      expect(batch).toMatchObject({ owner: "newcomer", status: "completed", succeededImages: 3, description: "Sample screenshots" });
      const results = await api.client.batch.results.query({ batchId: started.batchId });
      const venues = new Set(results.shows.map((s) => s.venueName));
      for (const flyer of flyers) for (const show of flyer.truth.shows) expect(venues).toContain(show.venue);
    } finally {
      await api.close();
    }
  });

  it("lists none and refuses to start when no samples are installed", async () => {
    const service = await start(path.join(dir, "missing"));
    const api = createClient(service.url!, await testTokens.sign({ sub: "newcomer", role: "user" }));
    try {
      expect(await api.client.batch.samples.query()).toEqual({ names: [] });
      await expect(api.client.batch.analyzeSamples.mutate()).rejects.toMatchObject({
        data: { code: "NOT_FOUND" },
        message: "no sample screenshots are installed",
      });
    } finally {
      await api.close();
    }
  });
});

/** The shipped samples, read with no key and no network, as a newcomer's first command does. */
describe("showscan analyze samples/ with the offline engine", () => {
  const SAMPLES = fileURLToPath(new URL("../../samples/", import.meta.url));
  const truth = JSON.parse(readFileSync(path.join(SAMPLES, "truth.json"), "utf8")) as { file: string; shows: { venue: string }[] }[];

  it("reads every sample and prints every show's venue, saying which engine read them", async () => {
    const database = await createTestDatabase();
    const server = await startServerProcess({ DATABASE_URL: database.url, ENGINE: "offline", JWT_SECRET: TEST_JWT_SECRET });
    try {
      expect(server.output()).toContain("reading with offline OCR");
      const token = await testTokens.sign({ sub: "newcomer", role: "admin" });
      const run = await showscan(["analyze", SAMPLES, "--server", server.url, "--token", token], {}, 240_000);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("🔎 Reading with offline OCR");
      expect(run.stdout).toContain("A Gemini key (GEMINI_API_KEY) gives better results on hard images");
      expect(run.stdout).toContain(`📈 Success rate: ${truth.length}/${truth.length} images (100%)`);
      for (const venue of new Set(truth.flatMap((t) => t.shows.map((s) => s.venue)))) expect(run.stdout, venue).toContain(venue);
    } finally {
      await server.stop();
      await database.drop();
    }
  }, 300_000);
});
