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

export function createApiClient(baseUrl: string, token?: string, connection: ConnectionOptions = {}) {
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
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
