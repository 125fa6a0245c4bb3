import { readdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { distinctImages } from "../support/images";
import { newPage } from "./support/browser";
import { WEB_INDEX } from "./support/global-build";
import { useWebSuite } from "./support/suite";
import { BROWSER_JWT_SECRET } from "./support/web-service";

/**
 * The web client under the service's Content-Security-Policy, and what it does with names a
 * screenshot (or a model told to by one) makes up: markup is shown as text, never made into
 * elements, and no script of it runs.
 */

const KEY = "AIzaSy-BROWSER-KEY-7c4a8d09ca3762af61e5";
const XSS_VENUE = "<img src=x onerror=alert(1)>";
const XSS_HOST = `KJ <img src=x onerror="window.__pwned=1">`;
const XSS_CITY = "<script>window.__pwned=2</script>";

const extraction = {
  shows: [
    {
      venueName: XSS_VENUE,
      dayOfWeek: "friday",
      startTime: "21:00",
      endTime: "01:00",
      date: null,
      djName: XSS_HOST,
      vendor: "<b>bold</b> Karaoke",
      description: "<iframe src=javascript:alert(4)></iframe>",
      confidence: 0.9,
    },
  ],
  venues: [{ name: XSS_VENUE, address: "1 Main St", city: XSS_CITY, state: "OH", zip: null, phone: null, website: null, confidence: 0.9 }],
  djs: [{ name: XSS_HOST, aliases: [], socialHandles: [], confidence: 0.8 }],
  vendors: [{ name: "<b>bold</b> Karaoke", website: null, description: null, confidence: 0.7 }],
};

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

describe("the web client's security in Chromium", () => {
  const ready = useWebSuite({ apiKey: KEY, answer: () => ({ json: extraction }) });

  it("every page loads and works under the Content-Security-Policy, with no violation", async () => {
    const { browser, service } = await ready();
    const tab = await newPage(browser, { width: 1280, height: 900 });
    try {
      const violations = await watchCsp(tab.page);
      for (const route of ["/admin", "/submit", "/history", "/catalog", "/reports", "/settings"]) {
        const response = await tab.page.goto(`${service.url}${route}#token=${service.tokens.admin}`, { waitUntil: "networkidle" });
        expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
        await tab.page.getByRole("heading").first().waitFor({ timeout: 10_000 });
        expect({ route, violations: await violations() }).toEqual({ route, violations: [] });
      }
      tab.expectNoConsoleErrors();
    } finally {
      await tab.close();
    }
  });

  it("shows a venue named <img src=x onerror=alert(1)> as text: no element made, no script run", async () => {
    const { browser, service } = await ready();
    const [image] = await distinctImages(1, "browser-xss");
    const { batchId } = await service.runtime.app.submit({ owner: "admin", files: [image!] }, "admin");
    const tab = await newPage(browser, { width: 1280, height: 900 });
    const dialogs: string[] = [];
    tab.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      const violations = await watchCsp(tab.page);
      await tab.page.goto(`${service.url}/batches/${batchId}#token=${service.tokens.admin}`);
      // Shown as its characters, in the results the batch page lays out.
      await expect.poll(() => tab.page.getByText(XSS_VENUE).count(), { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => tab.page.getByText(XSS_HOST).count(), { timeout: 10_000 }).toBeGreaterThan(0);

      const made = await tab.page.evaluate(() => ({
        imgX: document.querySelectorAll('img[src="x"], img[onerror]').length,
        scripts: [...document.querySelectorAll("script")].filter((s) => s.textContent?.includes("__pwned")).length,
        iframes: document.querySelectorAll("iframe").length,
        bold: [...document.querySelectorAll("b")].filter((b) => b.textContent === "bold").length,
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      }));
      expect(made).toEqual({ imgX: 0, scripts: 0, iframes: 0, bold: 0, pwned: null });
      expect(dialogs).toEqual([]);
      expect(await violations()).toEqual([]);
      tab.expectNoConsoleErrors();
    } finally {
      await tab.close();
    }
  });

  it("serves no file that holds the Gemini key or the JWT secret", async () => {
    const { service } = await ready();
    const dist = path.dirname(WEB_INDEX);
    const files = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
    expect(files).toContain("index.html");
    expect(files.some((f) => f.endsWith(".js"))).toBe(true);
    for (const file of [...files, "", "admin", "batches/x"]) {
      const res = await fetch(`${service.url}/${file}`);
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
      const text = Buffer.from(await res.arrayBuffer()).toString("latin1");
      expect({ file, key: text.includes(KEY), secret: text.includes(BROWSER_JWT_SECRET) }).toEqual({ file, key: false, secret: false });
    }
  });
});
