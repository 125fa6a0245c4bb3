import { httpBatchLink, httpLink, isNonJsonSerializable, splitLink, type TRPCLink, wsLink } from "@trpc/client";
import type { AppRouter } from "./trpc/routers/index";

type WsClient = Parameters<typeof wsLink<AppRouter>>[0]["client"];

/**
 * The links every client of the API uses (the web app, the CLI, the tests): subscriptions over
 * the WebSocket, FormData uploads over plain HTTP (they cannot be batched), the rest batched.
 * No Node-only import here, so the browser bundle can share it.
 */
export function apiLinks(opts: { url: string; wsClient: WsClient; headers: () => Record<string, string> }): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: wsLink({ client: opts.wsClient }),
      false: splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url: opts.url, headers: opts.headers }),
        false: httpBatchLink({ url: opts.url, headers: opts.headers }),
      }),
    }),
  ];
}
