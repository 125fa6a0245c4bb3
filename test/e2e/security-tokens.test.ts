import { decodeJwt, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBatches } from "../../db/src/index";
import { extractionOf, showOf } from "../support/extractions";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { eventually, preparedSha256, startService, TEST_JWT_SECRET, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

/**
 * Bad bearer tokens, each made by hand the way an attacker would, walked over every door: the
 * tRPC procedures over HTTP, the REST routes and the WebSocket's connectionParams. A valid token
 * walks the same doors first, so each refusal is a refusal and not a broken call.
 */

const OWNER = "token-owner";
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The claims a good token carries, for the owner, signed with `alg` and `key`. */
const signed = (claims: Record<string, unknown>, alg = "HS256", key: Uint8Array = secret) =>
  new SignJWT({ role: "user", ...claims }).setProtectedHeader({ alg }).setSubject(OWNER).setIssuedAt().setExpirationTime("1h").sign(key);

const BAD_TOKENS: Record<string, () => Promise<string>> = {
  "a wrong signature (another secret)": () => signed({ role: "admin" }, "HS256", new TextEncoder().encode("x".repeat(48))),
  "claims changed after signing (user raised to admin)": async () => {
    const [header, , signature] = (await signed({})).split(".");
    return `${header}.${b64({ sub: OWNER, role: "admin", iat: now(), exp: now() + 3600 })}.${signature}`;
  },
  "alg none, unsigned": async () => new UnsecuredJWT({ role: "admin" }).setSubject(OWNER).setIssuedAt().setExpirationTime("1h").encode(),
  "alg none with the signature of a good token": async () => {
    const [, payload, signature] = (await signed({})).split(".");
    return `${b64({ alg: "none", typ: "JWT" })}.${payload}.${signature}`;
  },
  "another algorithm (HS512) with the right secret": () => signed({}, "HS512"),
  expired: async () =>
    new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(OWNER)
      .setIssuedAt(now() - 7200)
      .setExpirationTime(now() - 60)
      .sign(secret),
  "not yet valid (nbf in an hour)": async () =>
    new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(OWNER)
      .setIssuedAt()
      .setNotBefore(now() + 3600)
      .setExpirationTime(now() + 7200)
      .sign(secret),
  "an unknown role": () => signed({ role: "superuser" }),
  "no role": async () => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(OWNER).setExpirationTime("1h").sign(secret),
  "no subject": async () => new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(secret),
};

type Client = ReturnType<typeof createClient>["client"];

/** Every event the subscription delivers until it ends or fails. */
function subscribeToEnd(client: Client, batchId: string) {
  return new Promise<{ data: unknown[]; error: { message: string; data?: { code?: string } } | null }>((resolve, reject) => {
    const data: unknown[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`onProgress neither completed nor failed in 10 s (${data.length} events)`));
    }, 10_000);
    const sub = client.batch.onProgress.subscribe(
      { batchId },
      {
        onData: (event) => data.push(event),
        onComplete: () => {
          clearTimeout(timer);
          resolve({ data, error: null });
        },
        onError: (error) => {
          clearTimeout(timer);
          resolve({ data, error: error as never });
        },
      },
    );
  });
}

const trpcCode = (error: unknown) => {
  const e = error as { message?: string; data?: { code?: string; httpStatus?: number } };
  return { code: e.data?.code, httpStatus: e.data?.httpStatus, message: e.message };
};

