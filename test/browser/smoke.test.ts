import { describe, expect, it } from "vitest";
import { newPage, saveScreenshot } from "./support/browser";
import { useWebSuite } from "./support/suite";

describe("the web client served by the service", () => {
  const ready = useWebSuite();

  it("loads with its title at 1280x800, with no console errors, on a service whose engine is gemini", async () => {
    const { browser, service } = await ready();
    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", engine: "gemini" });

    const tab = await newPage(browser, { width: 1280, height: 800 });
    try {
      const response = await tab.page.goto(`${service.url}/#token=${service.tokens.admin}`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(200);
      expect(await tab.page.title()).toBe("showscan");
      await expect.poll(() => tab.page.getByRole("banner").textContent()).toContain("reading with Gemini gemini-2.5-flash");
      await saveScreenshot(tab.page, "smoke-home");
      tab.expectNoConsoleErrors();
    } finally {
      await tab.close();
    }
  });

  it("does not scroll sideways on a 390x844 phone", async () => {
    const { browser, service } = await ready();
    const tab = await newPage(browser, { width: 390, height: 844 });
    try {
      await tab.page.goto(`${service.url}/#token=${service.tokens.admin}`, { waitUntil: "networkidle" });
      expect(await tab.page.title()).toBe("showscan");
      await saveScreenshot(tab.page, "smoke-phone");
      const scrollWidth = await tab.page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, "document width at 390 px (wider means horizontal scrolling)").toBeLessThanOrEqual(390);
      tab.expectNoConsoleErrors();
    } finally {
      await tab.close();
    }
  });
});
