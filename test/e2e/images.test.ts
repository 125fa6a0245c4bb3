import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getImageThumbnail } from "../../db/src/index";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

type Api = ReturnType<typeof createClient>;

/** A 1200 x 800 PNG: large enough that its thumbnail must be scaled down. */
async function largeScreenshot(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="1200" height="800" fill="#2a4d8f"/><text x="60" y="420" font-family="DejaVu Sans" font-size="120" fill="#fff">Karaoke Tue 9pm</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe("images in the browser: thumbnails, originals, signed links", () => {
  let fake: FakeGemini;
  let service: TestService;
  let webDist: string;
  let owner: Api;
  let ownerToken: string;
  let adminToken: string;
  let otherToken: string;
  let large: Buffer;
  let small: Buffer;
  let images: Awaited<ReturnType<Api["client"]["batch"]["images"]["query"]>>;

  const get = (url: string, headers: Record<string, string> = {}) => fetch(`${service.url}${url}`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const byName = (name: string) => images.find((i) => i.fileName === name)!;

  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), "showscan-web-"));
    writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>showscan</title>");
    fake = await startFakeGemini({ latencyMs: 10 });
    service = await startService({ fake, listen: true, config: { webDist } });
    ownerToken = await testTokens.sign({ sub: "image-owner", role: "user" });
    adminToken = await testTokens.sign({ sub: "image-admin", role: "admin" });
    otherToken = await testTokens.sign({ sub: "image-stranger", role: "user" });
    owner = createClient(service.url!, ownerToken);
    large = await largeScreenshot();
    small = (await distinctImages(1, "small"))[0]!.bytes;
    const { batchId } = await owner.client.batch.analyze.mutate(
      uploadForm([
        { name: "large.png", bytes: large },
        { name: "small.png", bytes: small },
        { name: "large-again.png", bytes: large },
      ]),
    );
    await waitForBatch(service, batchId);
    images = await owner.client.batch.images.query({ batchId });
  });
  afterAll(async () => {
    await owner?.close();
    await service?.close();
    await fake?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  it("gives the owner a JPEG thumbnail at most 320 px on the long side, made once and then served from the row", async () => {
    const image = byName("large.png");
    expect(await getImageThumbnail(service.db, image.id)).toBeNull();
    const made = vi.spyOn(service.pool, "thumbnail");
    try {
      const res = await get(`/api/images/${image.id}/thumbnail`, bearer(ownerToken));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      expect(res.headers.get("cache-control")).toBe("private, max-age=3600");
      expect(res.headers.get("etag")).toMatch(/^".+"$/);
      const bytes = Buffer.from(await res.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe("jpeg");
      expect(Math.max(meta.width!, meta.height!)).toBe(320);
      expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1);
      expect(await getImageThumbnail(service.db, image.id)).toEqual(bytes);

      const again = await get(`/api/images/${image.id}/thumbnail`, bearer(ownerToken));
      expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
      expect(made).toHaveBeenCalledTimes(1);
    } finally {
      made.mockRestore();
    }
  });

  it("gives the owner the original bytes with their stored type", async () => {
    const res = await get(`/api/images/${byName("large.png").id}`, bearer(ownerToken));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(large);
  });

  it("never enlarges a small image's thumbnail", async () => {
    const res = await get(`/api/images/${byName("small.png").id}/thumbnail`, bearer(ownerToken));
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 320, height: 200 });
  });

  it("serves a duplicate image from its own row", async () => {
    const copy = byName("large-again.png");
    expect(copy.duplicateOf).toBe(byName("large.png").id);
    const original = await get(`/api/images/${copy.id}`, bearer(ownerToken));
    expect(Buffer.from(await original.arrayBuffer())).toEqual(large);
    const thumb = await get(`/api/images/${copy.id}/thumbnail`, bearer(ownerToken));
    expect(thumb.status).toBe(200);
    expect(await getImageThumbnail(service.db, copy.id)).not.toBeNull();
  });

  it("serves an admin too", async () => {
    const image = byName("small.png");
    expect((await get(`/api/images/${image.id}/thumbnail`, bearer(adminToken))).status).toBe(200);
    const res = await get(`/api/images/${image.id}`, bearer(adminToken));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(small);
  });

  it("answers 404 with a JSON error to another user, no credentials, a bad token, an unknown id and a malformed id", async () => {
    const id = byName("large.png").id;
    const cases: [string, Record<string, string>][] = [
      [`/api/images/${id}/thumbnail`, bearer(otherToken)],
      [`/api/images/${id}`, bearer(otherToken)],
      [`/api/images/${id}`, {}],
      [`/api/images/${id}`, bearer("not.a.token")],
      ["/api/images/00000000-0000-4000-8000-000000000000/thumbnail", bearer(adminToken)],
      ["/api/images/00000000-0000-4000-8000-000000000000", bearer(adminToken)],
      ["/api/images/not-an-id", bearer(adminToken)],
      ["/api/images/not-an-id/thumbnail", bearer(adminToken)],
    ];
    for (const [url, headers] of cases) {
      const res = await get(url, headers);
      expect({ url, status: res.status, type: res.headers.get("content-type") }).toMatchObject({
        url,
        status: 404,
        type: expect.stringContaining("application/json"),
      });
      expect(await res.json()).toEqual({ error: expect.any(String) });
      // Nothing of the image's: express may tag the JSON body (weakly), never with the image's tag.
      expect(res.headers.get("etag") ?? "").not.toMatch(/^"/);
      expect(res.headers.get("cache-control")).not.toBe("private, max-age=3600");
    }
  });

  it("batch.images hands out relative signed URLs that work without a header", async () => {
    const image = byName("large.png");
    expect(image.thumbnailUrl).toMatch(new RegExp(`^/api/images/${image.id}/thumbnail\\?sig=[^&]+$`));
    expect(image.imageUrl).toMatch(new RegExp(`^/api/images/${image.id}\\?sig=[^&]+$`));
    const thumb = await get(image.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    const original = await get(image.imageUrl);
    expect(Buffer.from(await original.arrayBuffer())).toEqual(large);
  });

  it("answers 404 to a tampered signature, another image's signature, and a bearer token passed as a signature", async () => {
    const large = byName("large.png");
    const small = byName("small.png");
    const sig = new URL(large.imageUrl, "http://x").searchParams.get("sig")!;
    const flipped = `${sig.slice(0, -3)}${sig.at(-3) === "A" ? "B" : "A"}${sig.slice(-2)}`;
    const smallSig = new URL(small.imageUrl, "http://x").searchParams.get("sig")!;
    for (const url of [
      `/api/images/${large.id}?sig=${encodeURIComponent(flipped)}`,
      `/api/images/${large.id}/thumbnail?sig=${encodeURIComponent(flipped)}`,
      `/api/images/${large.id}?sig=${encodeURIComponent(smallSig)}`,
      `/api/images/${large.id}/thumbnail?sig=${encodeURIComponent(smallSig)}`,
      `/api/images/${large.id}?sig=${encodeURIComponent(ownerToken)}`,
    ]) {
      expect({ url, status: (await get(url)).status }).toEqual({ url, status: 404 });
    }
  });

  it("never lets a signed link pass as a bearer token", async () => {
    const sig = new URL(byName("large.png").imageUrl, "http://x").searchParams.get("sig")!;
    expect((await get(`/api/images/${byName("large.png").id}`, bearer(sig))).status).toBe(404);
    const api = createClient(service.url!, sig);
    try {
      const error = await api.client.auth.me.query().then(
        () => null,
        (e: { data?: { code?: string } }) => e,
      );
      expect(error?.data?.code).toBe("UNAUTHORIZED");
    } finally {
      await api.close();
    }
  });

  it("answers 304 to If-None-Match with the ETag, for thumbnails and originals alike", async () => {
    const image = byName("small.png");
    for (const url of [`/api/images/${image.id}/thumbnail`, `/api/images/${image.id}`]) {
      const first = await get(url, bearer(ownerToken));
      const etag = first.headers.get("etag")!;
      const again = await get(url, { ...bearer(ownerToken), "if-none-match": etag });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      expect((await get(url, { ...bearer(ownerToken), "if-none-match": `"other", W/${etag}` })).status).toBe(304);
      // Another image's tag is not a match; a stranger learns nothing from one.
      expect((await get(url, { ...bearer(ownerToken), "if-none-match": '"something-else"' })).status).toBe(200);
      expect((await get(url, { ...bearer(otherToken), "if-none-match": etag })).status).toBe(404);
    }
    const thumbTag = (await get(`/api/images/${image.id}/thumbnail`, bearer(ownerToken))).headers.get("etag");
    const originalTag = (await get(`/api/images/${image.id}`, bearer(ownerToken))).headers.get("etag");
    expect(thumbTag).not.toBe(originalTag);
  });

  it("keeps /api out of the web app's page fallback", async () => {
    const page = await get("/history");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>showscan</title>");
    const api = await get("/api/no-such-route");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: expect.any(String) });
  });
});
