import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch, listAttempts, listImages } from "../../db/src/index";
import { createTokens } from "../../server/src/auth/tokens";
import { startFakeGemini, type FakeGemini, type FakeReply } from "../support/fake-gemini";
import { distinctImages } from "../support/images";
import { preparedSha256, serverProcessEnv, waitForBatch } from "../support/harness";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { createClient, uploadForm } from "../support/trpc-client";

/**
 * The Gemini key and the JWT secret, set to strings found nowhere else, through a server process
 * whose Gemini answers include errors that echo the key back (as Google's DebugInfo does for a
 * bad key, and as a proxy's error text with the request URL might): neither may reach a log
 * line, a stored attempt or batch, or any answer of the API.
 */

const KEY = "AIzaSy-SECRET-KEY-d41d8cd98f00b204e980";
const SECRET = "jwt-SECRET-5f4dcc3b5aa765d61d8327deb882cf99";
const MODEL_URL = "/v1beta/models/gemini-2.5-flash:generateContent";

describe("secrets never shown", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  let server: ServerProcess;
  let api: ReturnType<typeof createClient>;
  let adminToken: string;
  const batchIds: string[] = [];
  /** Every answer the API gave in this suite, as text. */
  const answers: string[] = [];
  const record = <T>(value: T): T => {
    answers.push(typeof value === "string" ? value : JSON.stringify(value));
    return value;
  };

  beforeAll(async () => {
    const [ok, echoUrl, echoKey, badKey, restEcho] = await distinctImages(5, "secrets");
    const replies = new Map<string, FakeReply>([
      [await preparedSha256(ok!.bytes), { json: { shows: [], venues: [], djs: [], vendors: [] } }],
      [
        await preparedSha256(echoUrl!.bytes),
        {
          status: 500,
          body: { error: { code: 500, status: "INTERNAL", message: `backend failed calling ${MODEL_URL}?key=${KEY}&alt=json` } },
        },
      ],
      [
        await preparedSha256(echoKey!.bytes),
        { status: 400, body: { error: { code: 400, status: "INVALID_ARGUMENT", message: `Request with key ${KEY} is malformed` } } },
      ],
      // Google's own API_KEY_INVALID answer, whose DebugInfo repeats the key that was sent.
      [await preparedSha256(badKey!.bytes), { fault: "invalid-key" }],
      [
        await preparedSha256(restEcho!.bytes),
        { status: 403, body: { error: { code: 403, status: "PERMISSION_DENIED", message: `key=${KEY} may not call ${MODEL_URL}` } } },
      ],
    ]);
    fake = await startFakeGemini({
      apiKey: KEY,
      answer: (req) => replies.get(req.imageSha256) ?? { json: { shows: [], venues: [], djs: [], vendors: [] } },
    });
    database = await createTestDatabase();
    server = await startServerProcess({
      ...serverProcessEnv(database.url, fake.url),
      GEMINI_API_KEY: KEY,
      JWT_SECRET: SECRET,
      MAX_RETRIES: "1",
      LOG_LEVEL: "debug",
    });
    adminToken = await createTokens(SECRET).sign({ sub: "secrets-admin", role: "admin" });
    api = createClient(server.url, adminToken);

    // One batch with a success, a retried 500 and a permanent 400 that both echo the key; one
    // whose bad-key answer stops it; and one through the REST route, answered in full.
    const first = await api.client.batch.analyze.mutate(uploadForm([ok!, echoUrl!, echoKey!]));
    const second = await api.client.batch.analyze.mutate(uploadForm([badKey!]));
    batchIds.push(first.batchId, second.batchId);
    for (const id of batchIds) await waitForBatch({ database }, id);
    const rest = await fetch(`${server.url}/api/parser/analyze-admin-screenshots-parallel`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ screenshots: [`data:image/png;base64,${restEcho!.bytes.toString("base64")}`] }),
    });
    const restAnswer = record(await rest.text());
    batchIds.push((JSON.parse(restAnswer) as { batchId: string }).batchId);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
    await database?.drop();
    await fake?.close();
  });

  it("the server did send the key, and Gemini's answers did echo it back", () => {
    expect(new Set(fake.requests.map((r) => r.apiKey))).toEqual(new Set([KEY]));
    // The 500 was retried once: five images, six requests.
    expect(fake.requests).toHaveLength(6);
  });

  it("stores the failures' reasons with the key taken out", async () => {
    const stored: string[] = [];
    for (const batchId of batchIds) {
      const batch = await getBatch(database.db, batchId);
      stored.push(JSON.stringify(batch), JSON.stringify(await listImages(database.db, batchId)));
      stored.push(JSON.stringify(await listAttempts(database.db, batchId)));
    }
    const text = stored.join("\n");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
    // The echoing errors were stored, redacted: the checks above read the text that carried the key.
    expect(text).toContain("?key=[redacted]&alt=json");
    expect(text).toContain("Request with key [redacted] is malformed");
    expect(text).toContain("invalid Gemini API key");
  });

  it("no API answer holds the key or the secret", async () => {
    for (const batchId of batchIds) {
      record(await api.client.batch.byId.query({ batchId }));
      record(await api.client.batch.images.query({ batchId }));
      record(await api.client.batch.results.query({ batchId }));
    }
    record(await api.client.batch.list.query({ limit: 100 }));
    record(await api.client.settings.get.query());
    record(await api.client.auth.me.query());
    for (const report of ["batches", "daily", "weekly", "errors", "sources", "waits"] as const) {
      record(await api.client.report[report].query({}));
    }
    for (const path of ["/healthz", "/readyz", "/metrics", `/api/export/batches/${batchIds[0]}/shows.csv`]) {
      record(await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } })).text());
    }
    // A failure of the API itself (a refused token) says nothing of the secret either.
    const refused = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${adminToken}x` } });
    record(await refused.text());

    const text = answers.join("\n");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
  });

  it("no log line holds the key or the secret", async () => {
    const log = server.output();
    // The log did record the failures: the echoing errors passed through it.
    expect(log).toMatch(/\[redacted\]/);
    expect(log).not.toContain(KEY);
    expect(log).not.toContain(SECRET);
    // Nor the bearer token every request of this suite carried.
    expect(log).not.toContain(adminToken.split(".")[2]);
  });
});
