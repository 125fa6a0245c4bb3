import type { ImageLinks } from "../auth/image-links";
import type { User } from "../auth/tokens";

/** The image routes (image-routes.ts), and the signed URLs to them that batch.images hands out. */
export const IMAGE_ROUTES = { original: "/api/images/:imageId", thumbnail: "/api/images/:imageId/thumbnail" } as const;

/**
 * Adds relative URLs signed for `viewer` to each image: an `<img src>` works without headers.
 * An image answered from the cache also names and links the image it matched, for admins: that
 * image may be in anyone's batch, and only an admin may open any image. A user learns the match
 * only when it is an image of the same batch.
 */
export async function withImageUrls<T extends { id: string; cachedFrom?: string | null }>(links: ImageLinks, viewer: User, items: T[]) {
  const signed = async (imageId: string) => encodeURIComponent(await links.sign(viewer, imageId));
  const inBatch = new Set(items.map((item) => item.id));
  return Promise.all(
    items.map(async (item) => {
      // One link serves both routes: it names the image and the viewer, not the size.
      const sig = await signed(item.id);
      const source = item.cachedFrom && viewer.role === "admin" ? item.cachedFrom : null;
      return {
        ...item,
        // An image of another batch may be another user's: only admins learn its id.
        cachedFrom: viewer.role === "admin" || inBatch.has(item.cachedFrom ?? "") ? (item.cachedFrom ?? null) : null,
        thumbnailUrl: `${IMAGE_ROUTES.thumbnail.replace(":imageId", item.id)}?sig=${sig}`,
        imageUrl: `${IMAGE_ROUTES.original.replace(":imageId", item.id)}?sig=${sig}`,
        cachedFromUrl: source ? `${IMAGE_ROUTES.original.replace(":imageId", source)}?sig=${await signed(source)}` : null,
      };
    }),
  );
}
