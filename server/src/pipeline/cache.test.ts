import type { CacheCandidate } from "@showscan/db";
import { describe, expect, it } from "vitest";
import { COLOUR_SIDE, GREY_SIDE } from "../pool/fingerprint";
import { analysisKey, MAX_COLOUR_DIFFERENCE, MAX_GREY_DIFFERENCE, pickMatch } from "./cache";

const hex = (v: number) => v.toString(16).padStart(2, "0");
/** A fingerprint of a flat picture: every grey pixel at `grey`, every colour value at `colour`. */
const flat = (grey: number, colour = 128) => hex(grey).repeat(GREY_SIDE ** 2) + hex(colour).repeat(COLOUR_SIDE ** 2 * 3);

const candidate = (over: Partial<CacheCandidate>): CacheCandidate => ({
  originId: "origin",
  matchedId: "matched",
  exact: false,
  phashDistance: 0,
  fingerprint: flat(100),
  extraction: { shows: [] },
  ...over,
});

describe("the analysis key", () => {
  it("names engine, model and version; the batch's model wins over the engine's", () => {
    const gemini = { name: "gemini", model: "gemini-2.5-flash" };
    expect(analysisKey(gemini, null)).toMatch(/^gemini\/gemini-2\.5-flash\/[0-9a-f]{12}$/);
    expect(analysisKey(gemini, "gemini-2.5-pro")).toMatch(/^gemini\/gemini-2\.5-pro\//);
    expect(analysisKey({ name: "offline", model: "tesseract-eng" }, null)).toBe("offline/tesseract-eng/2");
  });

  it("is null for an engine with no known version: its answers are not shared", () => {
    expect(analysisKey({ name: "scripted", model: null }, null)).toBeNull();
  });
});

describe("picking a cache match", () => {
  it("takes the exact match first, naming the image really analysed", () => {
    const hit = pickMatch(flat(0), [
      candidate({ originId: "near", fingerprint: flat(0) }),
      candidate({ originId: "exact-origin", matchedId: "exact-copy", exact: true, fingerprint: null, extraction: "x" }),
    ]);
    expect(hit).toEqual({ imageId: "exact-origin", extraction: "x" });
  });

  it("takes a near match only within both fingerprint thresholds, the closest grey first", () => {
    const far = candidate({ originId: "far", fingerprint: flat(100 + MAX_GREY_DIFFERENCE + 1) });
    const recoloured = candidate({ originId: "recoloured", fingerprint: flat(100, 128 + MAX_COLOUR_DIFFERENCE + 1) });
    expect(pickMatch(flat(100), [far, recoloured])).toBeNull();
    const edge = candidate({ originId: "edge", fingerprint: flat(100 + MAX_GREY_DIFFERENCE, 128 + MAX_COLOUR_DIFFERENCE) });
    const close = candidate({ originId: "close", phashDistance: 4, fingerprint: flat(105) });
    expect(pickMatch(flat(100), [far, edge, close])?.imageId).toBe("close");
    expect(pickMatch(flat(100), [edge, candidate({ originId: "tie", fingerprint: flat(100 - MAX_GREY_DIFFERENCE) })])?.imageId).toBe(
      "edge",
    );
  });

  it("never matches a near image without a fingerprint (stored before fingerprints were kept)", () => {
    expect(pickMatch(flat(100), [candidate({ fingerprint: null })])).toBeNull();
  });
});
