import { describe, expect, it } from "vitest";
import { allowedUpgradeOrigin } from "./ws-origin";

const req = (headers: Record<string, string>) => ({ headers });

describe("allowedUpgradeOrigin", () => {
  it("allows no Origin (CLI and Node clients) and the server's own origin", () => {
    expect(allowedUpgradeOrigin(req({ host: "127.0.0.1:3000" }))).toBe(true);
    expect(allowedUpgradeOrigin(req({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).toBe(true);
    expect(allowedUpgradeOrigin(req({ host: "Shows.Example:443", origin: "https://shows.example:443" }))).toBe(true);
  });

  it("refuses another site, another port, a null or malformed Origin, and a non-web scheme", () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:3001", "null", "not a url", "file://127.0.0.1:3000"]) {
      expect({ origin, allowed: allowedUpgradeOrigin(req({ host: "127.0.0.1:3000", origin })) }).toEqual({ origin, allowed: false });
    }
  });

  it("refuses an Origin when the request names no Host to compare it with", () => {
    expect(allowedUpgradeOrigin(req({ origin: "http://127.0.0.1:3000" }))).toBe(false);
  });
});
