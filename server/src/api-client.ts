import { createTRPCClient, createWSClient } from "@trpc/client";
import WebSocket from "ws";
import { apiLinks } from "./api-links";
import type { AppRouter } from "./trpc/routers/index";

/**
 * The typed client the way a browser uses the API: subscriptions over the WebSocket (token in
 * connectionParams), FormData uploads over plain HTTP, everything else batched.
 */
export interface ConnectionOptions {
  /** Called each time the WebSocket opens (the first time and after every reconnect). */
  onOpen?: () => void;
  /** Called when the WebSocket closes or fails (the client then reconnects by itself). */
  onClose?: () => void;
  /** Ping the server and drop a connection whose pong does not come back in time. */
  keepAlive?: { enabled: boolean; intervalMs?: number; pongTimeoutMs?: number };
}

/**
 * `ws` waits up to 30 s for the server's answer to a close; a server that hangs never answers,
 * so a client that drops it (the keep-alive's missing pong) would hear nothing for half a minute.
 * It does not need the answer: a second after closing, the socket is cut.
 */
class PromptlyClosingWebSocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    super.close(code, data);
    setTimeout(() => {
      if (this.readyState !== WebSocket.CLOSED) this.terminate();
    }, 1_000).unref();
  }
}

export function createApiClient(baseUrl: string, token?: string, connection: ConnectionOptions = {}) {
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/trpc`,
    WebSocket: PromptlyClosingWebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : undefined,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    lazy: { enabled: true, closeMs: 0 },
    onOpen: connection.onOpen,
    onClose: connection.onClose && (() => connection.onClose?.()),
    onError: connection.onClose && (() => connection.onClose?.()),
    keepAlive: connection.keepAlive,
  });
  const client = createTRPCClient<AppRouter>({ links: apiLinks({ url: `${baseUrl}/trpc`, wsClient, headers }) });
  return { client, close: () => wsClient.close() };
}

export type ApiClient = ReturnType<typeof createApiClient>["client"];
