import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PHASH_DISTANCE } from "../../server/src/pipeline/cache";
import { prepareImage } from "../../server/src/pool/prepare";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import { answerWithTruth, startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { reshared } from "../support/images";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

/**
 * The image answer cache: a picture analysed once with the same engine, model and prompt is not
 * sent to Gemini again, whether the same bytes or a re-encoded, resized copy.
 */
describe("the image answer cache", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: Api;
  let user: Api;
  let flyers: Flyer[];
  let others: Flyer[];
  let copies: { name: string; bytes: Buffer }[];
  let first: string;
  let second: string;

  const asFiles = (items: Flyer[]) => items.map((f) => ({ name: f.name, bytes: f.bytes }));
  const run = async (api: Api, form: FormData) => {
    const { batchId } = await api.client.batch.analyze.mutate(form);
    await waitForBatch(service, batchId);
    return batchId;
  };
  const showsOf = async (batchId: string) =>
    (await admin.client.batch.results.query({ batchId })).shows
      .map((s) => ({ venueName: s.venueName, dayOfWeek: s.dayOfWeek, startTime: s.startTime, endTime: s.endTime, djName: s.djName }))
      .sort((a, b) => `${a.venueName}|${a.dayOfWeek}|${a.startTime}`.localeCompare(`${b.venueName}|${b.dayOfWeek}|${b.startTime}`));
  const code = (call: Promise<unknown>) =>
    call.then(
      () => "ok",
      (e: { data?: { code?: string } }) => e.data?.code,
    );

  beforeAll(async () => {
    // Flyers of the same three templates: these two sets hold pairs whose 64-bit hashes are as
    // close as a copy's (checked below), which only the fingerprint tells apart.
    flyers = await generateFlyers(6, 1);
    others = await generateFlyers(6, 2);
    copies = await Promise.all(
      flyers.map(async (f) => ({ name: `again-${f.name}`, bytes: await reshared(f.bytes, { scale: 0.8, quality: 60 }) })),
    );
    // Only the originals have answers: a copy that reached Gemini would fail the image.
    fake = await startFakeGemini({
      latencyMs: 30,
      answer: await answerWithTruth([...flyers, ...others], () => ({ fault: "safety" })),
    });
    service = await startService({ fake, listen: true });
    admin = createClient(service.url!, await testTokens.sign({ sub: "cache-admin", role: "admin" }));
    user = createClient(service.url!, await testTokens.sign({ sub: "cache-user", role: "user" }));
    first = await run(admin, uploadForm(asFiles(flyers), { workers: 3 }));
  });
  afterAll(async () => {
    await admin?.close();
    await user?.close();
    await service?.close();
    await fake?.close();
  });

  it("answers re-encoded, resized copies from the first batch: no request, no tokens, the same shows", async () => {
    expect(fake.requests).toHaveLength(flyers.length);
    const before = fake.requests.length;
    second = await run(admin, uploadForm(copies, { workers: 3 }));
    expect(fake.requests).toHaveLength(before);

    const originals = await admin.client.batch.images.query({ batchId: first });
    const images = await admin.client.batch.images.query({ batchId: second });
    expect(originals.every((i) => !i.cached && i.cachedFrom === null)).toBe(true);
    for (const [position, image] of images.entries()) {
      expect(image).toMatchObject({ status: "succeeded", cached: true, cachedFrom: originals[position]!.id, durationMs: null });
      expect(image.attempts).toEqual([
        expect.objectContaining({ outcome: "cached", httpStatus: null, model: null, promptTokens: null, outputTokens: null }),
      ]);
      expect(image.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    }

    const detail = await admin.client.batch.byId.query({ batchId: second });
    expect(detail).toMatchObject({ status: "completed", cachedImages: flyers.length, skipCache: false });
    expect(detail.progress).toMatchObject({ succeededImages: flyers.length, failedImages: 0 });
    expect(detail.metrics).toMatchObject({ cachedImages: flyers.length, promptTokens: 0, outputTokens: 0, sumImageMs: 0, successRate: 1 });
    expect((await admin.client.batch.byId.query({ batchId: first })).metrics).toMatchObject({ cachedImages: 0 });

    const shows = await showsOf(second);
    expect(shows.length).toBeGreaterThan(0);
    expect(shows).toEqual(await showsOf(first));
  });

  it("names the image really analysed when the match was itself answered from the cache", async () => {
    const before = fake.requests.length;
    // The second batch's bytes exactly: they match its images, which were cached from the first.
    const third = await run(user, uploadForm(copies.slice(0, 2)));
    expect(fake.requests).toHaveLength(before);
    const originals = await admin.client.batch.images.query({ batchId: first });
    expect((await admin.client.batch.images.query({ batchId: third })).map((i) => i.cachedFrom)).toEqual(
      originals.slice(0, 2).map((i) => i.id),
    );
    // The matched images are the admin's: the user learns the answer came from the cache, not from which image.
    expect((await user.client.batch.images.query({ batchId: third })).map((i) => [i.cached, i.cachedFrom])).toEqual([
      [true, null],
      [true, null],
    ]);
  });

  it("sends distinct flyers of the same templates to Gemini: none takes another's answer", async () => {
    const phashes = (items: Flyer[]) =>
      Promise.all(
        items.map(async (f) => {
          const prepared = await prepareImage({ bytes: f.bytes });
          if (!prepared.ok) throw new Error(prepared.reason);
          return prepared.phash;
        }),
      );
    const [mine, theirs] = await Promise.all([phashes(flyers), phashes(others)]);
    const bits = (a: string, b: string) => [...(BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(2)].filter((d) => d === "1").length;
    const close = theirs.filter((t) => mine.some((m) => bits(m, t) <= MAX_PHASH_DISTANCE));
    expect(close.length).toBeGreaterThan(0);

    const before = fake.requests.length;
    const batchId = await run(admin, uploadForm(asFiles(others), { workers: 3 }));
    expect(fake.requests).toHaveLength(before + others.length);
    const images = await admin.client.batch.images.query({ batchId });
    expect(images.map((i) => [i.status, i.cached])).toEqual(others.map(() => ["succeeded", false]));
    expect((await admin.client.batch.byId.query({ batchId })).cachedImages).toBe(0);
  });

  it("analyses afresh for an admin who asks with skipCache, and refuses the option to a user", async () => {
    const before = fake.requests.length;
    const batchId = await run(admin, uploadForm(asFiles(flyers.slice(0, 3)), { skipCache: "true", workers: 3 }));
    expect(fake.requests).toHaveLength(before + 3);
    const detail = await admin.client.batch.byId.query({ batchId });
    expect(detail).toMatchObject({ skipCache: true, cachedImages: 0 });
    const images = await admin.client.batch.images.query({ batchId });
    expect(images.every((i) => !i.cached && i.attempts.every((a) => a.outcome === "succeeded" && a.promptTokens! > 0))).toBe(true);

    expect(await code(user.client.batch.analyze.mutate(uploadForm(asFiles(flyers.slice(0, 1)), { skipCache: "true" })))).toBe("FORBIDDEN");
    expect(fake.requests).toHaveLength(before + 3);
  });

  it("makes every call again in a rerun: it exists to measure a fresh run", async () => {
    const before = fake.requests.length;
    const again = await admin.client.batch.rerun.mutate({ batchId: first, mode: "parallel", workers: 3 });
    await waitForBatch(service, again.batchId);
    expect(fake.requests).toHaveLength(before + flyers.length);
    expect(await admin.client.batch.byId.query({ batchId: again.batchId })).toMatchObject({
      status: "completed",
      skipCache: true,
      cachedImages: 0,
    });
  });
});
