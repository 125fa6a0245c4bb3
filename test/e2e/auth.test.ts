import { setTimeout as sleep } from "node:timers/promises";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { preparedSha256, startService, TEST_JWT_SECRET, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

/**
 * Who may do what, procedure by procedure. Every identity walks every procedure against
 * batches owned by user A, and each cell of the matrix names the exact outcome.
 */

type Client = ReturnType<typeof createClient>["client"];
type Who = "anonymous" | "badToken" | "expired" | "forged" | "userA" | "userB" | "admin";
type Code = "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "TOO_MANY_REQUESTS";
type Outcome = "ok" | Code;

const HTTP_STATUS: Record<Code, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, TOO_MANY_REQUESTS: 429 };
const USER_A = "user-a";
const USER_B = "user-b";

interface Fixture {
  /** A's batch, completed: what the read procedures and retryFailed are walked against. */
  batchA: string;
  imagesInA: number;
  /** A fresh, still running batch of A's, for procedures that end a batch. */
  runningBatchOfA(): Promise<string>;
}

interface Row {
  transport: "http" | "ws";
  call(client: Client, f: Fixture): Promise<unknown>;
  /** What success must look like for this identity. */
  verify(result: unknown, f: Fixture, who: Who): void;
  outcomes: Record<Who, Outcome>;
}

const NO_AUTH = { anonymous: "UNAUTHORIZED", badToken: "UNAUTHORIZED", expired: "UNAUTHORIZED", forged: "UNAUTHORIZED" } as const;

/** Collects a subscription until it completes (or fails); it must complete on its own. */
function subscribe(client: Client, batchId: string) {
  return new Promise<{ statuses: string[]; last: { batchId: string; status: string; totalImages: number } }>((resolve, reject) => {
    const statuses: string[] = [];
    let last: { batchId: string; status: string; totalImages: number } | undefined;
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error("onProgress neither completed nor failed in 10 s"));
    }, 10_000);
    const sub = client.batch.onProgress.subscribe(
      { batchId },
      {
        onData: ({ data }) => {
          statuses.push(data.status);
          last = data;
        },
        onComplete: () => {
          clearTimeout(timer);
          resolve({ statuses, last: last! });
        },
        onError: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      },
    );
  });
}

