import { useQuery } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useState } from "react";
import { ApiProvider, useTRPC } from "../api/trpc";
import { explainError, isUnauthorized } from "../lib/errors";
import { SignInPage } from "./sign-in-page";
import { refusalReason, storeToken, takeStoredToken } from "./token-store";

export interface SessionUser {
  sub: string;
  role: "admin" | "user";
}

interface Session {
  user: SessionUser;
  /** The bearer token, for the requests that are not tRPC calls (downloads). */
  token: string;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only used below SessionProvider, which renders nothing else without one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

/** Signs the browser in (login link or pasted token), checks the token with the server, and keeps the reason when it is refused. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(takeStoredToken);
  const [reason, setReason] = useState<string | null>(null);
  const signIn = useCallback((next: string) => {
    storeToken(next);
    setReason(null);
    setToken(next);
  }, []);
  const signOut = useCallback((why: string | null = null) => {
    storeToken(null);
    setReason(why);
    setToken(null);
  }, []);

  if (!token) return <SignInPage reason={reason} onSignIn={signIn} />;
  return (
    <ApiProvider key={token} token={token} onUnauthorized={() => signOut(refusalReason(token))}>
      <WhoAmI token={token} signOut={() => signOut()}>
        {children}
      </WhoAmI>
    </ApiProvider>
  );
}

function WhoAmI({ token, signOut, children }: { token: string; signOut: () => void; children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  if (me.isPending) return <p className="status-line">Signing in…</p>;
  if (me.isError) {
    // The query cache's error handler has already signed out with the reason.
    if (isUnauthorized(me.error)) return null;
    return (
      <main className="page narrow">
        <h1>showscan</h1>
        <p role="alert" className="error">
          {explainError(me.error)}
        </p>
        <button type="button" onClick={() => void me.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  return <SessionContext.Provider value={{ user: me.data, token, signOut }}>{children}</SessionContext.Provider>;
}
