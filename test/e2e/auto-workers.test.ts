import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";
import { createClient, uploadForm } from "../support/trpc-client";

const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };

describe("workers: 'auto'", () => {
  let fake: FakeGemini;
  let service: TestService;
  let inFlight = 0;
  let peak = 0;

  beforeAll(async () => {
    fake = await startFakeGemini({
      answer: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 150));
        inFlight--;
        return { json: EMPTY };
      },
    });
    // 240 a minute is 4 a second; at ~150 ms a request that needs about one in flight.
    service = await startService({ fake, listen: true, config: { settingsDefaults: { geminiRpm: 240 } } });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("chooses the window from the measured latency and the rate limit, and shows the number it chose", async () => {
    const api = createClient(service.url!, await testTokens.sign({ sub: "admin", role: "admin" }));
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(16, "auto"), { workers: "auto" }));
    const started = await getBatch(service.db, batchId);
    expect(started).toMatchObject({ workersAuto: true, workers: 4 });
    const batch = await waitForBatch(service, batchId);
    expect(batch.status).toBe("completed");
    // Little's law with a quarter to spare: 4/s x ~0.16 s x 1.25 rounds up to 1.
    expect(batch.workers).toBeLessThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(4);
    expect(await api.client.batch.byId.query({ batchId })).toMatchObject({ workersAuto: true, workers: batch.workers });
    await api.close();
  });
});
