import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { serverProcessEnv, TEST_MODEL, testTokens } from "../support/harness";
import { distinctImages } from "../support/images";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { newPage, openBrowser, saveScreenshot, type TestPage } from "./support/browser";

const IMAGES = 10;

const progressNow = async (page: Page) =>
  Number(await page.getByRole("progressbar", { name: "Images analysed" }).getAttribute("aria-valuenow"));

describe("the web app when its server dies mid-batch", () => {
  let fake: FakeGemini;
  let database: TestDatabase;
  let browser: Browser;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];
  const tabs: TestPage[] = [];

  beforeAll(async () => {
    // Each image takes a while, so the batch is still running when its server is killed.
    fake = await startFakeGemini({ latencyMs: 1_000, model: TEST_MODEL });
    database = await createTestDatabase();
    // Images in flight in the killed process are taken up again once their lease runs out.
    env = { ...serverProcessEnv(database.url, fake.url), IMAGE_TIMEOUT_MS: "3000" };
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const tab of tabs) await tab.close().catch(() => {});
    await browser?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
    await fake?.close();
  });

  /** An admin's tab on `server` that has started a batch of IMAGES with 2 workers, once its first image is in. */
  async function startBatch(server: ServerProcess, sub: string) {
    const tab = await newPage(browser, { width: 1280, height: 900 });
    tabs.push(tab);
    const { page } = tab;
    await page.goto(`${server.url}/admin#token=${await testTokens.sign({ sub, role: "admin" })}`);
    await page.getByRole("heading", { name: "Admin parser" }).waitFor();
    const files = (await distinctImages(IMAGES, sub)).map((i) => ({ name: i.name, mimeType: "image/png", buffer: i.bytes }));
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(files);
    await page.getByLabel("Workers").selectOption("2");
    await page.getByRole("button", { name: `Analyse ${IMAGES} screenshots` }).click();
    await expect.poll(() => progressNow(page), { timeout: 30_000 }).toBeGreaterThan(0);
    return { tab, page };
  }

  it("says the connection is lost and the batch goes on, then reconnects by itself and finishes", async () => {
    const first = await startServerProcess(env);
    servers.push(first);
    const port = new URL(first.url).port;
    const { tab, page } = await startBatch(first, "web-reconnect");
    // Images claimed ahead are "preparing"; only those at the API say "analysing": never more than the workers.
    const tiles = page.getByRole("list", { name: "Images" });
    expect(await tiles.locator(".tile.state-running").count()).toBeLessThanOrEqual(2);

    // SIGKILL: gone at once, as in a crash or an OOM kill.
    servers.splice(servers.indexOf(first), 1);
    const gone = new Promise<void>((r) => first.child.once("exit", () => r()));
    first.child.kill("SIGKILL");
    await gone;
    const killedAt = Date.now();
    const notice = page.getByRole("status").filter({ hasText: "Lost the connection to the server" });
    await notice.waitFor({ timeout: 5_000 });
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(await notice.textContent()).toContain("The batch goes on there; reconnecting…");
    const beforeRestart = await progressNow(page);
    await saveScreenshot(page, "reconnect-lost");

    servers.push(await startServerProcess({ ...env, PORT: port }));
    await notice.waitFor({ state: "detached", timeout: 15_000 });
    await expect.poll(() => progressNow(page), { timeout: 60_000 }).toBe(IMAGES);
    // Resumed where it was: never back below what it showed before the server died.
    expect(await progressNow(page)).toBeGreaterThanOrEqual(beforeRestart);
    await expect
      .poll(() => page.getByRole("list", { name: "Images" }).locator(".tile.state-succeeded").count(), { timeout: 10_000 })
      .toBe(IMAGES);
    await saveScreenshot(page, "reconnect-done");
    // Requests made while the server was away fail in the console; nothing else may.
    tab.expectNoConsoleErrors({ allow: [/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to fetch|Failed to load resource/] });
  }, 120_000);

  it("notices a server that hangs with its socket open (no pong) and carries on when it wakes", async () => {
    const server = servers[0]!;
    const { tab, page } = await startBatch(server, "web-hang");

    // SIGSTOP: frozen, its sockets open, nothing answers on them.
    server.child.kill("SIGSTOP");
    const frozenAt = Date.now();
    const notice = page.getByRole("status").filter({ hasText: "Lost the connection to the server" });
    try {
      await notice.waitFor({ timeout: 20_000 });
    } finally {
      server.child.kill("SIGCONT");
    }
    // A ping every 5 s, 3 s for its pong.
    expect(Date.now() - frozenAt).toBeLessThan(12_000);
    await notice.waitFor({ state: "detached", timeout: 15_000 });
    await expect.poll(() => progressNow(page), { timeout: 60_000 }).toBe(IMAGES);
    tab.expectNoConsoleErrors({ allow: [/WebSocket connection|Failed to fetch|Failed to load resource/] });
  }, 120_000);
});
