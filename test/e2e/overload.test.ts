import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { listAttempts, type BatchRow } from "../../db/src/index";
import { createLogger } from "../../server/src/logger";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { eventually, startService, testTokens, waitForBatch, type ServiceOptions, type TestService } from "../support/harness";
import { distinctImages } from "../support/images";
import { parsePrometheus, sumOf } from "../support/prometheus";
import { createClient, uploadForm } from "../support/trpc-client";

const EMPTY = { shows: [], venues: [], djs: [], vendors: [] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests at the fake now, and the most seen at once since `peak` was last reset. */
interface AtTheFake {
  current: number;
  peak: number;
}

describe("the images in flight back off when the process itself is overloaded", () => {
  let fake: FakeGemini | undefined;
  let service: TestService | undefined;
  const lines: { msg: string; reason?: string }[] = [];
  const at: AtTheFake = { current: 0, peak: 0 };

  afterEach(async () => {
    await service?.close();
    await fake?.close();
    lines.length = 0;
  });

  /** A service whose Gemini answers every image after `latencyMs`, counting the requests it holds. */
  async function start(latencyMs: number, config: ServiceOptions["config"]) {
    at.current = 0;
    at.peak = 0;
    fake = await startFakeGemini({
      answer: async () => {
        at.peak = Math.max(at.peak, ++at.current);
        await sleep(latencyMs);
        at.current--;
        return { json: EMPTY };
      },
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    service = await startService({ fake, listen: true, logger: createLogger("info", sink), config });
    return createClient(service.url!, await testTokens.sign({ sub: "overload-admin", role: "admin" }));
  }

  async function scrape() {
    const samples = parsePrometheus(await (await fetch(`${service!.url}/metrics`)).text());
    return {
      cap: sumOf(samples, "showscan_concurrency_cap"),
      reason: samples.find((s) => s.name === "showscan_concurrency_cap_reason" && s.value === 1)?.labels.reason,
    };
  }

  /** Every image succeeded, each with one attempt: nothing was cancelled or retried by the back-off. */
  async function expectEachSucceededOnce(batch: BatchRow, images: number) {
    expect(batch).toMatchObject({ status: "completed", succeededImages: images, failedImages: 0 });
    const attempts = await listAttempts(service!.db, batch.id);
    expect(attempts).toHaveLength(images);
    expect(new Set(attempts.map((a) => a.imageId)).size).toBe(images);
    expect(attempts.every((a) => a.outcome === "succeeded" && a.attemptNumber === 1)).toBe(true);
    expect(fake!.requests).toHaveLength(images);
  }

  it("halves to one image while the event loop stalls, climbs back to MAX_CONCURRENCY after, and the batch completes", async () => {
    const api = await start(400, { maxConcurrency: 4, load: { windowMs: 500 } });
    const images = 60;
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(images, "overload-lag"), { workers: 5 }));
    // Healthy, the process cap (4, under the batch's 5) is what is in flight.
    await eventually(async () => (at.current === 4 ? true : null), 20_000);

    // Synchronous stalls of 300 ms with short breaths between them: the p99 of each window is a
    // stall, over the default 200 ms limit. The service shares this event loop.
    let stalling = true;
    const stalls = (async () => {
      while (stalling) {
        const until = performance.now() + 300;
        while (performance.now() < until);
        await sleep(30);
      }
    })();
    try {
      await eventually(async () => (service!.app.load.cap === 1 ? true : null), 20_000);
      expect(service!.app.load.reason).toBe("eventLoopLag");
      expect(await scrape()).toEqual({ cap: 1, reason: "eventLoopLag" });
      // The requests already out finish (nothing is cancelled); after them, one at a time. The
      // dispatcher's count, not the fake's: it includes a request still on its way there.
      await eventually(async () => (service!.app.dispatcher.inFlight <= 1 ? true : null), 20_000);
      at.peak = at.current;
      const seen = fake!.requests.length;
      await eventually(async () => (fake!.requests.length >= seen + 3 ? true : null), 30_000);
      expect(at.peak).toBe(1);
      expect(service!.app.dispatcher.inFlight).toBeLessThanOrEqual(1);
    } finally {
      stalling = false;
      await stalls;
    }

    at.peak = at.current;
    await eventually(async () => (at.peak === 4 ? true : null), 20_000);
    // Eventually: on a loaded machine a stray slow window may still halve the cap once more.
    await eventually(async () => {
      const now = await scrape();
      return now.cap === 4 && now.reason === "ok" ? true : null;
    }, 20_000);
    expectLoggedOnceEachWay("eventLoopLag");

    await expectEachSucceededOnce(await waitForBatch(service!, batchId), images);
    await api.close();
  }, 120_000);

  it("runs one image at a time while the resident set is over MAX_RSS_MB, and the batch completes", async () => {
    // 1 MB is below any Node process's resident set: every window is over the limit.
    const api = await start(100, { maxConcurrency: 8, load: { maxRssMb: 1, windowMs: 250 } });
    await eventually(async () => (service!.app.load.cap === 1 ? true : null), 20_000);
    expect(await scrape()).toEqual({ cap: 1, reason: "memory" });

    const images = 12;
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(await distinctImages(images, "overload-rss"), { workers: 5 }));
    await expectEachSucceededOnce(await waitForBatch(service!, batchId), images);
    expect(at.peak).toBe(1);
    expect(service!.app.load).toMatchObject({ cap: 1, reason: "memory" });
    const backoffs = lines.filter((l) => l.msg.startsWith("process overloaded"));
    expect(backoffs).toHaveLength(1);
    expect(backoffs[0]).toMatchObject({ reason: "memory", rssLimitMb: 1 });
    await api.close();
  });

  /** One line when the back-off began and one when the cap was whole again, none for the checks between. */
  function expectLoggedOnceEachWay(reason: string) {
    const first = lines.findIndex((l) => l.msg.startsWith("process overloaded"));
    const recovered = lines.findIndex((l) => l.msg.startsWith("process load recovered"));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines[first]).toMatchObject({ reason });
    expect(recovered).toBeGreaterThan(first);
    expect(lines.slice(first + 1, recovered).filter((l) => l.msg.startsWith("process overloaded"))).toEqual([]);
  }
});
