import { createTRPCClient, createWSClient } from "@trpc/client";
import WebSocket from "ws";
import { apiLinks } from "./api-links";
import type { AppRouter } from "./trpc/routers/index";

/**
 * The typed client the way a browser uses the API: subscriptions over the WebSocket (token in
 * connectionParams), FormData uploads over plain HTTP, everything else batched.
 */
export function createApiClient(baseUrl: string, token?: string) {
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : undefined,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    lazy: { enabled: true, closeMs: 0 },
  });
  const client = createTRPCClient<AppRouter>({ links: apiLinks({ url: `${baseUrl}/trpc`, wsClient, headers }) });
  return { client, close: () => wsClient.close() };
}

export type ApiClient = ReturnType<typeof createApiClient>["client"];
