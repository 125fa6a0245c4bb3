import { UsageError } from "./errors";
import type { Target } from "./embedded";

/** A server URL from --server: http(s) only, without a trailing slash or /trpc. */
export function normaliseServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server ${value}: not a URL (for example http://127.0.0.1:3000)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--server ${value}: use an http:// or https:// URL`);
  return url
    .toString()
    .replace(/\/+$/, "")
    .replace(/\/trpc$/, "");
}

/** A running server named by --server, with --token or SHOWSCAN_TOKEN. */
export function remoteTarget(server: string, token: string | undefined): Target {
  const url = normaliseServerUrl(server);
  const bearer = token?.trim() || process.env.SHOWSCAN_TOKEN?.trim();
  if (!bearer) {
    throw new UsageError(
      `--server needs a token: pass --token TOKEN or set SHOWSCAN_TOKEN (make one where the server runs: \`showscan token --role admin --sub NAME\`)`,
    );
  }
  return { url, token: bearer, close: async () => {} };
}

/** Fails early, with a clear message, when nothing (or not a showscan server) answers at `url`. */
export async function checkServer(url: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === "TimeoutError" ? "no answer within 10 s" : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new UsageError(`cannot reach the showscan server at ${url}: ${why}`);
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => null)) as { status?: string; error?: string } | null;
  if (body?.status === "unavailable") throw new UsageError(`the showscan server at ${url} is unavailable: ${body.error ?? "no database"}`);
  throw new UsageError(`${url} does not look like a showscan server (GET /healthz answered ${response.status})`);
}

/**
 * Runs a command against the server it names: --server (checked to answer first), or the whole
 * service started in this process on the embedded database; either is closed afterwards.
 */
export async function withServer<T>(opts: { server?: string; token?: string }, use: (target: Target) => Promise<T>): Promise<T> {
  const target: Target = opts.server
    ? remoteTarget(opts.server, opts.token)
    : await (await import("./embedded")).startEmbeddedService(opts.token);
  try {
    await checkServer(target.url);
    return await use(target);
  } finally {
    await target.close();
  }
}