const MATRIX: Record<string, Row> = {
  "batch.analyze": {
    transport: "http",
    call: async (client) => client.batch.analyze.mutate(uploadForm(await distinctImages(1, "matrix-analyze"))),
    verify: (r) => expect(r).toMatchObject({ batchId: expect.any(String), totalImages: 1, rejected: [] }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "ok", admin: "ok" },
  },
  "batch.analyze with workers (admin option)": {
    transport: "http",
    call: async (client) => client.batch.analyze.mutate(uploadForm(await distinctImages(1, "matrix-workers"), { workers: 2 })),
    verify: (r) => expect(r).toMatchObject({ totalImages: 1 }),
    outcomes: { ...NO_AUTH, userA: "FORBIDDEN", userB: "FORBIDDEN", admin: "ok" },
  },
  "batch.analyze with mode (admin option)": {
    transport: "http",
    call: async (client) => client.batch.analyze.mutate(uploadForm(await distinctImages(1, "matrix-mode"), { mode: "sequential" })),
    verify: (r) => expect(r).toMatchObject({ totalImages: 1 }),
    outcomes: { ...NO_AUTH, userA: "FORBIDDEN", userB: "FORBIDDEN", admin: "ok" },
  },
  "batch.byId": {
    transport: "http",
    call: (client, f) => client.batch.byId.query({ batchId: f.batchA }),
    verify: (r, f) => expect(r).toMatchObject({ id: f.batchA, owner: USER_A, status: "completed", progress: { totalImages: f.imagesInA } }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
  "batch.list": {
    transport: "http",
    call: (client) => client.batch.list.query({ limit: 100 }),
    verify: (r: { items: { id: string; owner: string }[] }, f, who) => {
      const ids = r.items.map((i) => i.id);
      if (who === "userB") {
        expect(ids).not.toContain(f.batchA);
        expect(r.items.filter((i) => i.owner !== USER_B)).toEqual([]);
      } else {
        expect(ids).toContain(f.batchA);
        if (who === "userA") expect(r.items.every((i) => i.owner === USER_A)).toBe(true);
      }
    },
    outcomes: { ...NO_AUTH, userA: "ok", userB: "ok", admin: "ok" },
  },
  "batch.images": {
    transport: "http",
    call: (client, f) => client.batch.images.query({ batchId: f.batchA }),
    verify: (r: { status: string }[], f) => {
      expect(r).toHaveLength(f.imagesInA);
      expect(r.every((i) => i.status === "succeeded")).toBe(true);
    },
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
  "batch.results": {
    transport: "http",
    call: (client, f) => client.batch.results.query({ batchId: f.batchA }),
    verify: (r) =>
      expect(r).toMatchObject({
        final: true,
        shows: expect.any(Array),
        venues: expect.any(Array),
        djs: expect.any(Array),
        vendors: expect.any(Array),
      }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
  "batch.cancel": {
    transport: "http",
    call: async (client, f) => client.batch.cancel.mutate({ batchId: await f.runningBatchOfA() }),
    verify: (r) => expect(r).toMatchObject({ status: "cancelled" }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
  "batch.retryFailed": {
    transport: "http",
    call: (client, f) => client.batch.retryFailed.mutate({ batchId: f.batchA }),
    verify: (r, f) => expect(r).toEqual({ batchId: f.batchA, requeued: 0 }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
  "batch.rerun (admin)": {
    transport: "http",
    call: (client, f) => client.batch.rerun.mutate({ batchId: f.batchA, mode: "sequential" }),
    verify: (r, f) => expect(r).toMatchObject({ batchId: expect.any(String), totalImages: f.imagesInA, rejected: [], created: true }),
    outcomes: { ...NO_AUTH, userA: "FORBIDDEN", userB: "FORBIDDEN", admin: "ok" },
  },
  "auth.me": {
    transport: "http",
    call: (client) => client.auth.me.query(),
    verify: (r: { sub: string; role: string; expiresAt: string | null }, _f, who) => {
      expect(r).toEqual({
        sub: { userA: USER_A, userB: USER_B, admin: "the-admin" }[who as "userA" | "userB" | "admin"],
        role: who === "admin" ? "admin" : "user",
        expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      expect(Date.parse(r.expiresAt!)).toBeGreaterThan(Date.now());
    },
    outcomes: { ...NO_AUTH, userA: "ok", userB: "ok", admin: "ok" },
  },
  "settings.get (admin)": {
    transport: "http",
    call: (client) => client.settings.get.query(),
    verify: (r) => expect(r).toMatchObject({ defaultWorkers: 3, userBatchesPerMinute: 2 }),
    outcomes: { ...NO_AUTH, userA: "FORBIDDEN", userB: "FORBIDDEN", admin: "ok" },
  },
  "settings.update (admin)": {
    transport: "http",
    // The value the suite already runs with: the other rows' limits stay as they are.
    call: (client) => client.settings.update.mutate({ userBatchesPerMinute: 2 }),
    verify: (r) => expect(r).toMatchObject({ userBatchesPerMinute: 2, defaultWorkers: 3 }),
    outcomes: { ...NO_AUTH, userA: "FORBIDDEN", userB: "FORBIDDEN", admin: "ok" },
  },
  "settings.limits": {
    transport: "http",
    call: (client) => client.settings.limits.query(),
    verify: (r, _f, who) => expect(r).toMatchObject({ maxFiles: who === "admin" ? 500 : 10 }),
    outcomes: { ...NO_AUTH, userA: "ok", userB: "ok", admin: "ok" },
  },
  "batch.onProgress (WebSocket)": {
    transport: "ws",
    call: (client, f) => subscribe(client, f.batchA),
    verify: (r: Awaited<ReturnType<typeof subscribe>>, f) => {
      expect(r.last).toMatchObject({ batchId: f.batchA, status: "completed", totalImages: f.imagesInA });
      expect(r.statuses.at(-1)).toBe("completed");
    },
    outcomes: { ...NO_AUTH, userA: "ok", userB: "NOT_FOUND", admin: "ok" },
  },
};

const IDENTITIES: Who[] = ["anonymous", "badToken", "expired", "forged", "userA", "userB", "admin"];
const CASES = Object.entries(MATRIX).flatMap(([procedure, row]) =>
  IDENTITIES.map((who) => ({ procedure, who, row, outcome: row.outcomes[who] })),
);

/** Runs the call and checks the exact outcome: success verified, or the tRPC code and HTTP status. */
async function expectOutcome(run: () => Promise<unknown>, outcome: Outcome, verify: (result: unknown) => void) {
  if (outcome === "ok") {
    verify(await run());
    return;
  }
  const err = (await run().then(
    () => null,
    (e: unknown) => e,
  )) as { data?: { code?: string; httpStatus?: number } } | null;
  expect(err, `expected ${outcome}, but the call succeeded`).not.toBeNull();
  expect({ code: err!.data?.code, httpStatus: err!.data?.httpStatus }).toEqual({ code: outcome, httpStatus: HTTP_STATUS[outcome] });
}

describe("authorization matrix over the real tRPC client", () => {
  let fake: FakeGemini;
  let service: TestService;
  const tokens = {} as Record<Who, string | undefined>;
  const clients: ReturnType<typeof createClient>[] = [];
  let fixture: Fixture;
  let releaseSlow!: () => void;
  const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
  const slow = new Set<string>();
  let runningCount = 0;

  beforeAll(async () => {
    fake = await startFakeGemini({
      latencyMs: 20,
      answer: async (req) => {
        // Images of "running" batches are held until the suite ends, so those batches stay running.
        if (slow.has(req.imageSha256)) await slowGate;
        return { json: { shows: [], venues: [], djs: [], vendors: [] } };
      },
    });
    service = await startService({ fake, listen: true, config: { settingsDefaults: { userBatchesPerMinute: 2 } } });

    const now = Math.floor(Date.now() / 1000);
    tokens.anonymous = undefined;
    tokens.badToken = "garbage.not-a.jwt";
    tokens.userA = await testTokens.sign({ sub: USER_A, role: "user" });
    tokens.userB = await testTokens.sign({ sub: USER_B, role: "user" });
    tokens.admin = await testTokens.sign({ sub: "the-admin", role: "admin" });
    // Right secret, expired an hour ago.
    tokens.expired = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER_A)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    // A's claims, admin role, signed with another secret.
    tokens.forged = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER_A)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("some-other-secret-that-is-long-enough-too"));

    // A's batch, uploaded by A through the API (one of A's two batches this minute).
    const a = createClient(service.url!, tokens.userA);
    clients.push(a);
    const upload = await a.client.batch.analyze.mutate(uploadForm(await distinctImages(3, "owned-by-a")));
    const done = await waitForBatch(service, upload.batchId);
    expect(done.status).toBe("completed");

    fixture = {
      batchA: upload.batchId,
      imagesInA: 3,
      async runningBatchOfA() {
        const [image] = await distinctImages(1, `running-${runningCount++}`);
        slow.add(await preparedSha256(image!.bytes));
        const { batchId } = await service.app.submit({ owner: USER_A, files: [image!], workers: 1, mode: "parallel" }, "user");
        return batchId;
      },
    };
  });

  afterAll(async () => {
    releaseSlow();
    for (const c of clients) await c.close();
    await service?.close();
    await fake?.close();
  });

  const clientFor = (who: Who) => {
    const c = createClient(service.url!, tokens[who]);
    clients.push(c);
    return c;
  };

  it.each(CASES)("$procedure as $who -> $outcome", async ({ who, row, outcome }) => {
    const api = clientFor(who);
    try {
      await expectOutcome(
        () => row.call(api.client, fixture),
        outcome,
        (result) => row.verify(result, fixture, who),
      );
    } finally {
      await api.close();
    }
  });

  it("the subscription's UNAUTHORIZED says why: no token vs. an invalid or expired one", async () => {
    for (const [who, message] of [
      ["anonymous", /sign in/],
      ["badToken", /invalid or expired/],
      ["expired", /invalid or expired/],
    ] as const) {
      const api = clientFor(who);
      try {
        await expect(subscribe(api.client, fixture.batchA)).rejects.toMatchObject({
          message: expect.stringMatching(message),
          data: { code: "UNAUTHORIZED" },
        });
      } finally {
        await api.close();
      }
    }
  });

  it("a token that expires while in use is refused from then on", async () => {
    // jose counts whole seconds: "3s" is valid for at least 2 s, then sleep past its `exp`.
    const shortLived = await testTokens.sign({ sub: USER_A, role: "user" }, "3s");
    const { exp } = decodeJwt(shortLived);
    const api = clientFor("anonymous");
    const live = createClient(service.url!, shortLived);
    clients.push(live);
    try {
      expect((await live.client.batch.byId.query({ batchId: fixture.batchA })).id).toBe(fixture.batchA);
      await sleep(exp! * 1000 - Date.now() + 1_100);
      await expectOutcome(
        () => live.client.batch.byId.query({ batchId: fixture.batchA }),
        "UNAUTHORIZED",
        () => {},
      );
    } finally {
      await api.close();
      await live.close();
    }
  });

  it("user rate limit: the third analyze within a minute -> TOO_MANY_REQUESTS 429, an admin is not limited", async () => {
    const carol = createClient(service.url!, await testTokens.sign({ sub: "carol", role: "user" }));
    const admin = clientFor("admin");
    clients.push(carol);
    try {
      const images = await distinctImages(1, "rate");
      for (let i = 0; i < 2; i++) expect(await carol.client.batch.analyze.mutate(uploadForm(images))).toMatchObject({ totalImages: 1 });
      await expectOutcome(
        () => carol.client.batch.analyze.mutate(uploadForm(images)),
        "TOO_MANY_REQUESTS",
        () => {},
      );
      // The refusal says when to come back.
      await expect(carol.client.batch.analyze.mutate(uploadForm(images))).rejects.toThrow(/try again in \d+ s/);
      for (let i = 0; i < 4; i++) expect(await admin.client.batch.analyze.mutate(uploadForm(images))).toMatchObject({ totalImages: 1 });
      // Refusals for admin options are answered before the limiter counts anything: user B, at one
      // batch so far, still has one left.
      const b = clientFor("userB");
      expect(await b.client.batch.analyze.mutate(uploadForm(images))).toMatchObject({ totalImages: 1 });
      await expectOutcome(
        () => b.client.batch.analyze.mutate(uploadForm(images)),
        "TOO_MANY_REQUESTS",
        () => {},
      );
    } finally {
      await carol.close();
      await admin.close();
    }
  });
});
