const KEY = "showscan.token";

/**
 * The bearer token: taken from a login link (`/#token=…`, printed by the server on its first
 * start), then kept in this browser; the hash is cleared so the token does not linger in the URL.
 */
export function takeStoredToken(): string | null {
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get("token");
  if (fromLink) {
    localStorage.setItem(KEY, fromLink);
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return localStorage.getItem(KEY);
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}

/** The token's expiry, read without verifying (the server verifies): to say why it was refused. */
export function tokenExpiry(token: string): Date | null {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? "")) as { exp?: unknown };
    return typeof payload.exp === "number" ? new Date(payload.exp * 1000) : null;
  } catch {
    return null;
  }
}

/** Why a token the server refused was refused, in a sentence. */
export function refusalReason(token: string): string {
  const expiry = tokenExpiry(token);
  if (expiry && expiry.getTime() <= Date.now()) return `Your sign-in expired on ${expiry.toLocaleString()}. Sign in with a new token.`;
  return "The server refused your token: it is not valid for this server. Sign in with a token it issued.";
}
