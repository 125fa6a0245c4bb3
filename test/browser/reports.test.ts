import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/src/index";
import { insertReportHistory } from "../support/report-history";
import { newPage, openBrowser, saveScreenshot, type TestPage } from "./support/browser";
import { startWebService, type WebService } from "./support/web-service";

/** The history's days: 2, 4, 5 and 9 March 2026 (test/support/report-history.ts). */
const RANGE = "from=2026-03-01&to=2026-03-10";
const ERROR_CLASSES = ["rateLimited", "invalidOutput", "permanent", "retryable", "timeout"];

const chart = (page: Page, title: string) => page.getByRole("region", { name: title, exact: true });
/** Bars drawn with a height: recharts leaves a zero bar without a path. */
const bars = (page: Page, title: string) => chart(page, title).locator(".recharts-bar-rectangle path");
const dots = (page: Page, title: string) => chart(page, title).locator(".recharts-line-dots circle");
/** The error chart's classes as its axis names them, top to bottom. */
const errorAxis = (page: Page) => chart(page, "Top error classes").locator(".recharts-yAxis-tick-labels text").allTextContents();
const tableRows = (page: Page) => page.getByRole("table").locator("tbody tr");

describe("the reports page over a known history, in Chromium", () => {
  let service: WebService;
  let browser: Browser;
  const tabs: TestPage[] = [];

  const open = async (path: string, token: string, viewport = { width: 1280, height: 900 }) => {
    const tab = await newPage(browser, viewport);
    tabs.push(tab);
    await tab.page.goto(`${service.url}${path}#token=${token}`);
    await tab.page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    return tab;
  };

  beforeAll(async () => {
    browser = await openBrowser();
    service = await startWebService();
    const conn = connect(service.runtime.databaseUrl);
    try {
      await insertReportHistory(conn.db);
    } finally {
      await conn.close();
    }
  });
  afterAll(async () => {
    for (const tab of tabs) await tab.close().catch(() => {});
    await browser?.close();
    await service?.close();
  });

  it("an admin sees every chart with the history's figures, the unpriced day marked and the error classes named", async () => {
    const tab = await open(`/reports?${RANGE}`, service.tokens.admin);
    const { page } = tab;
    await tableRows(page).first().waitFor();

    expect(await tableRows(page).count()).toBe(6);
    // Four days with images, each a bar; the quiet days between them have none.
    expect(await bars(page, "Images per day").count()).toBe(4);
    await expect
      .poll(() => chart(page, "Images per day").textContent(), { timeout: 10_000 })
      .toMatch(/images.*day \(UTC\)|day \(UTC\).*images/);
    expect(await dots(page, "Success rate per day").count()).toBe(4);
    expect(await chart(page, "Success rate per day").textContent()).toContain("success rate (%)");
    expect(await dots(page, "Mean speedup per day").count()).toBe(4);
    // Batches that ended on 2, 4, 5 and 9 March, two lines (mean and slowest p95).
    expect(await dots(page, "Time per image").count()).toBe(8);
    expect(await chart(page, "Time per image").textContent()).toContain("seconds per image");
    expect(await bars(page, "Tokens per day").count()).toBe(7);

    // 4 March's cost is not known (gemini-2.5-pro has no rate): no bar, a marker and the reason.
    const cost = chart(page, "Cost per day");
    expect(await bars(page, "Cost per day").count()).toBe(3);
    expect(await cost.locator(".recharts-reference-line").count()).toBe(1);
    expect(await cost.locator("svg text", { hasText: "unpriced" }).count()).toBe(1);
    expect(await cost.textContent()).toMatch(/Mar 4: 4 attempts on a model with no rate/);
    expect(await page.getByLabel("Totals for the range").textContent()).toMatch(/Batches6Images14.*Costunpriced/);

    const errors = chart(page, "Top error classes");
    expect(await bars(page, "Top error classes").count()).toBe(ERROR_CLASSES.length);
    expect(await errorAxis(page)).toEqual(ERROR_CLASSES);
    const samples = await errors.getByLabel("A message of each error class").textContent();
    expect(samples).toContain("permanentblocked: RECITATION");
    expect(samples).toContain("invalidOutputinvalid output: MAX_TOKENS");

    await saveScreenshot(page, "reports");
    tab.expectNoConsoleErrors();
  });

  it("a filter narrows the figures and stays in the URL; a range without batches says so", async () => {
    const tab = await open(`/reports?${RANGE}`, service.tokens.admin);
    const { page } = tab;
    await tableRows(page).first().waitFor();
    await page.getByLabel("Mode").selectOption("sequential");
    await expect.poll(() => tableRows(page).count(), { timeout: 10_000 }).toBe(2);
    expect(new URL(page.url()).searchParams.get("mode")).toBe("sequential");
    expect(await bars(page, "Images per day").count()).toBe(2);
    expect(await chart(page, "Cost per day").locator(".recharts-reference-line").count()).toBe(0);
    expect(await errorAxis(page)).toEqual(["timeout"]);

    await page.getByLabel("Mode").selectOption("");
    await page.getByLabel("Owner").fill("carol");
    await expect.poll(() => tableRows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(page.url()).searchParams.get("owner")).toBe("carol");
    await page.reload();
    await expect.poll(() => tableRows(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByLabel("Owner").inputValue()).toBe("carol");

    // Without dates the page covers the last 30 days: the history is long before them.
    await page.getByRole("button", { name: "Last 30 days, everything" }).click();
    await expect.poll(() => chart(page, "Images per day").textContent(), { timeout: 10_000 }).toContain("No batches in this range.");
    expect(await chart(page, "Cost per day").textContent()).toContain("No batches in this range.");
    expect(await page.getByRole("table").count()).toBe(0);
    tab.expectNoConsoleErrors();
  });

  it("a user sees only their own figures, and the page fits a phone", async () => {
    const tab = await open(`/reports?${RANGE}&owner=bob`, await service.tokens.user("alice"), { width: 390, height: 844 });
    const { page } = tab;
    await tableRows(page).first().waitFor();
    await page.getByText("Your own batches only (signed in as alice)").waitFor();
    expect(await page.getByLabel("Owner").count()).toBe(0);
    // Alice's A, C and E, whatever owner the URL names.
    expect(await tableRows(page).count()).toBe(3);
    const axis = await errorAxis(page);
    expect(axis.sort()).toEqual(["invalidOutput", "permanent", "rateLimited", "retryable"]);
    expect(await chart(page, "Cost per day").locator(".recharts-reference-line").count()).toBe(1);

    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await saveScreenshot(page, "reports-phone");
    tab.expectNoConsoleErrors();
  });
});
