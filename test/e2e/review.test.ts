import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listReviewActions } from "../../db/src/index";
import type { Extraction } from "../../server/src/extraction/schema";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { preparedSha256, startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

const venue = (name: string, address: string, city: string) => ({
  name,
  address,
  city,
  state: "OH",
  zip: null,
  phone: null,
  website: null,
  confidence: 0.9,
});
const show = (venueName: string, dayOfWeek: Extraction["shows"][number]["dayOfWeek"], startTime: string, djName: string | null) => ({
  venueName,
  dayOfWeek,
  startTime,
  endTime: "01:00",
  date: null,
  djName,
  vendor: "Star Karaoke",
  description: null,
  confidence: 0.9,
});
const extraction = (shows: Extraction["shows"], venues: Extraction["venues"]): Extraction => ({ shows, venues, djs: [], vendors: [] });

const RUSTY = venue("The Rusty Nail", "822 Main St", "Dayton");
const MURPHY = venue("Murphy's Pub", "2201 N High St", "Columbus");
const HARBOR = venue("Harbor Lights Inn", "58 Front St", "Marietta");

/** Batch 1: four shows at three venues. */
const FIRST = [
  extraction([show("The Rusty Nail", "tuesday", "21:00", "DJ Mike"), show("The Rusty Nail", "friday", "21:00", "DJ Mike")], [RUSTY]),
  extraction([show("Murphy's Pub", "wednesday", "20:00", "KJ Sam")], [MURPHY]),
  extraction([show("Harbor Lights Inn", "thursday", "19:00", null)], [HARBOR]),
];

describe("review: approve, reject and edit merged items; the catalog; known and changed; exports", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: Api;
  let user: Api;
  let adminToken: string;
  let userToken: string;
  const answers = new Map<string, Extraction>();

  /** Uploads one image per extraction, the fake answering each with its extraction; resolves when the batch ended. */
  async function runBatch(api: Api, extractions: Extraction[], prefix: string) {
    const images = await distinctImages(extractions.length, prefix);
    for (const [i, image] of images.entries()) answers.set(await preparedSha256(image.bytes), extractions[i]!);
    const { batchId } = await api.client.batch.analyze.mutate(uploadForm(images));
    await waitForBatch(service, batchId);
    return batchId;
  }

  beforeAll(async () => {
    fake = await startFakeGemini();
    fake.setAnswer((req) => ({ json: answers.get(req.imageSha256) ?? extraction([], []) }));
    service = await startService({ fake, listen: true });
    adminToken = await testTokens.sign({ sub: "reviewer", role: "admin" });
    userToken = await testTokens.sign({ sub: "singer", role: "user" });
    admin = createClient(service.url!, adminToken);
    user = createClient(service.url!, userToken);
  });
  afterAll(async () => {
    await admin?.close();
    await user?.close();
    await service?.close();
    await fake?.close();
  });

  let firstBatch: string;

  it("a finished batch's merged items carry an id, sources, match 'new' and review 'pending'; users may not review", async () => {
    firstBatch = await runBatch(admin, FIRST, "review-first");
    const results = await admin.client.batch.results.query({ batchId: firstBatch });
    expect(results.final).toBe(true);
    expect(results.shows).toHaveLength(4);
    for (const item of [...results.shows, ...results.venues])
      expect(item).toMatchObject({
        id: expect.any(String),
        match: "new",
        review: "pending",
        previous: null,
        sources: [expect.any(String)],
      });
    // Stable: asked again, the same ids.
    const again = await admin.client.batch.results.query({ batchId: firstBatch });
    expect(again.shows.map((s) => s.id)).toEqual(results.shows.map((s) => s.id));

    await expect(user.client.review.approve.mutate({ itemIds: [results.shows[0]!.id] })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    await expect(admin.client.review.approve.mutate({ itemIds: ["00000000-0000-4000-8000-000000000000"] })).rejects.toThrow(
      /no reviewable item 00000000-0000-4000-8000-000000000000/,
    );
  });

  it("approves two shows in bulk, rejects one and edits one: each recorded with who and when; the catalog lists the approved and edited ones", async () => {
    const { shows } = await admin.client.batch.results.query({ batchId: firstBatch });
    const find = (venueName: string, day: string) => shows.find((s) => s.venueName === venueName && s.dayOfWeek === day)!;
    const tuesday = find("The Rusty Nail", "tuesday");
    const friday = find("The Rusty Nail", "friday");
    const murphy = find("Murphy's Pub", "wednesday");
    const harbor = find("Harbor Lights Inn", "thursday");

    const approved = await admin.client.review.approve.mutate({ itemIds: [tuesday.id, friday.id] });
    expect(approved.map((d) => d.review)).toEqual(["approved", "approved"]);
    await admin.client.review.reject.mutate({ itemIds: [harbor.id] });

    await expect(admin.client.review.edit.mutate({ itemId: murphy.id, fields: { startTime: "8pm" } })).rejects.toThrow(
      /fields: startTime: 24-hour HH:MM/,
    );
    await expect(admin.client.review.edit.mutate({ itemId: murphy.id, fields: { colour: "red" } })).rejects.toThrow(/colour/);
    const edited = await admin.client.review.edit.mutate({ itemId: murphy.id, fields: { startTime: "20:30", djName: "KJ Samantha" } });
    expect(edited).toMatchObject({ review: "approved", fields: { startTime: "20:30", djName: "KJ Samantha", venueName: "Murphy's Pub" } });

    const after = await admin.client.batch.results.query({ batchId: firstBatch });
    const state = (id: string) => after.shows.find((s) => s.id === id)!;
    expect(state(tuesday.id)).toMatchObject({ review: "approved", reviewedBy: "reviewer", reviewedAt: expect.any(String) });
    expect(state(harbor.id)).toMatchObject({ review: "rejected", reviewedBy: "reviewer" });
    expect(state(murphy.id)).toMatchObject({ review: "approved", startTime: "20:30", djName: "KJ Samantha" });

    const log = await listReviewActions(service.db, murphy.id);
    expect(log.map((a) => [a.action, a.actor])).toEqual([
      ["edit", "reviewer"],
      ["approve", "reviewer"],
    ]);
    expect(log[0]!.changes).toEqual({ startTime: { before: "20:00", after: "20:30" }, djName: { before: "KJ Sam", after: "KJ Samantha" } });

    // Every signed-in user reads the catalog; filters by city, weekday and host.
    const catalog = await user.client.catalog.shows.query({});
    expect(catalog.items.map((s) => `${s.venueName} ${s.dayOfWeek} ${s.startTime}`).sort()).toEqual([
      "Murphy's Pub wednesday 20:30",
      "The Rusty Nail friday 21:00",
      "The Rusty Nail tuesday 21:00",
    ]);
    expect(catalog.facets.cities.sort()).toEqual(["Columbus", "Dayton"]);
    expect((await user.client.catalog.shows.query({ city: "dayton" })).items).toHaveLength(2);
    expect((await user.client.catalog.shows.query({ dayOfWeek: "friday" })).items.map((s) => s.venueName)).toEqual(["The Rusty Nail"]);
    expect((await user.client.catalog.shows.query({ host: "samantha" })).items.map((s) => s.venueName)).toEqual(["Murphy's Pub"]);
    const firstPage = await user.client.catalog.shows.query({ limit: 2 });
    expect(firstPage.items).toHaveLength(2);
    const secondPage = await user.client.catalog.shows.query({ limit: 2, cursor: firstPage.nextCursor });
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.nextCursor).toBeNull();
  });

  it("a later batch's items are matched against the catalog: known, changed (with the old value) or new; approving merges into the catalog item", async () => {
    const later = await runBatch(
      admin,
      [
        // The same Tuesday show, spelled the same: known.
        extraction([show("The Rusty Nail", "tuesday", "21:00", "DJ Mike")], [RUSTY]),
        // Friday now starts at 22:00: changed, previous start 21:00.
        extraction([show("The Rusty Nail", "friday", "22:00", "DJ Mike")], [RUSTY]),
        // Never seen: new.
        extraction([show("Harbor Lights Inn", "saturday", "20:00", null)], [HARBOR]),
      ],
      "review-later",
    );
    const { shows } = await admin.client.batch.results.query({ batchId: later });
    const at = (day: string) => shows.find((s) => s.dayOfWeek === day)!;
    expect(at("tuesday")).toMatchObject({ match: "known", previous: null, catalogItemId: expect.any(String) });
    expect(at("friday")).toMatchObject({ match: "changed", startTime: "22:00", previous: { startTime: "21:00" } });
    expect(at("saturday")).toMatchObject({ match: "new", catalogItemId: null });

    await admin.client.review.approve.mutate({ itemIds: [at("friday").id, at("tuesday").id] });
    const catalog = await admin.client.catalog.shows.query({ city: "Dayton" });
    // Merged into the two catalog shows rather than added beside them.
    expect(catalog.items.map((s) => `${s.dayOfWeek} ${s.startTime}`).sort()).toEqual(["friday 22:00", "tuesday 21:00"]);
    expect(catalog.items.find((s) => s.dayOfWeek === "friday")!.approvedItemIds).toHaveLength(2);
  });

  it("rejecting an approved item takes it out of the catalog again", async () => {
    const { shows } = await admin.client.batch.results.query({ batchId: firstBatch });
    const murphy = shows.find((s) => s.venueName === "Murphy's Pub")!;
    await admin.client.review.reject.mutate({ itemIds: [murphy.id] });
    expect((await admin.client.catalog.shows.query({ city: "Columbus" })).items).toEqual([]);
  });

  it("exports a batch's merged shows and the catalog as CSV and JSON; others' batches answer 404", async () => {
    const get = (path: string, token = adminToken) => fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

    const csv = await get(`/api/export/batches/${firstBatch}/shows.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="?showscan-batch-.*-shows\.csv"?$/);
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "dayOfWeek,startTime,endTime,venueName,address,city,state,zip,phone,djName,vendor,date,description,match,review,confidence,conflicts,sources,id",
    );
    expect(lines).toHaveLength(5);
    expect(
      lines.some((l) => l.startsWith("tuesday,21:00,01:00,The Rusty Nail,822 Main St,Dayton,OH,,,DJ Mike,Star Karaoke,,,new,approved,")),
    ).toBe(true);

    const json = (await (await get(`/api/export/batches/${firstBatch}/shows.json`)).json()) as { venueName: string; review: string }[];
    expect(json).toHaveLength(4);
    expect(
      json
        .filter((s) => s.review === "rejected")
        .map((s) => s.venueName)
        .sort(),
    ).toEqual(["Harbor Lights Inn", "Murphy's Pub"]);

    const catalogCsv = await (await get("/api/export/catalog/shows.csv", userToken)).text();
    expect(catalogCsv.trimEnd().split("\n")).toHaveLength(3);
    const catalogJson = (await (await get("/api/export/catalog/shows.json", userToken)).json()) as { dayOfWeek: string }[];
    expect(catalogJson.map((s) => s.dayOfWeek).sort()).toEqual(["friday", "tuesday"]);
    // Filtered like the catalog page.
    const fridays = (await (await get("/api/export/catalog/shows.json?dayOfWeek=friday", userToken)).json()) as { dayOfWeek: string }[];
    expect(fridays.map((s) => s.dayOfWeek)).toEqual(["friday"]);
    expect(await (await get("/api/export/catalog/shows.json?city=Columbus", userToken)).json()).toEqual([]);
    const badDay = await get("/api/export/catalog/shows.csv?dayOfWeek=funday", userToken);
    expect(badDay.status).toBe(400);
    expect(((await badDay.json()) as { error: string }).error).toMatch(/^dayOfWeek: /);

    expect((await get(`/api/export/batches/${firstBatch}/shows.csv`, userToken)).status).toBe(404);
    expect((await fetch(`${service.url}/api/export/catalog/shows.csv`)).status).toBe(401);
    expect((await get(`/api/export/batches/${firstBatch}/shows.xml`)).status).toBe(404);
  });
});
