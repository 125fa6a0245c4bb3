import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { newPage, saveScreenshot } from "./support/browser";
import { useWebSuite } from "./support/suite";

const SAMPLES = fileURLToPath(new URL("../../samples/", import.meta.url));
const truth = JSON.parse(readFileSync(`${SAMPLES}truth.json`, "utf8")) as { file: string; shows: { venue: string }[] }[];

/** A newcomer's first minute: no key, an empty database, the shipped samples one click away. */
describe("the first-run demo with the offline engine", () => {
  const ready = useWebSuite({ env: { ENGINE: "offline" } });

  it("offers the samples on an empty database, analyses them offline with one click and lists their shows", async () => {
    const { browser, service } = await ready();
    const tab = await newPage(browser, { width: 1280, height: 900 });
    try {
      const { page } = tab;
      await page.goto(`${service.url}/admin#token=${service.tokens.admin}`);
      await expect.poll(() => page.getByRole("banner").textContent()).toContain("reading with offline OCR");
      await expect
        .poll(() => page.getByRole("note").textContent())
        .toContain("A Gemini key (GEMINI_API_KEY) gives better results on hard images");
      const offer = page.getByRole("region", { name: "Try the samples" });
      await offer.waitFor();
      await saveScreenshot(page, "demo-offer");
      await offer.getByRole("button", { name: `Analyse the ${truth.length} samples` }).click();

      const bar = page.getByRole("progressbar", { name: "Images analysed" });
      await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 120_000 }).toBe(truth.length);
      const results = page.getByRole("region", { name: "Results" });
      const venues = [...new Set(truth.flatMap((t) => t.shows.map((s) => s.venue)))];
      // The table refreshes once more when the batch has ended: read it then.
      await results.getByRole("heading", { name: "Merged results", exact: true }).waitFor({ timeout: 15_000 });
      await expect
        .poll(
          async () => {
            const text = (await results.textContent()) ?? "";
            return venues.filter((v) => !text.includes(v));
          },
          { timeout: 15_000 },
        )
        .toEqual([]);
      await saveScreenshot(page, "demo-done");

      // Once something has been analysed the offer is gone.
      await page.goto(`${service.url}/admin`);
      await page.getByRole("heading", { name: "Admin parser" }).waitFor();
      await page.getByLabel("Screenshots", { exact: true }).waitFor({ state: "attached" });
      expect(await page.getByRole("region", { name: "Try the samples" }).count()).toBe(0);
      tab.expectNoConsoleErrors();
    } finally {
      await tab.close();
    }
  }, 180_000);
});
