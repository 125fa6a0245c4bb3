const KEY = "showscan.token";

/**
 * The bearer token: taken from a login link (`/#token=…`, printed by the server on its first
 * start), then kept in this browser; the hash is cleared so the token does not linger in the URL.
 */
export function currentToken(): string | null {
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get("token");
  if (fromLink) {
    localStorage.setItem(KEY, fromLink);
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return localStorage.getItem(KEY);
}
