import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAttempts } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { extractionFromTruth, generateFlyers, type Flyer } from "../support/flyers";
import { preparedSha256, startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { distinctImages, reshared } from "../support/images";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

/**
 * The whole way through: screenshots analysed once, shared again re-encoded and resized (no
 * Gemini call, the shows `known` once approved), then a flyer whose show moved its start time
 * (`changed`, with the old and the new time).
 */
describe("screenshots seen again, the catalog and a show that moved", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: Api;
  let flyers: Flyer[];
  const answers = new Map<string, unknown>();

  const run = async (files: { name: string; bytes: Uint8Array }[]) => {
    const { batchId } = await admin.client.batch.analyze.mutate(uploadForm(files, { workers: 3 }));
    await waitForBatch(service, batchId);
    return batchId;
  };
  const key = (s: { venueName: string; dayOfWeek: string; startTime: string | null }) => `${s.venueName}|${s.dayOfWeek}|${s.startTime}`;

  beforeAll(async () => {
    flyers = await generateFlyers(5, 71);
    for (const flyer of flyers) answers.set(await preparedSha256(flyer.bytes), extractionFromTruth(flyer.truth));
    // An unknown picture reaching Gemini is refused: a copy that was not answered from the cache fails.
    fake = await startFakeGemini({
      latencyMs: 40,
      answer: (req) => (answers.has(req.imageSha256) ? { json: answers.get(req.imageSha256) } : { fault: "safety" }),
    });
    service = await startService({ fake, listen: true });
    admin = createClient(service.url!, await testTokens.sign({ sub: "catalog-admin", role: "admin" }));
  });
  afterAll(async () => {
    await admin?.close();
    await service?.close();
    await fake?.close();
  });

  let firstShows: { id: string; venueName: string; dayOfWeek: string; startTime: string | null }[];

  it("a first batch is analysed by Gemini, and its shows are approved into the catalog", async () => {
    const first = await run(flyers.map((f) => ({ name: f.name, bytes: f.bytes })));
    expect(fake.requests).toHaveLength(flyers.length);
    const results = await admin.client.batch.results.query({ batchId: first });
    firstShows = results.shows;
    expect(firstShows.length).toBeGreaterThanOrEqual(flyers.length);
    expect(new Set(firstShows.map((s) => s.id)).size).toBe(firstShows.length);
    await admin.client.review.approve.mutate({ itemIds: firstShows.map((s) => s.id) });
    expect((await admin.client.catalog.shows.query({ limit: 200 })).items).toHaveLength(firstShows.length);
  });

  it("the same screenshots re-encoded and resized make no Gemini call, come out cached, and their shows are known", async () => {
    const copies = await Promise.all(
      flyers.map(async (f) => ({ name: `shared-${f.name}`, bytes: await reshared(f.bytes, { scale: 0.75, quality: 65 }) })),
    );
    const before = fake.requests.length;
    const second = await run(copies);
    expect(fake.requests.length).toBe(before);

    const images = await admin.client.batch.images.query({ batchId: second });
    expect(images.every((i) => i.status === "succeeded" && i.cached && i.cachedFrom !== null)).toBe(true);
    // An admin can open the image each one matched, in the earlier batch.
    const matched = await fetch(`${service.url}${images[0]!.cachedFromUrl}`);
    expect(matched.status).toBe(200);
    expect(matched.headers.get("content-type")).toMatch(/^image\//);
    expect((await listAttempts(service.db, second)).every((a) => a.outcome === "cached" && a.promptTokens === null)).toBe(true);
    expect((await admin.client.batch.byId.query({ batchId: second })).cachedImages).toBe(flyers.length);

    const { shows } = await admin.client.batch.results.query({ batchId: second });
    expect(shows.map(key).sort()).toEqual(firstShows.map(key).sort());
    for (const show of shows) expect(show).toMatchObject({ match: "known", previous: null, catalogItemId: expect.any(String) });
  });

  it("a flyer whose show starts later is reported as changed, with the old and the new start time", async () => {
    const flyer = flyers[0]!;
    const moved = structuredClone(flyer.truth);
    const show = moved.shows[0]!;
    const oldStart = show.startTime!;
    const newStart = oldStart === "22:30" ? "21:00" : "22:30";
    show.startTime = newStart;
    // A new picture (so not answered from the cache) whose reading is the same flyer with the show moved.
    const [picture] = await distinctImages(1, "moved-show");
    answers.set(await preparedSha256(picture!.bytes), extractionFromTruth(moved));

    const third = await run([picture!]);
    const { shows } = await admin.client.batch.results.query({ batchId: third });
    const movedShow = shows.find((s) => s.venueName === show.venue && s.dayOfWeek === show.dayOfWeek)!;
    expect(movedShow).toMatchObject({ match: "changed", startTime: newStart, previous: { startTime: oldStart } });
    // The flyer's other shows did not move.
    for (const other of shows.filter((s) => s !== movedShow)) expect(other.match).toBe("known");
  });
});
