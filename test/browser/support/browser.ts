import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

/** Debian's Chromium; CHROMIUM_PATH points elsewhere if needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));

/**
 * Launches headless Chromium. Playwright gives every launch a fresh temporary profile of its own
 * (and removes it on close). A missing Chromium fails the test with what to install: never a skip.
 */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. Install it with \`apt-get install -y chromium\` (as root; about a minute), or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Every console error and uncaught page error so far, in order, as text. */
  errors: string[];
  /**
   * Fails the test, listing them, if the page logged any console error or threw any uncaught
   * error. Chromium also logs every HTTP error response ("Failed to load resource: the server
   * responded with a status of 404"); a test that expects one passes it in `allow` (a substring
   * or a pattern of the error's text).
   */
  expectNoConsoleErrors(opts?: { allow?: (string | RegExp)[] }): void;
  /** Closes the page's context (its cookies, storage and pages). */
  close(): Promise<void>;
}

/** A page in a context of its own with the given viewport, recording console and page errors. */
export async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<TestPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const { url, lineNumber } = message.location();
    errors.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ""}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  return {
    page,
    context,
    errors,
    expectNoConsoleErrors({ allow = [] } = {}) {
      const allowed = (error: string) => allow.some((a) => (typeof a === "string" ? error.includes(a) : a.test(error)));
      expect(
        errors.filter((error) => !allowed(error)),
        "console errors and uncaught page errors",
      ).toEqual([]);
    },
    close: () => context.close(),
  };
}

/** Saves a full-page PNG to test/browser/artifacts/<name>.png and answers its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
