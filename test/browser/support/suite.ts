import type { Browser } from "playwright-core";
import { afterAll } from "vitest";
import { openBrowser } from "./browser";
import { startWebService, type WebService, type WebServiceOptions } from "./web-service";

export interface WebSuite {
  service: WebService;
  browser: Browser;
}

/**
 * One Chromium and one service for the tests of a file (or describe block), started by the first
 * test that awaits `ready()` and closed after the last (afterAll), even when a test failed.
 *
 * Started from the tests rather than from beforeAll so that a failed start (no Chromium, a broken
 * web build) fails every test with its message; a failing beforeAll would mark them skipped.
 */
export function useWebSuite(opts: WebServiceOptions = {}): () => Promise<WebSuite> {
  let browser: Promise<Browser> | undefined;
  let service: Promise<WebService> | undefined;
  afterAll(async () => {
    const [b, s] = await Promise.allSettled([browser, service]);
    await Promise.all([b?.status === "fulfilled" ? b.value?.close() : undefined, s?.status === "fulfilled" ? s.value?.close() : undefined]);
  });
  return async () => {
    browser ??= openBrowser();
    service ??= startWebService(opts);
    const [b, s] = await Promise.allSettled([browser, service]);
    if (b.status === "rejected") throw b.reason;
    if (s.status === "rejected") throw s.reason;
    return { browser: b.value, service: s.value };
  };
}
