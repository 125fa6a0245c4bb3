import helmet from "helmet";

/**
 * Helmet's headers on every answer (pages and API), with a Content-Security-Policy the built web
 * app runs under: its scripts, styles and fonts come from the service itself, images also from
 * `blob:` (previews of dropped files) and `data:`, and the API (HTTP and the WebSocket) is the
 * same origin. Not upgrade-insecure-requests: the service is served over plain HTTP on
 * 127.0.0.1 by default, where upgrading its own requests to HTTPS would break every one.
 */
export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": null,
      },
    },
    // No page of the service belongs in a frame: the older header says so too.
    xFrameOptions: { action: "deny" },
  });
