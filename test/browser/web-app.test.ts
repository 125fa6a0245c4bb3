import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokens } from "../../server/src/auth/tokens";
import { createClient } from "../support/trpc-client";
import { type Flyer, generateFlyers } from "../support/flyers";
import { newPage, openBrowser, saveScreenshot, type TestPage } from "./support/browser";
import { startWebService, type WebService } from "./support/web-service";

const asFiles = (flyers: Flyer[]) =>
  flyers.map((f) => ({ name: f.name, mimeType: f.format === "jpeg" ? "image/jpeg" : "image/png", buffer: f.bytes }));

const progressNow = async (page: Page) =>
  Number(await page.getByRole("progressbar", { name: "Images analysed" }).getAttribute("aria-valuenow"));

/** Watches the progress bar until it reads `total`, answering every distinct value it showed. */
async function watchProgress(page: Page, total: number, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await progressNow(page);
    if (seen.at(-1) !== now) seen.push(now);
    if (now === total) return seen;
    await page.waitForTimeout(50);
  }
  throw new Error(`the progress bar did not reach ${total} in ${timeoutMs} ms; it showed ${seen.join(", ")}`);
}

/** The README's pictures: what a person sees first, at the viewport's size (written beside the artifacts). */
const pictureFile = (name: string) => fileURLToPath(new URL(`./artifacts/readme-${name}.png`, import.meta.url));

/** The seconds in a "Wall time" cell such as "7.4 s" or "1 min 3 s". */
function seconds(text: string): number {
  const minutes = text.match(/(\d+) min/);
  const secs = text.match(/([\d.]+) s/);
  return (minutes ? Number(minutes[1]) * 60 : 0) + (secs ? Number(secs[1]) : 0);
}

