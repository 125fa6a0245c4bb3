import { findImageAccess, getImageContent, getImageThumbnail, saveImageThumbnail } from "@showscan/db";
import type { User } from "../auth/tokens";
import type { Services } from "../services";

export type ImageKind = "original" | "thumbnail";

/** The image if `viewer` may see it (its batch's owner, or an admin); null answers like an unknown id. */
export async function findViewableImage(db: Services["db"], viewer: User, imageId: string) {
  const image = await findImageAccess(db, imageId);
  return image && (viewer.role === "admin" || image.owner === viewer.sub) ? image : null;
}

/** A strong validator per image and size: the bytes of an image never change, so its SHA-256 names them. */
export const imageEtag = (sha256: string, kind: ImageKind) => `"${sha256}${kind === "thumbnail" ? "-320" : ""}"`;

export type ImageBytes = { ok: true; bytes: Buffer } | { ok: false; status: 404 | 422; reason: string };

/**
 * The stored bytes, or the thumbnail: made in the worker pool on the first request and stored,
 * served from the row afterwards. Two first requests at once may both make it; they store the
 * same bytes, so the race costs one extra resize and nothing else.
 */
export async function imageBytes(
  services: Pick<Services, "db" | "pool">,
  imageId: string,
  kind: ImageKind,
  signal: AbortSignal,
): Promise<ImageBytes> {
  const gone = { ok: false, status: 404, reason: `no image ${imageId}` } as const;
  if (kind === "thumbnail") {
    const stored = await getImageThumbnail(services.db, imageId);
    if (stored) return { ok: true, bytes: stored };
  }
  const content = await getImageContent(services.db, imageId);
  if (!content) return gone;
  if (kind === "original") return { ok: true, bytes: content };
  const made = await services.pool.thumbnail({ bytes: new Uint8Array(content) }, signal);
  if (!made.ok) return { ok: false, status: 422, reason: made.reason };
  const bytes = Buffer.from(made.bytes.buffer, made.bytes.byteOffset, made.bytes.byteLength);
  await saveImageThumbnail(services.db, imageId, bytes);
  return { ok: true, bytes };
}
