import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { images } from "../schema";

export interface CacheProbe {
  /** Engine, model and prompt version: answers are only reused under the same ones. */
  analysisKey: string;
  sha256: string;
  /** 16 hex digits. */
  phash: string;
  width: number;
  height: number;
  /** The image asking; never its own match. */
  imageId: string;
  /** Most differing bits of the 64-bit perceptual hashes for a near match. */
  maxPhashDistance: number;
  /** Most relative difference of the aspect ratios for a near match (0.01: 1 %). */
  maxAspectDifference: number;
  limit: number;
}

export interface CacheCandidate {
  /** The image whose analysis this is: a match that was itself answered from the cache names its origin. */
  originId: string;
  /** The image that matched. */
  matchedId: string;
  /** Same bytes. */
  exact: boolean;
  phashDistance: number;
  /** Null for images stored before fingerprints were kept: they can only match exactly. */
  fingerprint: string | null;
  extraction: unknown;
}

/**
 * Analysed images that may show the same picture: the same bytes, or a perceptual hash within
 * `maxPhashDistance` and the same shape. Exact matches first, then the closest, then the most
 * recent. Only succeeded images count, so nothing of a batch still running is reused before it
 * has its answer. The near matches are a scan over the key's succeeded images (no index can
 * serve a Hamming distance), reading each row's 16-digit hash; only the candidates' fingerprints
 * are read.
 * The fine check of the candidates is the caller's.
 */
export async function findCacheCandidates(db: Executor, probe: CacheProbe): Promise<CacheCandidate[]> {
  const distance = sql`bit_count(('x' || ${images.phash})::bit(64) # ('x' || ${probe.phash})::bit(64))`;
  const sameShape = sql`abs(${images.width}::float8 * ${probe.height} - ${images.height}::float8 * ${probe.width})
    <= ${probe.maxAspectDifference} * ${images.width}::float8 * ${probe.height}`;
  const rows = await db.execute<{
    matched_id: string;
    origin_id: string;
    exact: boolean;
    distance: number | null;
    fingerprint: string | null;
    extraction: unknown;
  }>(sql`
    select ${images.id} as matched_id, coalesce(${images.cachedFrom}, ${images.id}) as origin_id,
      ${images.sha256} = ${probe.sha256} as exact,
      case when ${images.phash} is not null then ${distance}::int end as distance,
      ${images.fingerprint} as fingerprint,
      ${images.extraction} as extraction
    from ${images}
    where ${images.analysisKey} = ${probe.analysisKey} and ${images.status} = 'succeeded' and ${images.extraction} is not null
      and ${images.id} <> ${probe.imageId}
      and (${images.sha256} = ${probe.sha256}
        or (${images.phash} is not null and ${images.width} > 0 and ${images.height} > 0 and ${distance} <= ${probe.maxPhashDistance} and ${sameShape}))
    order by exact desc, distance asc nulls last, ${images.finishedAt} desc nulls last
    limit ${probe.limit}`);
  return rows.map((r) => ({
    originId: r.origin_id,
    matchedId: r.matched_id,
    exact: r.exact,
    phashDistance: r.distance ?? 0,
    fingerprint: r.fingerprint,
    extraction: r.extraction,
  }));
}

/** Images of a batch answered from the cache. */
export async function countCachedImages(db: Executor, batchId: string): Promise<number> {
  return db.$count(images, and(eq(images.batchId, batchId), isNotNull(images.cachedFrom)));
}
