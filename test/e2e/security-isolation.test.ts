import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp } from "../../server/src/http/express-app";
import { createContextFactory } from "../../server/src/trpc/context";
import { appRouter } from "../../server/src/trpc/routers/index";
import { startFakeGemini, type FakeGemini, type FakeRequest } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { preparedSha256, startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

/**
 * User B probing user A's data through every procedure of the router and every HTTP route: by
 * A's ids, and by list filters naming A. Each probe's answer is searched for anything of A's
 * (ids, names, texts); where B gets data, the same call by A (or an admin) shows the search
 * finds A's data when it is there. The tables are checked against the router's procedures and
 * the express app's routes, so a new procedure or route without a probe fails this suite.
 */

const USER_A = "user-alpha";
const USER_B = "user-bravo";
const A_VENUE = "Alpha Hidden Lounge";
const A_SOURCE = "https://alpha-only.example/post/1";
const A_NOTE = "alpha private note";

type Api = ReturnType<typeof createClient>["client"];
type Refusal = "NOT_FOUND" | "FORBIDDEN";

interface Fixture {
  batchA: string;
  imagesA: string[];
  itemsA: string[];
  /** Everything of A's that must never reach B. */
  markers: string[];
  a: Api;
  b: Api;
  admin: Api;
  service: TestService;
}

type Probe =
  /** B is refused, as if A's object did not exist (NOT_FOUND) or the procedure is not B's (FORBIDDEN). */
  | { refused: Refusal; call: (api: Api, f: Fixture) => Promise<unknown> }
  /** B gets an answer with nothing of A's in it; `control` is a call that does show A's data. */
  | { clean: (b: Api, f: Fixture) => Promise<unknown>; control?: (f: Fixture) => Promise<unknown> }
  /**
   * A report naming an owner: B naming A gets exactly what an admin naming B gets (B's own
   * figures), which differ from A's. Aggregates carry no ids, so equality is the check.
   */
  | { scoped: (api: Api, owner: string) => Promise<unknown> };

const show = (venueName: string) => ({
  venueName,
  dayOfWeek: "thursday",
  startTime: "21:00",
  endTime: "01:00",
  date: null,
  djName: null,
  vendor: null,
  description: null,
  confidence: 0.9,
});

/** Collects a subscription to its end or its error. */
function subscription(api: Api, batchId: string) {
  return new Promise<unknown[]>((resolve, reject) => {
    const data: unknown[] = [];
    const sub = api.batch.onProgress.subscribe(
      { batchId },
      {
        onData: (event) => data.push(event),
        onComplete: () => resolve(data),
        onError: (error) => reject(Object.assign(error, { delivered: data })),
      },
    );
    setTimeout(() => {
      sub.unsubscribe();
      reject(new Error("onProgress neither completed nor failed in 10 s"));
    }, 10_000).unref();
  });
}

const reportFilter = (owner: string) => ({ owner, from: new Date(Date.now() - 86_400_000) });

const PROCEDURES: Record<string, Probe> = {
  "auth.me": { clean: (b) => b.auth.me.query() },
  // The same for everyone: which engine the server reads with.
  "engine.current": { clean: (b) => b.engine.current.query() },
  // The shipped samples are the same for everyone; this service has none, so starting them is refused.
  "batch.samples": { clean: (b) => b.batch.samples.query() },
  "batch.analyzeSamples": { clean: (b) => b.batch.analyzeSamples.mutate().catch((error: Error) => error.message) },
  "batch.analyze": {
    // A's idempotency key from B starts B's own batch; it never hands back A's.
    clean: async (b, f) => {
      const [image] = await distinctImages(1, "b-reuses-key");
      const answer = await b.batch.analyze.mutate(uploadForm([image!], { idempotencyKey: "shared-key" }));
      await waitForBatch(f.service, answer.batchId);
      return answer;
    },
    control: async (f) => {
      const [image] = await distinctImages(1, "a-reuses-key");
      return f.a.batch.analyze.mutate(uploadForm([image!], { idempotencyKey: "shared-key" }));
    },
  },
  "batch.onProgress": { refused: "NOT_FOUND", call: (api, f) => subscription(api, f.batchA) },
  "batch.byId": { refused: "NOT_FOUND", call: (api, f) => api.batch.byId.query({ batchId: f.batchA }) },
  "batch.list": {
    clean: (b) =>
      b.batch.list.query({ owner: USER_A, status: ["completed", "failed", "running", "queued"], createdAfter: new Date(0), limit: 100 }),
    control: (f) => f.a.batch.list.query({ limit: 100 }),
  },
  "batch.images": { refused: "NOT_FOUND", call: (api, f) => api.batch.images.query({ batchId: f.batchA }) },
  "batch.results": { refused: "NOT_FOUND", call: (api, f) => api.batch.results.query({ batchId: f.batchA }) },
  "batch.cancel": { refused: "NOT_FOUND", call: (api, f) => api.batch.cancel.mutate({ batchId: f.batchA }) },
  "batch.rerun": { refused: "FORBIDDEN", call: (api, f) => api.batch.rerun.mutate({ batchId: f.batchA, mode: "sequential" }) },
  "batch.setPriority": { refused: "FORBIDDEN", call: (api, f) => api.batch.setPriority.mutate({ batchId: f.batchA, priority: 9 }) },
  "batch.retryFailed": { refused: "NOT_FOUND", call: (api, f) => api.batch.retryFailed.mutate({ batchId: f.batchA }) },
  // The catalog is everyone's once an admin approves; A's items are still pending review.
  "catalog.shows": { clean: (b) => b.catalog.shows.query({ limit: 200 }) },
  "report.batches": { scoped: (api, owner) => api.report.batches.query(reportFilter(owner)) },
  "report.daily": { scoped: (api, owner) => api.report.daily.query(reportFilter(owner)) },
  "report.weekly": { scoped: (api, owner) => api.report.weekly.query(reportFilter(owner)) },
  "report.errors": { scoped: (api, owner) => api.report.errors.query(reportFilter(owner)) },
  "report.sources": { scoped: (api, owner) => api.report.sources.query(reportFilter(owner)) },
  "report.waits": { scoped: (api, owner) => api.report.waits.query(reportFilter(owner)) },
  "report.rates": { refused: "FORBIDDEN", call: (api) => api.report.rates.query() },
  "report.setRate": {
    refused: "FORBIDDEN",
    call: (api) => api.report.setRate.mutate({ model: "gemini-2.5-flash", promptUsdPerMillion: 0, outputUsdPerMillion: 0 }),
  },
  "review.approve": { refused: "FORBIDDEN", call: (api, f) => api.review.approve.mutate({ itemIds: f.itemsA }) },
  "review.reject": { refused: "FORBIDDEN", call: (api, f) => api.review.reject.mutate({ itemIds: f.itemsA }) },
  "review.edit": { refused: "FORBIDDEN", call: (api, f) => api.review.edit.mutate({ itemId: f.itemsA[0]!, fields: { venueName: "x" } }) },
  "settings.get": { refused: "FORBIDDEN", call: (api) => api.settings.get.query() },
  "settings.update": { refused: "FORBIDDEN", call: (api) => api.settings.update.mutate({ userMaxFiles: 1 }) },
  "settings.limits": { clean: (b) => b.settings.limits.query() },
};

/** What B gets from one HTTP route, and (where B gets data) the same request by A, which must show A's data. */
interface RouteProbe {
  asB: (f: Fixture, get: Get) => Promise<{ status: number; body: string; path: string }>;
  /** B's expected status. */
  status: number;
  control?: (f: Fixture, get: Get) => Promise<{ status: number; body: string }>;
}
type Get = (path: string, token: string | null, body?: object) => Promise<{ status: number; body: string; path: string }>;

let tokenA: string;
let tokenB: string;

const ROUTES: Record<string, RouteProbe> = {
  "GET /api/images/:imageId": {
    asB: (f, get) => get(`/api/images/${f.imagesA[0]}`, tokenB),
    status: 404,
    control: (f, get) => get(`/api/images/${f.imagesA[0]}`, tokenA),
  },
  "GET /api/images/:imageId/thumbnail": {
    asB: (f, get) => get(`/api/images/${f.imagesA[0]}/thumbnail`, tokenB),
    status: 404,
    control: (f, get) => get(`/api/images/${f.imagesA[0]}/thumbnail`, tokenA),
  },
  "GET /api/export/batches/:batchId/shows.:format": {
    asB: async (f, get) => {
      const [csv, json] = await Promise.all([
        get(`/api/export/batches/${f.batchA}/shows.csv`, tokenB),
        get(`/api/export/batches/${f.batchA}/shows.json`, tokenB),
      ]);
      expect(csv.status).toBe(json.status);
      return { status: json.status, body: `${csv.body}\n${json.body}`, path: json.path };
    },
    status: 404,
    control: (f, get) => get(`/api/export/batches/${f.batchA}/shows.json`, tokenA),
  },
  "GET /api/export/catalog/shows.:format": { asB: (_f, get) => get("/api/export/catalog/shows.json", tokenB), status: 200 },
  "POST /api/parser/analyze-screenshots-parallel": {
    asB: async (_f, get) => {
      const [image] = await distinctImages(1, "b-rest");
      return get("/api/parser/analyze-screenshots-parallel", tokenB, {
        screenshots: [`data:image/png;base64,${image!.bytes.toString("base64")}`],
      });
    },
    status: 200,
  },
  "POST /api/parser/analyze-admin-screenshots-parallel": {
    asB: (f, get) => get("/api/parser/analyze-admin-screenshots-parallel", tokenB, { screenshots: [f.imagesA[0]] }),
    status: 403,
  },
  "GET /healthz": { asB: (_f, get) => get("/healthz", null), status: 200 },
  "GET /readyz": { asB: (_f, get) => get("/readyz", null), status: 200 },
  "GET /metrics": { asB: (_f, get) => get("/metrics", null), status: 200 },
};

/** The express app's routes as "METHOD path" (the tRPC middleware on /trpc is walked above). */
function httpRoutes(service: TestService): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const app = createHttpApp({ services: service.app, tokens: testTokens, createContext: createContextFactory(service.app, testTokens) });
  const walk = (layers: Layer[]): string[] =>
    layers.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

describe("user B never sees user A's data", () => {
  let fake: FakeGemini;
  let fixture: Fixture;
  const clients: ReturnType<typeof createClient>[] = [];

  const leaks = (value: unknown) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return fixture.markers.filter((m) => text.includes(m));
  };
  const get: Get = async (path, token, body) => {
    const res = await fetch(`${fixture.service.url}${path}`, {
      method: body ? "POST" : "GET",
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString("latin1"), path };
  };

  beforeAll(async () => {
    const imagesOfA = await distinctImages(3, "owned-by-alpha");
    const failing = await preparedSha256(imagesOfA[2]!.bytes);
    const ofA = new Set(await Promise.all(imagesOfA.slice(0, 2).map((i) => preparedSha256(i.bytes))));
    fake = await startFakeGemini({
      answer: (req: FakeRequest) =>
        req.imageSha256 === failing
          ? { fault: "safety" }
          : { json: { shows: [show(ofA.has(req.imageSha256) ? A_VENUE : "Bravo Bar")], venues: [], djs: [], vendors: [] } },
    });
    const service = await startService({ fake, listen: true, config: { settingsDefaults: { userBatchesPerMinute: 50 } } });
    tokenA = await testTokens.sign({ sub: USER_A, role: "user" });
    tokenB = await testTokens.sign({ sub: USER_B, role: "user" });
    const [a, b, admin] = [tokenA, tokenB, await testTokens.sign({ sub: "iso-admin", role: "admin" })].map((t) => {
      const c = createClient(service.url!, t);
      clients.push(c);
      return c.client;
    });

    const { batchId } = await a!.batch.analyze.mutate(
      uploadForm(imagesOfA, { sourceUrl: A_SOURCE, description: A_NOTE, idempotencyKey: "shared-key" }),
    );
    await waitForBatch(service, batchId);
    const images = await a!.batch.images.query({ batchId });
    const results = await a!.batch.results.query({ batchId });
    const itemsA = [...results.shows, ...results.venues].map((i) => i.id);
    expect(results.shows.map((s) => s.venueName)).toEqual([A_VENUE]);
    expect(images.map((i) => i.status).sort()).toEqual(["failed", "succeeded", "succeeded"]);
    fixture = {
      batchA: batchId,
      imagesA: images.map((i) => i.id),
      itemsA,
      markers: [batchId, ...images.map((i) => i.id), ...itemsA, USER_A, A_VENUE, A_SOURCE, A_NOTE, ...imagesOfA.map((i) => i.name)],
      a: a!,
      b: b!,
      admin: admin!,
      service,
    };
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await fixture?.service.close();
    await fake?.close();
  });

  it("has a probe for every procedure of the router and every HTTP route", () => {
    expect(Object.keys(PROCEDURES).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
    expect(Object.keys(ROUTES).sort()).toEqual(httpRoutes(fixture.service).sort());
  });

  it.each(Object.entries(PROCEDURES))("%s: B learns nothing of A's", async (_name, probe) => {
    if ("refused" in probe) {
      const error = await probe.call(fixture.b, fixture).then(
        () => null,
        (e: unknown) => e as { message: string; data?: { code?: string }; delivered?: unknown[] },
      );
      expect(error, "B's call succeeded").not.toBeNull();
      expect(error!.data?.code).toBe(probe.refused);
      expect(error!.delivered ?? []).toEqual([]);
      // The refusal names only what B sent, never anything read from A's rows.
      expect(leaks(error!.message).filter((m) => m !== fixture.batchA && !fixture.itemsA.includes(m))).toEqual([]);
      return;
    }
    if ("scoped" in probe) {
      const [bNamingA, bOwn, adminNamingA] = await Promise.all([
        probe.scoped(fixture.b, USER_A),
        probe.scoped(fixture.admin, USER_B),
        probe.scoped(fixture.admin, USER_A),
      ]);
      expect(leaks(bNamingA)).toEqual([]);
      expect(bNamingA).toEqual(bOwn);
      expect(adminNamingA).not.toEqual(bOwn);
      return;
    }
    expect(leaks(await probe.clean(fixture.b, fixture))).toEqual([]);
    if (probe.control) expect(leaks(await probe.control(fixture))).not.toEqual([]);
  });

  it.each(Object.entries(ROUTES))("%s: B learns nothing of A's", async (_name, route) => {
    const answer = await route.asB(fixture, get);
    expect(answer.status).toBe(route.status);
    // A refusal may name the id B sent, nothing else of A's.
    expect(leaks(answer.body).filter((m) => !answer.path.includes(m))).toEqual([]);
    if (route.control) {
      const control = await route.control(fixture, get);
      expect(control.status).toBe(200);
      if (!control.body.startsWith("\x89PNG") && !control.body.startsWith("\xff\xd8")) expect(leaks(control.body)).not.toEqual([]);
    }
  });

  it("A's batch is untouched by B's attempts: same status, priority, items still pending review", async () => {
    const batch = await fixture.a.batch.byId.query({ batchId: fixture.batchA });
    expect(batch).toMatchObject({ status: "completed", priority: 1 });
    const results = await fixture.a.batch.results.query({ batchId: fixture.batchA });
    expect([...results.shows, ...results.venues].map((i) => i.review)).toEqual(fixture.itemsA.map(() => "pending"));
    expect((await fixture.admin.settings.get.query()).userMaxFiles).toBe(10);
  });

  it("an image B uploads that A analysed before is answered from the cache without naming A's image", async () => {
    const [same] = await distinctImages(3, "owned-by-alpha");
    const { batchId } = await fixture.b.batch.analyze.mutate(uploadForm([same!]));
    await waitForBatch(fixture.service, batchId);
    const images = await fixture.b.batch.images.query({ batchId });
    expect(images).toEqual([expect.objectContaining({ status: "succeeded", cached: true, cachedFrom: null, cachedFromUrl: null })]);
    const results = await fixture.b.batch.results.query({ batchId });
    const ids = fixture.markers.filter((m) => m !== A_VENUE && !m.startsWith("owned-by-alpha"));
    expect(ids.filter((m) => JSON.stringify({ images, results }).includes(m))).toEqual([]);
    // An admin sees where the answer came from.
    const asAdmin = await fixture.admin.batch.images.query({ batchId });
    expect(asAdmin[0]!.cachedFrom).toBe(fixture.imagesA[0]);
  });
});
