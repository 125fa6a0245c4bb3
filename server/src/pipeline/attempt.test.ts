import { describe, expect, it } from "vitest";
import type { Engine } from "../engines/types";
import type { WorkerPool } from "../pool/pool";
import type { PreparedBytes } from "../pool/prepare";
import { runAttempt, type AttemptDeps, type HeldClaim } from "./attempt";
import type { QuotaGate } from "./quota";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const claim = { imageId: "image", fileName: "a.png", model: null, geminiRpm: null } as HeldClaim;
const content = Buffer.from([1]);

const prepared: PreparedBytes = {
  ok: true,
  bytes: new Uint8Array([1]),
  mimeType: "image/jpeg",
  width: 10,
  height: 10,
  sha256: "sha",
  phash: "0".repeat(16),
  fingerprint: "0".repeat(4096),
  workMs: 5,
};

function harness(opts: { quotaWaitMs?: number; prepareMs?: number; engineMs?: number } = {}) {
  const calls: string[] = [];
  const pool = {
    prepare: async () => {
      calls.push("prepare");
      await sleep(opts.prepareMs ?? 0);
      return prepared;
    },
  } as unknown as WorkerPool;
  const engine: Engine = {
    name: "gemini",
    model: "m",
    analyze: async () => {
      calls.push("engine");
      await sleep(opts.engineMs ?? 0);
      return {
        extraction: { shows: [], venues: [], djs: [], vendors: [] },
        usage: { promptTokens: 1, outputTokens: 1, model: "m", httpStatus: 200 },
      };
    },
  };
  const quota: QuotaGate = {
    acquire: async () => {
      calls.push("quota");
      await sleep(opts.quotaWaitMs ?? 0);
      return (opts.quotaWaitMs ?? 0) > 0;
    },
    pauseFor: () => {},
  };
  const deps = (cache: AttemptDeps["cache"]): AttemptDeps => ({
    engine,
    pool,
    quota,
    timeoutMs: 5_000,
    cache,
    enterWindow: async () => {
      calls.push("window");
      return () => {
        calls.push("leave");
      };
    },
  });
  return { calls, deps };
}

describe("one attempt", () => {
  it("answers a cache hit after prepare, spending no quota and making no request", async () => {
    const { calls, deps } = harness();
    const find = async (p: PreparedBytes) => {
      calls.push(`lookup ${p.sha256}`);
      return { imageId: "earlier", extraction: { shows: [] } };
    };
    const result = await runAttempt(claim, content, deps({ analysisKey: "k", find }), new AbortController().signal);
    expect(calls).toEqual(["prepare", "lookup sha"]);
    expect(result).toMatchObject({ ok: true, source: "cache", hit: { imageId: "earlier" }, analysisKey: "k" });
  });

  it("goes to the engine on a miss, or with no lookup at all, and keeps the key for storing", async () => {
    const { calls, deps } = harness();
    const miss = await runAttempt(claim, content, deps({ analysisKey: "k", find: async () => null }), new AbortController().signal);
    expect(miss).toMatchObject({ ok: true, source: "engine", analysisKey: "k" });
    const fresh = await runAttempt(claim, content, deps({ analysisKey: "k", find: null }), new AbortController().signal);
    expect(fresh).toMatchObject({ ok: true, source: "engine", analysisKey: "k" });
    const none = await runAttempt(claim, content, deps(null), new AbortController().signal);
    expect(none).toMatchObject({ ok: true, source: "engine", analysisKey: null });
    const once = ["prepare", "window", "quota", "engine", "leave"];
    expect(calls).toEqual([...once, ...once, ...once]);
  });

  it("measures prepare and the engine call, not the quota wait", async () => {
    const { deps } = harness({ prepareMs: 40, quotaWaitMs: 300, engineMs: 60 });
    const result = await runAttempt(claim, content, deps(null), new AbortController().signal);
    expect(result.latencyMs).toBeGreaterThanOrEqual(95);
    expect(result.latencyMs).toBeLessThan(250);
  });
});
