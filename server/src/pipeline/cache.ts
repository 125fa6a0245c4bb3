import { findCacheCandidates, type CacheCandidate, type Executor } from "@showscan/db";
import { PROMPT_VERSION } from "../engines/gemini/prompt";
import { OFFLINE_ENGINE_VERSION } from "../engines/offline/version";
import type { Engine } from "../engines/types";
import { fingerprintDistance } from "../pool/fingerprint";
import type { PreparedBytes } from "../pool/prepare";

/** An earlier analysis of the same picture. */
export interface CacheHit {
  /** The image really analysed. */
  imageId: string;
  extraction: unknown;
}

const ENGINE_VERSIONS: Record<string, string> = { gemini: PROMPT_VERSION, offline: OFFLINE_ENGINE_VERSION };

/**
 * What an answer is stored and found under: the engine, the model it ran (the batch's, else the
 * engine's own) and the version of what it was asked. An engine with no known version shares no
 * answers (null): nothing says two of its readings would agree.
 */
export function analysisKey(engine: Pick<Engine, "name" | "model">, batchModel: string | null): string | null {
  const version = ENGINE_VERSIONS[engine.name];
  if (version === undefined) return null;
  return `${engine.name}/${batchModel ?? engine.model ?? "default"}/${version}`;
}

/*
 * How close is the same picture. Measured through prepareImage on 450 flyers of
 * test/support/flyers.ts (generateFlyers(90, seed) for seeds 1, 7, 42, 99, 2024: 101,025 pairs of
 * distinct flyers) and on 600 plain test pictures (test/support/images.ts distinctImages, 60 each
 * of ten prefixes), each against copies of itself re-encoded and resized: JPEG q70 at 80 %, q85,
 * q50 at 60 %, q30 at 40 %, q70 at 120 %, PNG at 70 %, WebP q60.
 * - 64-bit perceptual hash, differing bits. Flyer copies: 5 at most for q70 at 80 %, 8 for the
 *   worst (q30 at 40 %, PNG at 70 %). Distinct flyers: 1 pair at 0, 9 at 1, 23 at 2, 71 at 3, and
 *   4,047 pairs within 10 bits and of the same shape. Flyers of one template share the layout the
 *   hash sees: no bit count separates them from copies.
 * - fingerprint, grey (pool/fingerprint.ts), largest difference of a pixel of 255: flyer copies 12
 *   at most for q70 at 80 %, 21 for the worst; those 4,047 distinct pairs 83 at least.
 * - The plain pictures (flat colour, one line of text) are harder: copies up to 28 grey levels for
 *   q70 at 80 % (49 for q50 at 60 %, 76 for q30 at 40 %), while pictures whose text is cut off at
 *   the same letters and whose colours have about the same brightness differ by as little as 3
 *   grey levels. Their colours tell them apart: the 8 x 8 colour thumbnails of copies differ by 9
 *   at most for q70 at 80 % (17 for q50), distinct pictures by 5 and up, and only one pair of 600
 *   pictures is within both thresholds below (the same cut-off text on colours 7 levels apart).
 * So a near match needs all three: the hash within 10 bits picks the candidates (every flyer copy,
 * 595 of 600 plain copies at q70 and 80 %), then grey within 32 and colour within 16 decide. A
 * false hit gives a user another flyer's shows, so the grey threshold sits near the copies' worst
 * (21, 28), not halfway to the distinct flyers' best (83); harsher copies of the plain pictures
 * miss, which costs a request, not a wrong answer. What no threshold separates: pictures that
 * differ in a few faint characters only; an admin's skipCache is the way out.
 */
export const MAX_PHASH_DISTANCE = 10;
export const MAX_GREY_DIFFERENCE = 32;
export const MAX_COLOUR_DIFFERENCE = 16;
/** Copies keep their shape within 0.12 %; the fingerprint is square and cannot see the shape. */
const MAX_ASPECT_DIFFERENCE = 0.01;
/**
 * Near candidates checked per lookup. Many flyers of one template can all be within the hash
 * distance; the closest come first, and a copy is among the closest, so a bounded list loses
 * little and keeps a lookup's cost fixed.
 */
const CANDIDATES = 32;

/**
 * The earlier analysis of the same picture, if any: same bytes, or a near copy by every check.
 * Two copies analysed at the same time (two batches, two processes) both miss and both go to the
 * engine: waiting for the other's answer would hold a slot for an answer that may never come.
 */
export async function findCached(
  db: Executor,
  probe: { imageId: string; analysisKey: string; prepared: PreparedBytes },
): Promise<CacheHit | null> {
  const { prepared } = probe;
  const candidates = await findCacheCandidates(db, {
    analysisKey: probe.analysisKey,
    imageId: probe.imageId,
    sha256: prepared.sha256,
    phash: prepared.phash,
    width: prepared.width,
    height: prepared.height,
    maxPhashDistance: MAX_PHASH_DISTANCE,
    maxAspectDifference: MAX_ASPECT_DIFFERENCE,
    limit: CANDIDATES,
  });
  return pickMatch(prepared.fingerprint, candidates);
}

/** The exact match, else the near candidate within both fingerprint thresholds whose grey is closest. */
export function pickMatch(fingerprint: string, candidates: readonly CacheCandidate[]): CacheHit | null {
  const exact = candidates.find((c) => c.exact);
  if (exact) return { imageId: exact.originId, extraction: exact.extraction };
  let best: { candidate: CacheCandidate; grey: number } | null = null;
  for (const candidate of candidates) {
    const distance = candidate.fingerprint === null ? null : fingerprintDistance(fingerprint, candidate.fingerprint);
    if (distance === null || distance.grey > MAX_GREY_DIFFERENCE || distance.colour > MAX_COLOUR_DIFFERENCE) continue;
    // Candidates come closest hash first, then most recent: a tie keeps the earlier one.
    if (!best || distance.grey < best.grey) best = { candidate, grey: distance.grey };
  }
  return best ? { imageId: best.candidate.originId, extraction: best.candidate.extraction } : null;
}
