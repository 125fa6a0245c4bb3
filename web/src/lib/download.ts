/** The file name a `Content-Disposition: attachment; filename="…"` header gives, or null. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = disposition.match(/filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // A malformed encoded name: the plain one below, if any, is as good.
    }
  }
  const plain = disposition.match(/filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/);
  return (plain?.[1] ?? plain?.[2])?.trim() || null;
}

/** Why a download was refused, from the server's `{ error }` body when it sent one. */
async function refusal(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const detail = typeof body?.error === "string" ? body.error : response.statusText;
  if (response.status === 401) return "Your sign-in was refused. Sign in again.";
  if (response.status === 404) return `Not found: ${detail}.`;
  return `The download failed (${response.status}${detail ? `: ${detail}` : ""}).`;
}

/**
 * Fetches `path` with the bearer token and saves the answer under the server's file name. A plain
 * link cannot carry the Authorization header, so the file goes through a blob URL instead.
 */
export async function downloadWithToken(path: string, token: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new Error("Can't reach the showscan server. Check your connection and try again.");
  }
  if (!response.ok) throw new Error(await refusal(response));
  const name = fileNameOf(response.headers.get("content-disposition")) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download before this runs; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
