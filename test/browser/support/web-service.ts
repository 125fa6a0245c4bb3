import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { loadEnv } from "../../../server/src/env";
import { createLogger } from "../../../server/src/logger";
import { createRuntime } from "../../../server/src/runtime";
import { startFakeGemini, type FakeGemini, type FakeReply, type FakeRequest } from "../../support/fake-gemini";
import type { Flyer } from "../../support/flyers";
import { answerWithTruth } from "../../support/harness";
import { createTestDatabase } from "../../support/test-database";
import { WEB_INDEX } from "./global-build";

/** The secret the service signs with; tokens from `tokens` (or `createTokens(BROWSER_JWT_SECRET)`) are valid. */
export const BROWSER_JWT_SECRET = "browser-test-secret-that-is-long-enough-for-hs256";

export interface WebServiceOptions {
  /** Flyers the fake Gemini reads perfectly (their ground truth), as a model that knows them would. */
  flyers?: Flyer[];
  /** The fake's answer for any other image (default: an empty extraction). */
  answer?: (req: FakeRequest) => FakeReply;
  /** The fake's latency per request, in ms (a number or a function drawing one). */
  latencyMs?: number | (() => number);
  /** The Gemini key the service is given and the fake accepts (default "test-key"). */
  apiKey?: string;
  /** Extra environment variables for the service (MAX_RETRIES, GEMINI_RPM, ...), applied last. */
  env?: Record<string, string>;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

export interface WebService {
  /** Where the service listens, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  tokens: {
    /** An admin token (sub "admin"), signed with the service's own secret. */
    admin: string;
    /** A user token for `sub`, signed with the service's own secret. */
    user(sub: string): Promise<string>;
  };
  /** The fake Gemini the service talks to: change its answers or latency, read its requests. */
  fake: FakeGemini;
  /** The service's runtime (app, tokens, databaseUrl), for tests that need to look inside. */
  runtime: Runtime;
  /** Stops the service and the fake, drops the database and removes DATA_DIR. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The service as `npm start` runs it: `createRuntime` with an environment parsed by `loadEnv`,
 * on a fresh test database, the Gemini engine against a local fake, listening on an ephemeral
 * port. It serves the web client from web/dist (built once per run by global-build.ts).
 */
export async function startWebService(opts: WebServiceOptions = {}): Promise<WebService> {
  const buildError = inject("webBuildError");
  if (buildError) throw new Error(buildError);
  if (!existsSync(WEB_INDEX)) throw new Error(`no web client at ${WEB_INDEX}: run the browser project (its global setup builds it)`);
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    const errors: unknown[] = [];
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, "closing the web service failed");
  };
  try {
    const otherwise = opts.answer ?? (() => ({ json: { shows: [], venues: [], djs: [], vendors: [] } }));
    const apiKey = opts.apiKey ?? "test-key";
    const fake = await startFakeGemini({ apiKey, latencyMs: opts.latencyMs, answer: await answerWithTruth(opts.flyers ?? [], otherwise) });
    cleanups.push(() => fake.close());

    const database = await createTestDatabase();
    cleanups.push(() => database.drop());

    const dataDir = mkdtempSync(path.join(os.tmpdir(), "showscan-browser-data-"));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

    const env = loadEnv({
      DATABASE_URL: database.url,
      GEMINI_API_KEY: apiKey,
      GEMINI_BASE_URL: fake.url,
      PORT: "0",
      HOST: "127.0.0.1",
      JWT_SECRET: BROWSER_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      DATA_DIR: dataDir,
      // As in the other suites' services: files run beside each other on few cores, where a long
      // event-loop delay says nothing about the service.
      OVERLOAD_LAG_MS: "5000",
      ...opts.env,
    });
    const runtime = await createRuntime(env, createLogger(env.LOG_LEVEL));
    cleanups.push(() => runtime.close());

    const { url } = await runtime.app.start({ port: env.PORT, host: env.HOST });
    if (!url) throw new Error("the service started without a URL");
    const admin = await runtime.tokens.sign({ sub: "admin", role: "admin" });

    return {
      url,
      tokens: { admin, user: (sub) => runtime.tokens.sign({ sub, role: "user" }) },
      fake,
      runtime,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
}
