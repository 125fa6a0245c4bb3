import type { AppRouter } from "@showscan/server";
import { apiLinks } from "@showscan/server/links";
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from "@tanstack/react-query";
import { createTRPCClient, createWSClient } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import { isUnauthorized } from "../lib/errors";
import { PromptlyClosingWebSocket } from "./prompt-close-socket";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The typed client over the shared links, with the token in the headers and the WebSocket's connectionParams. */
function createClients(token: string, onUnauthorized: () => void) {
  const origin = window.location.origin;
  const headers = () => ({ authorization: `Bearer ${token}` });
  const wsClient = createWSClient({
    url: `${origin.replace(/^http/, "ws")}/trpc`,
    connectionParams: { token },
    WebSocket: PromptlyClosingWebSocket,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    // A server that hangs without closing the socket is noticed by its missing pong.
    keepAlive: { enabled: true, intervalMs: 5_000, pongTimeoutMs: 3_000 },
  });
  const trpcClient = createTRPCClient<AppRouter>({ links: apiLinks({ url: `${origin}/trpc`, wsClient, headers }) });
  // A refused token anywhere sends the visitor back to the sign-in with the reason.
  const onError = (error: unknown) => {
    if (isUnauthorized(error)) onUnauthorized();
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, error) => !isUnauthorized(error) && count < 2,
      },
    },
  });
  return { trpcClient, queryClient, wsClient };
}

/** Clients for one signed-in token; a new token (after signing in again) gets new ones. */
export function ApiProvider({ token, onUnauthorized, children }: { token: string; onUnauthorized: () => void; children: ReactNode }) {
  const [{ trpcClient, queryClient }] = useState(() => createClients(token, onUnauthorized));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