describe("bad tokens are refused on every transport", () => {
  let fake: FakeGemini;
  let service: TestService;
  let batchId: string;
  let imageId: string;
  let pngDataUrl: string;
  /** Images the fake holds until the suite ends, so their batch stays running. */
  const held = new Set<string>();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    fake = await startFakeGemini({
      answer: async (req) => {
        if (held.has(req.imageSha256)) await released;
        return {
          json: extractionOf(showOf({ venueName: "Token Tavern" })),
        };
      },
    });
    service = await startService({ fake, listen: true });
    const owner = createClient(service.url!, await testTokens.sign({ sub: OWNER, role: "user" }));
    try {
      const [image] = await distinctImages(1, "tokens");
      pngDataUrl = `data:image/png;base64,${image!.bytes.toString("base64")}`;
      ({ batchId } = await owner.client.batch.analyze.mutate(uploadForm([image!])));
      expect((await waitForBatch(service, batchId)).status).toBe("completed");
      imageId = (await owner.client.batch.images.query({ batchId }))[0]!.id;
    } finally {
      await owner.close();
    }
  });
  afterAll(async () => {
    release();
    await service?.close();
    await fake?.close();
  });

  const rest = (path: string, token: string, body?: object) =>
    fetch(`${service.url}${path}`, {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  /** What each door answers to `token`: status codes and whether any data came back. */
  async function walk(token: string) {
    const api = createClient(service.url!, token);
    try {
      const settle = (p: Promise<unknown>) =>
        p.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, ...trpcCode(error) }),
        );
      const batchesBefore = (await listBatches(service.db, { limit: 1000 })).length;
      const [me, byId, list, sub, userRest, adminRest, exportBatch, exportCatalog, image] = await Promise.all([
        settle(api.client.auth.me.query()),
        settle(api.client.batch.byId.query({ batchId })),
        settle(api.client.batch.list.query({})),
        subscribeToEnd(api.client, batchId),
        rest("/api/parser/analyze-screenshots-parallel", token, { screenshots: [pngDataUrl] }),
        rest("/api/parser/analyze-admin-screenshots-parallel", token, { screenshots: [pngDataUrl] }),
        rest(`/api/export/batches/${batchId}/shows.json`, token),
        rest("/api/export/catalog/shows.csv", token),
        rest(`/api/images/${imageId}`, token),
      ]);
      return {
        me,
        byId,
        list,
        sub,
        rest: {
          user: { status: userRest.status, body: await userRest.json() },
          admin: { status: adminRest.status, body: await adminRest.json() },
          exportBatch: exportBatch.status,
          exportCatalog: exportCatalog.status,
          image: { status: image.status, type: image.headers.get("content-type") },
        },
        newBatches: (await listBatches(service.db, { limit: 1000 })).length - batchesBefore,
      };
    } finally {
      await api.close();
    }
  }

  it("a valid token passes every door (the control for the refusals below)", async () => {
    const seen = await walk(await testTokens.sign({ sub: OWNER, role: "user" }));
    expect(seen.me).toMatchObject({ ok: true, value: { sub: OWNER, role: "user" } });
    expect(seen.byId).toMatchObject({ ok: true, value: { id: batchId } });
    expect(seen.list).toMatchObject({ ok: true });
    expect(seen.sub.error).toBeNull();
    expect(seen.sub.data).toEqual([expect.objectContaining({ data: expect.objectContaining({ batchId, status: "completed" }) })]);
    expect(seen.rest.user).toMatchObject({ status: 200, body: { success: true } });
    expect(seen.rest.admin.status).toBe(403);
    expect(seen.rest.exportBatch).toBe(200);
    expect(seen.rest.exportCatalog).toBe(200);
    expect(seen.rest.image).toEqual({ status: 200, type: "image/png" });
    expect(seen.newBatches).toBe(1);
  });

  it.each(Object.entries(BAD_TOKENS))("a token with %s is refused over tRPC HTTP, REST and the WebSocket", async (_what, mint) => {
    const seen = await walk(await mint());
    const unauthorized = { ok: false, code: "UNAUTHORIZED", httpStatus: 401, message: "invalid or expired token" };
    expect(seen.me).toEqual(unauthorized);
    expect(seen.byId).toEqual(unauthorized);
    expect(seen.list).toEqual(unauthorized);
    // The subscription's handler never ran: it would have sent the batch's current state first.
    expect(seen.sub.data).toEqual([]);
    expect(seen.sub.error).toMatchObject({ message: "invalid or expired token", data: { code: "UNAUTHORIZED" } });
    expect(seen.rest.user).toEqual({ status: 401, body: { success: false, error: "invalid or expired token" } });
    expect(seen.rest.admin).toEqual({ status: 401, body: { success: false, error: "invalid or expired token" } });
    expect(seen.rest.exportBatch).toBe(401);
    expect(seen.rest.exportCatalog).toBe(401);
    // Image routes answer every refusal like an unknown id, so ids cannot be probed.
    expect(seen.rest.image).toEqual({ status: 404, type: expect.stringMatching(/^application\/json/) });
    expect(seen.newBatches).toBe(0);
  });

  it("a token that expires while its WebSocket stays open is refused for the next subscription on that socket", async () => {
    // The socket's context is made once, when it opens; the session's expiry is checked per call.
    const [image] = await distinctImages(1, "held-open");
    held.add(await preparedSha256(image!.bytes));
    const { batchId: running } = await service.app.submit({ owner: OWNER, files: [image!] }, "user");
    const token = await testTokens.sign({ sub: OWNER, role: "user" }, "3s");
    const expiresAt = decodeJwt(token).exp! * 1000;
    let opened = 0;
    const api = createClient(service.url!, token, { onOpen: () => opened++ });
    const seen: unknown[] = [];
    const open = api.client.batch.onProgress.subscribe({ batchId: running }, { onData: (event) => seen.push(event) });
    try {
      await eventually(async () => (seen.length > 0 ? true : null));
      await eventually(async () => (Date.now() > expiresAt + 200 ? true : null), 10_000, 100);
      const late = await subscribeToEnd(api.client, batchId);
      expect(late.data).toEqual([]);
      expect(late.error).toMatchObject({ message: "invalid or expired token", data: { code: "UNAUTHORIZED" } });
      // Still the first socket: the refusal came from the expiry, not from a reconnect.
      expect(opened).toBe(1);
    } finally {
      open.unsubscribe();
      await api.close();
    }
  });
});