describe("the web app in Chromium, against the service as npm start runs it", () => {
  let service: WebService;
  let browser: Browser;
  let flyers: Flyer[];
  const tabs: TestPage[] = [];
  /** Batches made along the way, for the history and access checks. */
  const made: { userBatch?: string; parallel?: string; sequential?: string } = {};

  const open = async (path: string, token: string | null, viewport = { width: 1280, height: 900 }) => {
    const tab = await newPage(browser, viewport);
    tabs.push(tab);
    await tab.page.goto(`${service.url}${path}${token ? `#token=${token}` : ""}`);
    return tab;
  };

  beforeAll(async () => {
    flyers = await generateFlyers(34, 11);
    browser = await openBrowser();
    service = await startWebService({ flyers, latencyMs: () => 450 + Math.random() * 300 });
  });
  afterAll(async () => {
    for (const tab of tabs) await tab.close().catch(() => {});
    await browser?.close();
    await service?.close();
  });

  it("a singer signs in through the login link, removes a screenshot, sends 3 and sees the bar move and the shows as cards", async () => {
    // Different latencies so the three images visibly finish one after another.
    let call = 0;
    service.fake.setLatency(() => [500, 1400, 2300][call++ % 3] ?? 500);
    const tab = await open("/", await service.tokens.user("singer-1"));
    const { page } = tab;
    await page.getByRole("heading", { name: "Submit a show" }).waitFor();
    expect(new URL(page.url()).hash).toBe("");

    const notes = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a flyer") };
    // Named .png and sent as one, but text: only the server, reading its bytes, can tell.
    const disguised = { name: "disguised.png", mimeType: "image/png", buffer: Buffer.from("hello, not a png") };
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles([...asFiles(flyers.slice(0, 4)), notes, disguised]);
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Left out.*notes\.txt/);
    await page.getByText("5 screenshots chosen").waitFor();
    await page.getByRole("button", { name: `Remove ${flyers[3]?.name}` }).click();
    await page.getByText("4 screenshots chosen").waitFor();
    await expect.poll(() => page.getByRole("list", { name: "Chosen screenshots" }).getByRole("img").count()).toBe(4);
    await saveScreenshot(page, "submit-chosen");

    await page.getByRole("button", { name: "Send 4 screenshots" }).click();
    const seen = await watchProgress(page, 3, 30_000);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe(3);
    made.userBatch = new URL(page.url()).searchParams.get("batch") ?? undefined;
    expect(made.userBatch).toBeTruthy();

    const cards = page.getByRole("list", { name: "Shows found" }).getByRole("listitem");
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const venue = flyers[0]?.truth.shows[0]?.venue ?? "";
    await expect.poll(() => page.getByRole("list", { name: "Shows found" }).textContent()).toContain(venue);
    await expect
      .poll(() => page.getByRole("region", { name: "Images that could not be read" }).textContent())
      .toMatch(/disguised\.png: not accepted: not an image/);
    await page.getByRole("button", { name: "Send more screenshots" }).waitFor();
    await saveScreenshot(page, "submit-done");
    tab.expectNoConsoleErrors();
    service.fake.setLatency(() => 450 + Math.random() * 300);
  });

  it("an admin analyses 30 screenshots with 3 workers, sees the figures and grid change, reloads mid-batch without a false 0, and gets the table and the performance panel", async () => {
    const tab = await open("/admin", service.tokens.admin);
    const { page } = tab;
    await page.getByRole("heading", { name: "Admin parser" }).waitFor();
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers.slice(4, 34)));
    await page.getByLabel("Workers").selectOption("3");
    await page.getByRole("button", { name: "Analyse 30 screenshots" }).click();

    const grid = page.getByRole("list", { name: "Images" });
    await grid.getByRole("listitem").first().waitFor();
    expect(await grid.getByRole("listitem").count()).toBe(30);
    await expect.poll(() => progressNow(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    const readBefore = await grid.locator(".tile.state-succeeded").count();
    expect(readBefore).toBeGreaterThan(0);
    await expect(page.getByLabel("Live figures").textContent()).resolves.toMatch(/of 3 workers/);
    await saveScreenshot(page, "admin-mid-batch");
    await page.screenshot({ path: pictureFile("admin-mid-batch") });

    const beforeReload = await progressNow(page);
    await page.reload();
    await page.getByRole("progressbar", { name: "Images analysed" }).waitFor();
    const afterReload = await progressNow(page);
    expect(afterReload).toBeGreaterThanOrEqual(beforeReload);
    expect(afterReload).toBeGreaterThan(0);

    await watchProgress(page, 30, 60_000);
    made.parallel = new URL(page.url()).searchParams.get("batch") ?? undefined;
    await expect.poll(() => grid.locator(".tile.state-succeeded").count(), { timeout: 10_000 }).toBe(30);
    const results = page.getByRole("region", { name: "Results" });
    await expect.poll(() => results.getByRole("row").count(), { timeout: 10_000 }).toBeGreaterThan(10);
    // Every row names the images it came from, as thumbnails that really load.
    const thumb = results.getByRole("row").nth(1).getByRole("img").first();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const performance = page.getByRole("region", { name: "Performance" });
    await performance.waitFor();
    const figures = await performance.textContent();
    for (const label of ["Wall time", "Sum of image times", "Speedup", "Worker utilisation", "p95 per image", "Success rate", "Tokens"]) {
      expect(figures).toContain(label);
    }
    await saveScreenshot(page, "admin-done");
    tab.expectNoConsoleErrors();
  });

  it("the admin runs the same images again sequentially and sees both runs side by side, the parallel one faster", async () => {
    const tab = await open(`/admin?batch=${made.parallel}`, service.tokens.admin);
    const { page } = tab;
    await page.getByRole("button", { name: "Run again sequentially" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("compare")).toBe(made.parallel);
    made.sequential = new URL(page.url()).searchParams.get("batch") ?? undefined;
    expect(made.sequential).not.toBe(made.parallel);
    // The finished first run's 30/30 stays on screen until the new batch's view mounts: wait for it.
    await page.getByRole("link", { name: made.sequential?.slice(0, 8) }).waitFor();
    await watchProgress(page, 30, 120_000);

    const comparison = page.getByRole("region", { name: "Comparison" });
    await comparison.waitFor({ timeout: 15_000 }).catch(async (error: unknown) => {
      await saveScreenshot(page, "admin-comparison-missing");
      throw new Error(`no comparison; the page reads: ${(await page.locator("main").textContent())?.slice(0, 1500)}`, { cause: error });
    });
    const wall = comparison.getByRole("row", { name: /^Wall time/ }).getByRole("cell");
    await expect.poll(() => wall.count()).toBe(2);
    await expect.poll(async () => (await wall.allTextContents()).every((t) => seconds(t) > 0), { timeout: 10_000 }).toBe(true);
    const [parallel = "", sequential = ""] = await wall.allTextContents();
    expect(seconds(parallel)).toBeLessThan(seconds(sequential));
    await expect(comparison.getByRole("row", { name: /^Mode/ }).textContent()).resolves.toMatch(/Parallel, 3 workers.*Sequential/);
    await saveScreenshot(page, "admin-comparison");
    tab.expectNoConsoleErrors();
  });

  it("the batch page lays the attempts out on a timeline with each attempt's details", async () => {
    const tab = await open(`/batches/${made.parallel}`, service.tokens.admin);
    const { page } = tab;
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.waitFor();
    const bars = timeline.locator(".attempt");
    await expect.poll(() => bars.count()).toBeGreaterThanOrEqual(30);
    await expect(bars.first().getAttribute("aria-label")).resolves.toMatch(/attempt 1/);
    await bars.nth(3).focus();
    await saveScreenshot(page, "batch-timeline");
    await timeline.screenshot({ path: pictureFile("batch-timeline") });
    tab.expectNoConsoleErrors();
  });

  it("history lists both runs with their figures for the admin, and only a user's own batches for the user", async () => {
    const admin = await open("/history", service.tokens.admin);
    const rows = admin.page.getByRole("table").getByRole("row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const text = (await admin.page.getByRole("table").textContent()) ?? "";
    expect(text).toContain("singer-1");
    expect(text).toMatch(/\d+(\.\d)?×/);
    await saveScreenshot(admin.page, "history-admin");
    admin.expectNoConsoleErrors();

    const user = await open("/history", await service.tokens.user("singer-1"));
    const userRows = user.page.getByRole("table").getByRole("row");
    await expect.poll(() => userRows.count(), { timeout: 10_000 }).toBe(2);
    expect(await user.page.getByRole("table").textContent()).not.toContain("admin");
    user.expectNoConsoleErrors();
  });

  it("a user opening an admin page or another user's batch is told so", async () => {
    const tab = await open("/admin", await service.tokens.user("singer-1"));
    await tab.page.getByRole("heading", { name: "Admins only" }).waitFor();
    await tab.page.goto(`${service.url}/settings`);
    await tab.page.getByRole("heading", { name: "Admins only" }).waitFor();
    await tab.page.goto(`${service.url}/batches/${made.parallel}`);
    await expect.poll(() => tab.page.getByRole("alert").textContent(), { timeout: 10_000 }).toMatch(/not found/i);
    // The server's 404 for someone else's batch is what the page explains; Chromium logs it too.
    tab.expectNoConsoleErrors({ allow: [/status of 404 \(Not Found\).*\/trpc\/batch\./] });
  });

  it("a settings change (default workers) applies to the next batch", async () => {
    const tab = await open("/settings", service.tokens.admin);
    const { page } = tab;
    await page.getByLabel("Default workers").selectOption("2");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Saved/);
    await saveScreenshot(page, "settings");

    await page.goto(`${service.url}/admin`);
    await expect.poll(() => page.getByLabel("Workers").inputValue()).toBe("2");
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers.slice(0, 4)));
    await page.getByRole("button", { name: "Analyse 4 screenshots" }).click();
    await watchProgress(page, 4, 30_000);
    const batchId = new URL(page.url()).searchParams.get("batch") ?? "";
    const api = createClient(service.url, service.tokens.admin);
    try {
      expect((await api.client.batch.byId.query({ batchId })).workers).toBe(2);
    } finally {
      await api.close();
    }
    tab.expectNoConsoleErrors();
  });

  it("a 390 px wide phone shows the submit page without sideways scrolling", async () => {
    const tab = await open("/submit", await service.tokens.user("singer-1"), { width: 390, height: 844 });
    const { page } = tab;
    await page.getByRole("heading", { name: "Submit a show" }).waitFor();
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers.slice(0, 2)));
    await page.getByText("2 screenshots chosen").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "submit-phone");

    await page.goto(`${service.url}/submit?batch=${made.userBatch}`);
    await page.getByRole("list", { name: "Shows found" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "submit-phone-results");
    await page.screenshot({ path: pictureFile("submit-phone") });
    tab.expectNoConsoleErrors();
  });

  it("an expired or foreign token brings the sign-in back with the reason; a pasted token signs in", async () => {
    const expired = await open("/history", await service.runtime.tokens.sign({ sub: "late", role: "user" }, "-1h"));
    await expect.poll(() => expired.page.getByRole("alert").textContent(), { timeout: 10_000 }).toMatch(/expired/);
    await expired.page.getByRole("heading", { name: "Sign in to showscan" }).waitFor();

    const foreign = await createTokens("some-other-secret-that-is-long-enough-too").sign({ sub: "x", role: "admin" });
    const refused = await open("/history", foreign);
    await expect.poll(() => refused.page.getByRole("alert").textContent(), { timeout: 10_000 }).toMatch(/refused/);
    await saveScreenshot(refused.page, "sign-in-refused");

    await refused.page.getByLabel("Access token").fill(await service.tokens.user("singer-3"));
    await refused.page.getByRole("button", { name: "Sign in" }).click();
    await refused.page.getByRole("heading", { name: "History" }).waitFor();
    // The 401s behind the refused tokens are the browser logging the refusals, not app errors.
    for (const tab of [expired, refused]) tab.expectNoConsoleErrors({ allow: [/status of 401 \(Unauthorized\)/] });
  });
});
