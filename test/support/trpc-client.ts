import { createTRPCClient, createWSClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink, wsLink } from "@trpc/client";
import WebSocket from "ws";
import type { AppRouter } from "../../server/src/trpc/routers/index";

/** The typed client as a browser uses it: batched HTTP, FormData over plain HTTP, subscriptions over WebSocket. */
export function createClient(baseUrl: string, token?: string) {
  const headers = () => (token ? { authorization: `Bearer ${token}` } : {});
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : undefined,
    retryDelayMs: () => 200,
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: splitLink({
          condition: (op) => isNonJsonSerializable(op.input),
          true: httpLink({ url: `${baseUrl}/trpc`, headers }),
          false: httpBatchLink({ url: `${baseUrl}/trpc`, headers }),
        }),
      }),
    ],
  });
  return { client, wsClient, close: () => wsClient.close() };
}

export function uploadForm(files: { name: string; bytes: Uint8Array }[], fields: Record<string, string | number> = {}): FormData {
  const form = new FormData();
  for (const file of files) form.append("images", new File([Buffer.from(file.bytes)], file.name));
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  return form;
}
