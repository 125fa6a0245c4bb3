import { useEffect, useState } from "react";
import { currentToken } from "./auth";

interface Health {
  status: string;
  engine: string;
}

/** The shell of the web client: the submit and admin pages mount here. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [signedIn] = useState(() => currentToken() !== null);
  useEffect(() => {
    fetch("/healthz")
      .then((r) => r.json() as Promise<Health>)
      .then(setHealth)
      .catch(() => setHealth(null));
  }, []);
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "3rem auto", padding: "0 1rem" }}>
      <h1>showscan</h1>
      <p>Karaoke schedule screenshots in, clean show listings out.</p>
      <p>{health ? `Service ${health.status}, engine: ${health.engine}` : "Connecting to the service…"}</p>
      <p>{signedIn ? "Signed in." : "Not signed in: open the login link the server printed, or ask an admin for one."}</p>
    </main>
  );
}
