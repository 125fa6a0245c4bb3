import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listImages } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { generateFlyers, type Flyer } from "../support/flyers";
import { answerWithTruth, startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient } from "../support/trpc-client";

const USER_ROUTE = "/api/parser/analyze-screenshots-parallel";
const ADMIN_ROUTE = "/api/parser/analyze-admin-screenshots-parallel";

const base64 = (f: Flyer) => f.bytes.toString("base64");
const dataUrl = (f: Flyer) => `data:image/${f.format};base64,${base64(f)}`;

interface OriginalAnswer {
  success: boolean;
  data: { shows: { venueName: string; vendor: string | null }[] };
  batchId: string;
  errors: { file: string; error: string }[];
  timestamp: string;
  requiresApproval?: boolean;
}

/** The request shapes the original service's admin and submit pages send, replayed as they send them. */
describe("the original service's clients, as they send", () => {
  let fake: FakeGemini;
  let service: TestService;
  let admin: string;
  let user: string;
  /** A flyer that names no company, and one that names its own. */
  let unnamed: Flyer;
  let named: Flyer;

  beforeAll(async () => {
    const [a, b] = await generateFlyers(2, 23);
    unnamed = { ...a!, truth: { vendor: null, shows: a!.truth.shows.map((s) => ({ ...s, vendor: null })) } };
    named = { ...b!, truth: { vendor: "Other Karaoke Co", shows: b!.truth.shows.map((s) => ({ ...s, vendor: "Other Karaoke Co" })) } };
    fake = await startFakeGemini({ answer: await answerWithTruth([unnamed, named], () => ({ fault: "safety" })) });
    service = await startService({ fake, listen: true, config: { settingsDefaults: { userBatchesPerMinute: 100 } } });
    admin = await testTokens.sign({ sub: "original-admin", role: "admin" });
    user = await testTokens.sign({ sub: "original-singer", role: "user" });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  const post = (route: string, body: unknown, token: string) =>
    fetch(`${service.url}${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("admin page: bare base64 and data URLs with vendor and description; vendor fills in the company, requiresApproval and timestamp answered", async () => {
    const before = Date.now();
    const res = await post(
      ADMIN_ROUTE,
      { screenshots: [base64(unnamed), dataUrl(named)], vendor: "Night Owl Karaoke", description: "October flyers" },
      admin,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as OriginalAnswer;
    expect(answer).toMatchObject({ success: true, errors: [], requiresApproval: true });
    expect(Date.parse(answer.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(answer.timestamp)).toBeLessThanOrEqual(Date.now());

    const vendorOf = new Map(answer.data.shows.map((s) => [s.venueName, s.vendor]));
    for (const show of unnamed.truth.shows) expect(vendorOf.get(show.venue), show.venue).toBe("Night Owl Karaoke");
    for (const show of named.truth.shows) expect(vendorOf.get(show.venue), show.venue).toBe("Other Karaoke Co");

    expect(await getBatch(service.db, answer.batchId)).toMatchObject({
      owner: "original-admin",
      description: "October flyers",
      vendor: "Night Owl Karaoke",
    });
    // Stored with the batch, so its merged results (what review and the catalog read) say so too.
    const api = createClient(service.url!, admin);
    try {
      const stored = await api.client.batch.results.query({ batchId: answer.batchId });
      expect(new Map(stored.shows.map((s) => [s.venueName, s.vendor]))).toEqual(vendorOf);
      expect(stored.vendors.map((v) => v.name)).toEqual(expect.arrayContaining(["Night Owl Karaoke"]));
    } finally {
      await api.close();
    }
    // The bare base64 was typed by its bytes.
    const images = await listImages(service.db, answer.batchId);
    expect(images.map((i) => [i.fileName, i.mimeType])).toEqual([
      [`screenshot-1.${unnamed.format === "jpeg" ? "jpg" : "png"}`, `image/${unnamed.format}`],
      [`screenshot-2.${named.format === "jpeg" ? "jpg" : "png"}`, `image/${named.format}`],
    ]);
  });

  it("submit page: data URLs with isAdminUpload false; answered with timestamp and no requiresApproval", async () => {
    const res = await post(USER_ROUTE, { screenshots: [dataUrl(named)], isAdminUpload: false, url: "https://example.com/post/1" }, user);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as OriginalAnswer;
    expect(answer.success).toBe(true);
    expect(Number.isNaN(Date.parse(answer.timestamp))).toBe(false);
    expect(answer).not.toHaveProperty("requiresApproval");
    expect(await getBatch(service.db, answer.batchId)).toMatchObject({ owner: "original-singer", sourceUrl: "https://example.com/post/1" });
  });

  it("submit page: isAdminUpload sent as the text 'true' by a singer grants nothing: a user's batch, user priority", async () => {
    const res = await post(USER_ROUTE, { screenshots: [base64(unnamed)], isAdminUpload: "true" }, user);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as OriginalAnswer;
    expect(answer).not.toHaveProperty("requiresApproval");
    expect(await getBatch(service.db, answer.batchId)).toMatchObject({ owner: "original-singer", priority: 1 });
    // And with a singer's token the admin route stays closed, whatever the flag says.
    const adminRoute = await post(ADMIN_ROUTE, { screenshots: [base64(unnamed)], isAdminUpload: true }, user);
    expect(adminRoute.status).toBe(403);
  });

  it("a screenshot that is neither names why, beside a good one; a malformed flag is a 400 naming the field", async () => {
    const res = await post(ADMIN_ROUTE, { screenshots: ["https://example.com/flyer.png", base64(named), "@@not base64@@"] }, admin);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as OriginalAnswer;
    expect(answer.errors).toEqual([
      { file: "screenshot-1", error: "neither a data URL (data:image/...;base64,...) nor base64 image data" },
      { file: "screenshot-3", error: "the base64 is malformed" },
    ]);
    await waitForBatch(service, answer.batchId);
    const flag = await post(USER_ROUTE, { screenshots: [base64(named)], isAdminUpload: "maybe" }, user);
    expect(flag.status).toBe(400);
    expect(await flag.json()).toEqual({ success: false, error: "isAdminUpload: expected true or false" });
  });
});
