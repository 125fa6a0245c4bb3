import type { Tokens, User } from "./tokens";

const AUDIENCE = "showscan:image";
const VALID_SECONDS = 3600;
const STEP_SECONDS = 600;

/**
 * Short-lived signed links to one image for one viewer, so an `<img src>` works without headers.
 * A link is issued at the start of a 10-minute step: within the step the same viewer gets the
 * same URL for an image, so the browser's cache (max-age 1 h) keeps serving it across refetches
 * of the list. The price is a link valid 50 to 60 minutes rather than exactly 60.
 */
export function createImageLinks(tokens: Tokens) {
  return {
    sign(viewer: User, imageId: string): Promise<string> {
      const issuedAt = Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS;
      return tokens.signFor(AUDIENCE, viewer, { img: imageId }, { issuedAt, expiresAt: issuedAt + VALID_SECONDS });
    },
    /** The viewer the link was signed for, or null when it is forged, expired or for another image. */
    async verify(sig: string, imageId: string): Promise<User | null> {
      const read = await tokens.readFor(sig, AUDIENCE);
      return read && read.payload.img === imageId ? read.session : null;
    },
  };
}

export type ImageLinks = ReturnType<typeof createImageLinks>;
