import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";
import { startService, testTokens, type TestService } from "../support/harness";

/**
 * The headers every answer carries (the web client's page, its files, the API) and the
 * WebSocket's Origin check, with a raw `ws` client so the upgrade itself is seen.
 */

/** How the upgrade ended: opened, or the HTTP status it was refused with. */
function upgrade(url: string, origin?: string): Promise<{ opened: true } | { opened: false; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once("open", () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once("unexpected-response", (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once("error", (error) => reject(error));
  });
}

describe("security headers and the WebSocket's Origin check", () => {
  let fake: FakeGemini;
  let service: TestService;
  let webDist: string;
  let token: string;

  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), "showscan-web-"));
    writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>showscan</title>");
    writeFileSync(path.join(webDist, "app.js"), "console.log('hi');");
    fake = await startFakeGemini();
    service = await startService({ fake, listen: true, config: { webDist } });
    token = await testTokens.sign({ sub: "headers-user", role: "user" });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  const answers = () => [
    { what: "the page", res: fetch(`${service.url}/`) },
    { what: "a client route", res: fetch(`${service.url}/batches/123`) },
    { what: "a static file", res: fetch(`${service.url}/app.js`) },
    { what: "tRPC", res: fetch(`${service.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } }) },
    { what: "tRPC refused", res: fetch(`${service.url}/trpc/auth.me`) },
    { what: "REST refused", res: fetch(`${service.url}/api/export/catalog/shows.json`) },
    { what: "an unknown API route", res: fetch(`${service.url}/api/nothing`) },
    { what: "health", res: fetch(`${service.url}/healthz`) },
  ];

  it("sends helmet's headers and the Content-Security-Policy on pages and API answers alike", async () => {
    for (const { what, res } of answers()) {
      const headers = (await res).headers;
      expect({ what, headers: Object.fromEntries(headers) }).toMatchObject({
        what,
        headers: {
          "content-security-policy": expect.any(String),
          "x-content-type-options": "nosniff",
          "x-frame-options": "DENY",
          "referrer-policy": "no-referrer",
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-resource-policy": "same-origin",
          "strict-transport-security": expect.stringMatching(/^max-age=\d+/),
        },
      });
      expect(headers.get("x-powered-by")).toBeNull();
    }
  });

  it("the CSP allows only the service's own scripts, styles and API, no inline script, no framing", async () => {
    const csp = (await fetch(`${service.url}/`)).headers.get("content-security-policy")!;
    const directives = Object.fromEntries(
      csp.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")];
      }),
    );
    expect(directives).toMatchObject({
      "default-src": "'self'",
      "script-src": "'self'",
      "script-src-attr": "'none'",
      "style-src": "'self'",
      "img-src": "'self' data: blob:",
      "connect-src": "'self'",
      "object-src": "'none'",
      "frame-ancestors": "'none'",
      "base-uri": "'self'",
    });
    // Served over plain HTTP by default: upgrading its own requests would break them all.
    expect(directives).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("refuses a WebSocket upgrade from another origin with 403, before any socket opens", async () => {
    const ws = `${service.url!.replace(/^http/, "ws")}/trpc`;
    for (const origin of ["http://evil.example", "null", `http://localhost.evil.example:${new URL(service.url!).port}`]) {
      expect({ origin, outcome: await upgrade(ws, origin) }).toEqual({ origin, outcome: { opened: false, status: 403 } });
    }
    expect(service.app.server.listening).toBe(true);
  });

  it("lets in clients that send no Origin and pages of the server's own origin", async () => {
    const ws = `${service.url!.replace(/^http/, "ws")}/trpc`;
    expect(await upgrade(ws)).toEqual({ opened: true });
    expect(await upgrade(ws, service.url!)).toEqual({ opened: true });
  });
});
