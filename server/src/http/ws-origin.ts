import type { IncomingMessage } from "node:http";

/**
 * Whether a WebSocket upgrade may proceed. Browsers always send `Origin`, so a page of another
 * site opening `/trpc` is refused here (cross-site WebSocket hijacking) even before any token is
 * read. No `Origin` at all is a CLI or Node client, which no web page can pose as. The server's
 * own origin is the one whose host is the `Host` the browser addressed: behind a proxy that keeps
 * `Host` (and Vite's dev proxy, which forwards both unchanged) that still holds.
 */
export function allowedUpgradeOrigin(req: Pick<IncomingMessage, "headers">): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    // Read through URL as well, so a default port written out (":443") compares equal.
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) and anything unparseable.
    return false;
  }
}
