import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env";

const KEY = "AIzaTestKey0000000000000000000000000000";

/** Runs loadEnv and returns the EnvError it throws (fails the test if it does not throw one). */
function envError(source: NodeJS.ProcessEnv): EnvError {
  try {
    loadEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error(`loadEnv accepted ${JSON.stringify(source)}`);
}

describe("loadEnv defaults (DESIGN.md, Environment)", () => {
  it("uses the documented defaults for an empty environment", () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe(".data");
    expect(env.GEMINI_API_KEY).toBeUndefined();
    expect(env.GEMINI_BASE_URL).toBeUndefined();
    expect(env.GEMINI_MODEL).toMatch(/flash/i);
    expect(env.JWT_SECRET).toBeUndefined();
    expect(env.GEMINI_RPM).toBeUndefined();
    expect(env.MAX_CONCURRENCY).toBe(16);
    expect(env.IMAGE_TIMEOUT_MS).toBe(30_000);
    expect(env.MAX_RETRIES).toBe(3);
    expect(env.SHUTDOWN_GRACE_MS).toBe(8_000);
  });

  it("selects the offline engine without a key", () => {
    expect(loadEnv({}).ENGINE).toBe("offline");
  });

  it("selects the gemini engine with a key", () => {
    const env = loadEnv({ GEMINI_API_KEY: KEY });
    expect(env.ENGINE).toBe("gemini");
    expect(env.GEMINI_API_KEY).toBe(KEY);
  });

  it("lets ENGINE force offline even with a key", () => {
    expect(loadEnv({ GEMINI_API_KEY: KEY, ENGINE: "offline" }).ENGINE).toBe("offline");
  });

  it("ignores variables it does not know (the real environment holds many)", () => {
    expect(loadEnv({ PATH: "/usr/bin", HOME: "/root" }).PORT).toBe(3000);
  });
});

describe("loadEnv parsing", () => {
  it("coerces numbers from strings", () => {
    const env = loadEnv({ PORT: "8080", MAX_CONCURRENCY: "4", IMAGE_TIMEOUT_MS: "5000", MAX_RETRIES: "0", GEMINI_RPM: "15" });
    expect(env).toMatchObject({ PORT: 8080, MAX_CONCURRENCY: 4, IMAGE_TIMEOUT_MS: 5000, MAX_RETRIES: 0, GEMINI_RPM: 15 });
  });

  it("accepts a postgres DATABASE_URL in both spellings", () => {
    expect(loadEnv({ DATABASE_URL: "postgres://u:p@localhost:5432/showscan" }).DATABASE_URL).toBe("postgres://u:p@localhost:5432/showscan");
    expect(loadEnv({ DATABASE_URL: "postgresql://localhost/showscan" }).DATABASE_URL).toBe("postgresql://localhost/showscan");
  });

  it("accepts a GEMINI_BASE_URL pointing at a local fake", () => {
    expect(loadEnv({ GEMINI_BASE_URL: "http://127.0.0.1:9999" }).GEMINI_BASE_URL).toBe("http://127.0.0.1:9999");
  });

  it("treats empty strings as unset", () => {
    const env = loadEnv({
      PORT: "",
      HOST: "",
      DATABASE_URL: "",
      GEMINI_API_KEY: "",
      ENGINE: "",
      MAX_RETRIES: "",
      JWT_SECRET: "",
      GEMINI_RPM: "",
    });
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.GEMINI_API_KEY).toBeUndefined();
    expect(env.ENGINE).toBe("offline");
    expect(env.MAX_RETRIES).toBe(3);
    expect(env.JWT_SECRET).toBeUndefined();
    expect(env.GEMINI_RPM).toBeUndefined();
  });
});

