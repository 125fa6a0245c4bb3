import type { ImageLinks } from "../auth/image-links";
import type { User } from "../auth/tokens";

/** The image routes (image-routes.ts), and the signed URLs to them that batch.images hands out. */
export const IMAGE_ROUTES = { original: "/api/images/:imageId", thumbnail: "/api/images/:imageId/thumbnail" } as const;

/** Adds relative URLs signed for `viewer` to each image: an `<img src>` works without headers. */
export async function withImageUrls<T extends { id: string }>(links: ImageLinks, viewer: User, items: T[]) {
  return Promise.all(
    items.map(async (item) => {
      // One link serves both routes: it names the image and the viewer, not the size.
      const sig = encodeURIComponent(await links.sign(viewer, item.id));
      return {
        ...item,
        thumbnailUrl: `${IMAGE_ROUTES.thumbnail.replace(":imageId", item.id)}?sig=${sig}`,
        imageUrl: `${IMAGE_ROUTES.original.replace(":imageId", item.id)}?sig=${sig}`,
      };
    }),
  );
}
