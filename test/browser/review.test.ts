import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../support/trpc-client";
import { extractionFromTruth, type Flyer, generateFlyers, type TruthShow } from "../support/flyers";
import { newPage, openBrowser, saveScreenshot, type TestPage } from "./support/browser";
import { startWebService, type WebService } from "./support/web-service";

const asFiles = (flyers: Flyer[]) =>
  flyers.map((f) => ({ name: f.name, mimeType: f.format === "jpeg" ? "image/jpeg" : "image/png", buffer: f.bytes }));

const day = (show: TruthShow) => show.dayOfWeek.charAt(0).toUpperCase() + show.dayOfWeek.slice(1);
/** How the web app names a show in its buttons' labels: "The Tin Roof, Monday …". */
const named = (show: TruthShow) => `${show.venue}, ${day(show)}`;
const artifact = (name: string) => fileURLToPath(new URL(`./artifacts/${name}.png`, import.meta.url));

/** A CSV as rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const csvRecords = (text: string) => {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""])));
};

async function waitForEnd(page: Page, total: number) {
  const bar = page.getByRole("progressbar", { name: "Images analysed" });
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 60_000 }).toBe(total);
}

describe("review in the results table, the catalog and the exports, in Chromium", () => {
  let service: WebService;
  let browser: Browser;
  let flyers: Flyer[];
  /** The shows the three flyers the fake reads perfectly print (seed 7: seven shows, seven cities). */
  let truth: TruthShow[];
  const tabs: TestPage[] = [];

  const open = async (path: string, token: string, viewport = { width: 1280, height: 900 }) => {
    const tab = await newPage(browser, viewport);
    tabs.push(tab);
    await tab.page.goto(`${service.url}${path}#token=${token}`);
    return tab;
  };

  beforeAll(async () => {
    flyers = await generateFlyers(4, 7);
    truth = flyers.slice(0, 3).flatMap((f) => f.truth.shows);
    const first = flyers[0]?.truth;
    if (!first) throw new Error("no flyers generated");
    // The fourth screenshot reads the first flyer's first show with another host: the merge keeps
    // one host and records the other as a conflict, which the table lays out.
    const [show, ...others] = first.shows;
    const conflicting = extractionFromTruth({ vendor: first.vendor, shows: show ? [{ ...show, djName: "DJ Max" }] : others });
    browser = await openBrowser();
    service = await startWebService({ flyers: flyers.slice(0, 3), answer: () => ({ json: conflicting }), latencyMs: 150 });
  });
  afterAll(async () => {
    for (const tab of tabs) await tab.close().catch(() => {});
    await browser?.close();
    await service?.close();
  });

  it("an admin approves (by row and in bulk), rejects and edits shows; the catalog holds the approved and edited ones; filters and the CSV export follow", async () => {
    const [byRow, bulkA, bulkB, rejected, edited] = [truth[0], truth[1], truth[4], truth[5], truth[6]];
    if (!byRow || !bulkA || !bulkB || !rejected || !edited) throw new Error(`the flyers print ${truth.length} shows, fewer than 7`);
    const approvedShows = [byRow, bulkA, bulkB, edited];
    expect(new Set(approvedShows.map((s) => s.city)).size, "the approved shows' cities (a city filter must narrow)").toBe(4);

    const tab = await open("/admin", service.tokens.admin);
    const { page } = tab;
    await page.getByRole("heading", { name: "Admin parser" }).waitFor();
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers));
    await page.getByRole("button", { name: "Analyse 4 screenshots" }).click();
    await waitForEnd(page, 4);

    const results = page.getByRole("region", { name: "Results" });
    await results.getByRole("button", { name: "Approve 0 selected" }).waitFor({ timeout: 15_000 });
    const rowOf = (show: TruthShow): Locator =>
      results.getByRole("row").filter({ has: page.getByRole("checkbox", { name: `Select ${named(show)}` }) });
    await expect.poll(() => results.getByRole("checkbox", { name: /^Select (?!every)/ }).count()).toBe(truth.length);
    for (const show of truth) await expect(rowOf(show).textContent()).resolves.toContain("pending");

    // The conflicting hosts, side by side, the kept one marked.
    const conflicts = results.getByRole("definition").filter({ hasText: "DJ Max" });
    await expect.poll(() => conflicts.count()).toBe(1);
    await expect(results.getByLabel("Conflicting readings").textContent()).resolves.toMatch(/host.*\(kept\)/);

    // A source thumbnail opens the full image.
    await rowOf(bulkA)
      .getByRole("button", { name: /^Open / })
      .first()
      .click();
    const viewer = page.getByRole("dialog");
    const full = viewer.getByRole("img");
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await viewer.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => viewer.count()).toBe(0);

    await results.getByRole("button", { name: `Approve ${named(byRow)}` }).click();
    await expect.poll(() => rowOf(byRow).textContent()).toMatch(/approved\s*by admin/);

    await results.getByRole("checkbox", { name: `Select ${named(bulkA)}` }).check();
    await results.getByRole("checkbox", { name: `Select ${named(bulkB)}` }).check();
    await results.getByRole("button", { name: "Approve 2 selected" }).click();
    await expect.poll(() => rowOf(bulkA).textContent()).toMatch(/approved\s*by admin/);
    await expect.poll(() => rowOf(bulkB).textContent()).toMatch(/approved\s*by admin/);
    await results.getByRole("button", { name: "Approve 0 selected" }).waitFor();

    await results.getByRole("button", { name: `Reject ${named(rejected)}` }).click();
    await expect.poll(() => rowOf(rejected).textContent()).toMatch(/rejected\s*by admin/);

    await results.getByRole("button", { name: `Edit ${named(edited)}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit show: ${edited.venue}` });
    await dialog.waitFor();
    await expect(dialog.getByLabel("Start").inputValue()).resolves.toBe(edited.startTime);
    await dialog.getByLabel("Start").fill("20:45");
    await dialog.getByLabel("Host").fill("KJ Edited Host");
    // The viewport as a person sees it: a full-page picture would draw the backdrop over one screen only.
    await page.screenshot({ path: artifact("review-edit-dialog") });
    await dialog.getByRole("button", { name: "Save and approve" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => rowOf(edited).textContent()).toMatch(/KJ Edited Host.*approved\s*by admin/);
    await expect(rowOf(edited).textContent()).resolves.toContain("8:45 pm");
    await expect(results.getByText("2 pending · 4 approved · 1 rejected").count()).resolves.toBe(1);

    await results.getByRole("checkbox", { name: `Select ${named(truth[2] ?? byRow)}` }).check();
    await saveScreenshot(page, "review-results");
    await results.screenshot({ path: artifact("review-results-table") });
    await results.getByRole("checkbox", { name: `Select ${named(truth[2] ?? byRow)}` }).uncheck();
    tab.expectNoConsoleErrors();

    // The catalog: the three approved and the edited show (with its new values), not the rejected one.
    await page.getByRole("link", { name: "Catalog" }).click();
    await page.getByRole("heading", { name: "Catalog" }).waitFor();
    const catalog = page.getByRole("table");
    const rows = catalog.locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    const text = (await catalog.textContent()) ?? "";
    for (const show of approvedShows) expect(text).toContain(show.venue);
    expect(text).not.toContain(rejected.venue);
    const editedRow = rows.filter({ hasText: edited.venue });
    await expect(editedRow.textContent()).resolves.toMatch(/8:45 pm.*KJ Edited Host/);
    await expect(editedRow.textContent()).resolves.toContain("admin");
    await saveScreenshot(page, "catalog");

    // A city narrows the list to its shows; the weekday too; clearing brings all back.
    await page.getByLabel("City").selectOption(bulkA.city ?? "");
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(bulkA.venue);
    expect(new URL(page.url()).searchParams.get("city")).toBe(bulkA.city);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByLabel("Day").selectOption(byRow.dayOfWeek);
    await expect.poll(() => rows.count()).toBe(approvedShows.filter((s) => s.dayOfWeek === byRow.dayOfWeek).length);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByLabel("Host").fill("edited");
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows.count()).toBe(4);

    // Export CSV: a download under the server's name whose rows are the catalog's shows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("showscan-catalog-shows.csv");
    const records = csvRecords(readFileSync(await download.path(), "utf8"));
    expect(records.map((r) => `${r.venueName}|${r.dayOfWeek}`).sort()).toEqual(
      approvedShows.map((s) => `${s.venue}|${s.dayOfWeek}`).sort(),
    );
    expect(records.find((r) => r.venueName === edited.venue)).toMatchObject({ startTime: "20:45", djName: "KJ Edited Host" });
    tab.expectNoConsoleErrors();
  });

  it("the batch page exports the batch's shows as CSV with their review states", async () => {
    const tab = await open("/history", service.tokens.admin);
    const { page } = tab;
    await page
      .getByRole("link", { name: /^Open batch/ })
      .first()
      .click();
    const results = page.getByRole("region", { name: "Results" });
    await results.getByRole("button", { name: "Export CSV" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), results.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^showscan-batch-[0-9a-f-]{36}-shows\.csv$/);
    const records = csvRecords(readFileSync(await download.path(), "utf8"));
    expect(records).toHaveLength(truth.length);
    const states = records.map((r) => r.review).sort();
    expect(states).toEqual(["approved", "approved", "approved", "approved", "pending", "pending", "rejected"]);
    tab.expectNoConsoleErrors();
  });

  it("the same screenshots again: answered from the cache, shows the catalog has known, the edited one changed, old value beside the new", async () => {
    const tab = await open("/admin", service.tokens.admin);
    const { page } = tab;
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers.slice(0, 3)));
    await page.getByRole("button", { name: "Analyse 3 screenshots" }).click();
    await waitForEnd(page, 3);
    const results = page.getByRole("region", { name: "Results" });
    await results.getByRole("button", { name: "Approve 0 selected" }).waitFor({ timeout: 15_000 });
    const rowOf = (show: TruthShow) =>
      results.getByRole("row").filter({ has: page.getByRole("checkbox", { name: `Select ${named(show)}` }) });
    const [known, rejected, edited] = [truth[1], truth[5], truth[6]];
    if (!known || !rejected || !edited) throw new Error("too few shows");
    await expect.poll(() => rowOf(known).getByText("known", { exact: true }).count()).toBe(1);
    await expect.poll(() => rowOf(rejected).getByText("new", { exact: true }).count()).toBe(1);
    const changes = rowOf(edited).getByRole("list", { name: "Changed since the catalog" });
    await expect.poll(() => changes.textContent()).toContain(`start 20:45 → ${edited.startTime}`);
    await expect(changes.textContent()).resolves.toContain(`host KJ Edited Host → ${edited.djName}`);
    await results.screenshot({ path: artifact("review-results-changed") });

    // Every picture was analysed in the first batch: each is answered from there, and says so.
    const grid = page.getByRole("list", { name: "Images" });
    await expect.poll(() => grid.getByRole("listitem", { name: /answered from the cache/ }).count()).toBe(3);
    await expect(grid.getByText("seen before, in an earlier batch").count()).resolves.toBe(3);
    await expect(page.getByLabel("Live figures").textContent()).resolves.toContain("From the cache3");
    await grid.screenshot({ path: artifact("review-cached-images") });
    tab.expectNoConsoleErrors();
  });

  it("an admin who ticks 'Analyse again even if seen before' has every screenshot analysed afresh", async () => {
    const tab = await open("/admin", service.tokens.admin);
    const { page } = tab;
    const before = service.fake.requests.length;
    await page.getByLabel("Screenshots", { exact: true }).setInputFiles(asFiles(flyers.slice(0, 3)));
    await page.getByLabel("Analyse again even if seen before").check();
    await saveScreenshot(page, "review-admin-form-skip-cache");
    await page.getByRole("button", { name: "Analyse 3 screenshots" }).click();
    await waitForEnd(page, 3);
    const grid = page.getByRole("list", { name: "Images" });
    await expect.poll(() => grid.locator(".tile.state-succeeded").count(), { timeout: 10_000 }).toBe(3);
    expect(await grid.getByRole("listitem", { name: /answered from the cache/ }).count()).toBe(0);
    expect(service.fake.requests.length - before).toBe(3);
    tab.expectNoConsoleErrors();
  });

  it("a user reads the catalog with no review controls; a 390 px phone shows it without sideways scrolling", async () => {
    const tab = await open("/catalog", await service.tokens.user("singer-1"), { width: 390, height: 844 });
    const { page } = tab;
    await page.getByRole("heading", { name: "Catalog" }).waitFor();
    await expect.poll(() => page.getByRole("table").locator("tbody tr").count(), { timeout: 10_000 }).toBe(4);
    expect(await page.getByRole("button", { name: /^(Approve|Reject|Edit)\b/ }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "catalog-phone");
    tab.expectNoConsoleErrors();
  });

  it("an empty catalog says how shows get there", async () => {
    const tab = await open("/catalog?city=Nowhere", service.tokens.admin);
    const { page } = tab;
    await expect.poll(() => page.locator("main").textContent(), { timeout: 10_000 }).toContain("No approved shows match these filters.");
    // Rejecting every approved show empties the catalog again; the page then says where shows come from.
    const api = createClient(service.url, service.tokens.admin);
    try {
      const batches = await api.client.batch.list.query({});
      for (const batch of batches.items) {
        const { shows } = await api.client.batch.results.query({ batchId: batch.id });
        const ids = shows.filter((s) => s.review === "approved").map((s) => s.id);
        if (ids.length) await api.client.review.reject.mutate({ itemIds: ids });
      }
    } finally {
      await api.close();
    }
    await page.goto(`${service.url}/catalog`);
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 10_000 })
      .toContain("Approve shows in a batch's results to add them here");
    await saveScreenshot(page, "catalog-empty");
    tab.expectNoConsoleErrors();
  });
});