describe("loadEnv with whitespace-only values", () => {
  /** A blank value must be either treated as unset or rejected, never read as 0 or as a key. */
  const outcome = (source: NodeJS.ProcessEnv) => {
    try {
      return loadEnv(source);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      return "rejected" as const;
    }
  };

  it("PORT=' ' does not become port 0", () => {
    const env = outcome({ PORT: " " });
    if (env !== "rejected") expect(env.PORT).toBe(3000);
  });

  it("MAX_RETRIES=' ' does not silently disable retries", () => {
    const env = outcome({ MAX_RETRIES: " " });
    if (env !== "rejected") expect(env.MAX_RETRIES).toBe(3);
  });

  it("GEMINI_API_KEY=' ' does not select the gemini engine", () => {
    const env = outcome({ GEMINI_API_KEY: " " });
    if (env !== "rejected") expect(env.ENGINE).toBe("offline");
  });
});

describe("loadEnv rejects bad values with an EnvError naming the variable", () => {
  it.each(["abc", "70000", "-1", "80.5"])("PORT=%s", (PORT) => {
    expect(envError({ PORT }).message).toContain("PORT");
  });

  it.each(["mysql://localhost/db", "not a url", "http://localhost:5432/db"])("DATABASE_URL=%s", (DATABASE_URL) => {
    expect(envError({ DATABASE_URL }).message).toContain("DATABASE_URL");
  });

  it.each(["-1", "11", "many", "2.5"])("MAX_RETRIES=%s", (MAX_RETRIES) => {
    expect(envError({ MAX_RETRIES }).message).toContain("MAX_RETRIES");
  });

  it("MAX_RETRIES accepts the range ends 0 and 10", () => {
    expect(loadEnv({ MAX_RETRIES: "0" }).MAX_RETRIES).toBe(0);
    expect(loadEnv({ MAX_RETRIES: "10" }).MAX_RETRIES).toBe(10);
  });

  it.each([
    ["OVERLOAD_LAG_MS", "5"],
    ["OVERLOAD_LAG_MS", "fast"],
    ["MAX_RSS_MB", "10"],
    ["MAX_RSS_MB", "1.5"],
  ])("%s=%s", (name, value) => {
    expect(envError({ [name]: value }).message).toContain(name);
  });

  it("reads OVERLOAD_LAG_MS and MAX_RSS_MB, unset by default (the load monitor's own defaults apply)", () => {
    expect(loadEnv({ OVERLOAD_LAG_MS: "150", MAX_RSS_MB: "2048" })).toMatchObject({ OVERLOAD_LAG_MS: 150, MAX_RSS_MB: 2048 });
    const env = loadEnv({});
    expect(env.OVERLOAD_LAG_MS).toBeUndefined();
    expect(env.MAX_RSS_MB).toBeUndefined();
  });

  it("MAX_CONCURRENCY=0", () => {
    expect(envError({ MAX_CONCURRENCY: "0" }).message).toContain("MAX_CONCURRENCY");
  });

  it("ENGINE that is not gemini or offline", () => {
    expect(envError({ ENGINE: "openai" }).message).toContain("ENGINE");
  });

  it("ENGINE=gemini without a key", () => {
    const error = envError({ ENGINE: "gemini" });
    expect(error.message).toContain("GEMINI_API_KEY");
  });

  it("ENGINE=gemini with an empty key", () => {
    expect(envError({ ENGINE: "gemini", GEMINI_API_KEY: "" }).message).toContain("GEMINI_API_KEY");
  });

  it("a short JWT_SECRET", () => {
    expect(envError({ JWT_SECRET: "short" }).message).toContain("JWT_SECRET");
  });

  it("names every bad variable at once", () => {
    const { message } = envError({ PORT: "abc", MAX_RETRIES: "99", DATABASE_URL: "mysql://x/y" });
    expect(message).toContain("PORT");
    expect(message).toContain("MAX_RETRIES");
    expect(message).toContain("DATABASE_URL");
  });

  it("is an Error whose name is EnvError", () => {
    const error = envError({ PORT: "abc" });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("EnvError");
  });
});
