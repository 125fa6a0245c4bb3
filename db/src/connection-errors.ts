/** The driver's own codes for a connection that closed, broke or could not be made. */
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);
/** Socket errors on the way to the server. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND"]);

/**
 * Whether an error (or what it wraps: drizzle puts the driver's error in `cause`) says the
 * database could not be reached, as opposed to a statement it refused. Such a failure passes
 * once the server is back; a refused statement does not.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    // SQLSTATE class 08 (connection exception), 57P01-03 (the server shutting down or starting).
    if (DRIVER_CODES.has(code) || SOCKET_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code)) return true;
  }
  return false;
}
