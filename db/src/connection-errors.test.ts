import { describe, expect, it } from "vitest";
import { isConnectionError } from "./connection-errors";

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe("isConnectionError", () => {
  it("knows a lost or refused connection, also wrapped in a query error's cause", () => {
    expect(isConnectionError(withCode("CONNECTION_CLOSED"))).toBe(true);
    expect(isConnectionError(withCode("ECONNREFUSED"))).toBe(true);
    expect(isConnectionError(withCode("57P01"))).toBe(true);
    expect(isConnectionError(new Error("Failed query: select 1", { cause: withCode("ECONNRESET") }))).toBe(true);
  });

  it("does not take a refused statement or a plain error for one", () => {
    expect(isConnectionError(withCode("23505"))).toBe(false);
    expect(isConnectionError(withCode("42P01"))).toBe(false);
    expect(isConnectionError(new Error("boom"))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});
